from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("rgpd/prestataires/<int:pk>/export/", views.export_prestataire, name="export_prestataire"),
    path("rgpd/utilisateurs/<int:pk>/export/", views.export_utilisateur, name="export_utilisateur"),
    path("rgpd/adressages/<int:pk>/export/", views.export_adressage, name="export_adressage"),
    path("rgpd/journal/", views.journal, name="journal"),
]
