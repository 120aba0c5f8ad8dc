from django.urls import path

from . import views

app_name = "utilisateurs"
urlpatterns = [
    # staff
    path("utilisateurs/", views.utilisateur_list, name="list"),
    path("utilisateurs/export.csv", views.utilisateur_export, name="export"),
    path("utilisateurs/export.xlsx", views.utilisateur_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("utilisateurs/nouveau/", views.utilisateur_create, name="create"),
    path("utilisateurs/<int:pk>/", views.utilisateur_detail, name="detail"),
    path("utilisateurs/<int:pk>/modifier/", views.utilisateur_edit, name="edit"),
    path("utilisateurs/<int:pk>/sites/ajouter/", views.site_add, name="site_add"),
    path("utilisateurs/<int:pk>/contacts/ajouter/", views.contact_add, name="contact_add"),
    path("utilisateurs/<int:pk>/inscriptions/ajouter/", views.inscription_add, name="inscription_add"),
    path("utilisateurs/<int:pk>/autorisations/ajouter/", views.autorisation_add, name="autorisation_add"),
    path("utilisateurs/<int:pk>/demandes/nouvelle/", views.staff_demande_create, name="staff_demande_create"),
    path("utilisateurs/<int:pk>/inviter/", views.invite, name="invite"),
    path("utilisateurs/inscriptions/<int:pk>/valider/", views.inscription_validate, name="inscription_validate"),
    path("utilisateurs/autorisations/expirant/", views.autorisations_expirant, name="expirant"),
    path("utilisateurs/parametres/", views.parametres, name="parametres"),
    path("utilisateurs/demandes/", views.demande_list, name="demande_list"),
    path("utilisateurs/demandes/<int:pk>/", views.staff_demande_detail, name="staff_demande"),
    # client
    path("espace-client/", views.espace, name="espace"),
    path("espace-client/profil/", views.profil, name="profil"),
    path("espace-client/inscription/", views.renouveler, name="renouveler"),
    path("espace-client/reserver/", views.reserver, name="reserver"),
    path("espace-client/demandes/<int:pk>/", views.demande_detail, name="demande"),
    path("espace-client/demandes/<int:pk>/annuler/", views.demande_annuler, name="demande_annuler"),
    path("espace-client/demandes/<int:pk>/annuler/retablir/", views.demande_annuler_undo, name="demande_annuler_undo"),
    path("espace-client/seances/<int:pk>/annuler/", views.creneau_annuler, name="creneau_annuler"),
    path("espace-client/seances/<int:pk>/deplacer/", views.creneau_deplacer, name="creneau_deplacer"),
    path("espace-client/releve/<int:year>.pdf", views.releve, name="releve"),
    path("espace-client/invitation/<str:token>/", views.invitation, name="invitation"),
]
