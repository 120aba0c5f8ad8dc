from django.urls import path

from . import views

app_name = "prestataires"
urlpatterns = [
    path("prestataires/", views.prestataire_list, name="list"),
    path("prestataires/<int:pk>/", views.prestataire_detail, name="detail"),
    path("mon-espace/", views.espace, name="espace"),
]
