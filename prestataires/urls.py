from django.urls import path

from . import views

app_name = "prestataires"
urlpatterns = [
    path("prestataires/", views.prestataire_list, name="list"),
    path("prestataires/export.csv", views.prestataire_export, name="export"),
    path("prestataires/export.xlsx", views.prestataire_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("prestataires/inscrire/", views.prestataire_create, name="create"),
    path("prestataires/<int:pk>/", views.prestataire_detail, name="detail"),
    path("prestataires/<int:pk>/modifier/", views.prestataire_edit, name="edit"),
    path("prestataires/<int:pk>/statut/", views.statut_change, name="statut"),
    path("prestataires/<int:pk>/eligibilite/", views.situation_create, name="situation_create"),
    path("prestataires/<int:pk>/profil/", views.profil_edit, name="profil"),
    path("prestataires/<int:pk>/disponibilites/", views.disponibilites_edit, name="disponibilites"),
    path("prestataires/<int:pk>/contrat/", views.contrat_create, name="contrat_create"),
    path("prestataires/<int:pk>/contrat/<int:contrat_pk>/signature/", views.contrat_sign, name="contrat_sign"),
    path("prestataires/<int:pk>/contrat/<int:contrat_pk>/pdf/", views.contrat_pdf, name="contrat_pdf"),
    path("prestataires/<int:pk>/preuve-inscription.pdf", views.preuve_pdf, name="preuve_pdf"),
    path("prestataires/<int:pk>/remarques/", views.remarques, name="remarques"),
    path("prestataires/<int:pk>/documents/ajouter/", views.document_upload, name="document_upload"),
    path("prestataires/<int:pk>/inviter/", views.inviter, name="inviter"),
    path("documents/<int:doc_pk>/", views.document_download, name="document"),
    path("mon-espace/", views.espace, name="espace"),
    path("mon-espace/modifier/", views.espace_edit, name="espace_edit"),
    path("mon-espace/documents/contrat-<int:contrat_pk>.pdf", views.mon_contrat_pdf, name="mon_contrat_pdf"),
    path("mon-espace/documents/preuve-inscription.pdf", views.ma_preuve_pdf, name="ma_preuve_pdf"),
    path("mon-espace/documents/ale4-<int:year>-<int:month>.pdf", views.mon_formulaire_pdf, name="mon_formulaire_pdf"),
]
