from django.urls import path

from . import views

app_name = "prestations"
urlpatterns = [
    path("prestations/", views.prestation_list, name="list"),
    path("prestations/nouvelle/", views.prestation_create, name="create"),
    path("prestations/<int:pk>/", views.prestation_detail, name="detail"),
    path("prestations/<int:pk>/heures/", views.prestation_hours, name="hours"),
    path("prestations/<int:pk>/valider/", views.prestation_validate, name="validate"),
    path("prestations/<int:pk>/cheques/", views.prestation_attach, name="attach"),
    path("prestations/<int:pk>/deplacer/", views.prestation_move, name="move"),
    path("prestations/<int:pk>/annuler/", views.prestation_cancel, name="cancel"),
    path("prestations/<int:pk>/absence/", views.prestation_no_show, name="no_show"),
    path("planning/", views.planning_agence, name="planning"),
    path("planning/prestataires/<int:pk>/", views.planning_prestataire, name="planning_prestataire"),
    path("planning/prestataires/<int:pk>/calendrier/", views.ical_token, name="ical_token"),
    path("calendrier/<str:token>.ics", views.ical_feed, name="ical"),
    path("cheques/", views.cheque_list, name="cheques"),
    path("cheques/nouveau/", views.cheque_create, name="cheque_create"),
    path("cheques/import/", views.cheque_import, name="cheque_import"),
    path("cheques/a-regulariser/", views.a_regulariser, name="a_regulariser"),
    path("cheques/<int:pk>/", views.cheque_detail, name="cheque_detail"),
    path("formulaires/", views.formulaires, name="formulaires"),
    path("formulaires/<int:pk>/<int:year>/<int:month>/", views.formulaire_pdf, name="formulaire_pdf"),
    path("formulaires/releves/<str:organisme>/<int:year>/<int:month>/", views.releve_pdf, name="releve_pdf"),
    path("formulaires/generations/", views.generation_start, name="generation_start"),
    path("formulaires/generations/<int:pk>/", views.generation_detail, name="generation"),
    path("formulaires/generations/<int:pk>/zip/", views.generation_zip, name="generation_zip"),
    path("espace-client/prestations/", views.client_prestations, name="client"),
    path("espace-client/prestations/<int:pk>/confirmer/", views.client_confirm, name="client_confirm"),
    path("mon-espace/prestations/", views.mes_prestations, name="mes_prestations"),
]
