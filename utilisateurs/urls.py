from django.urls import path

from . import views

app_name = "utilisateurs"
urlpatterns = [
    path("utilisateurs/", views.utilisateur_list, name="list"),
    path("utilisateurs/<int:pk>/", views.utilisateur_detail, name="detail"),
    path("espace-client/", views.espace, name="espace"),
]
