from django.urls import path

from . import views

app_name = "reprise"
urlpatterns = [
    path("reprise/", views.index, name="index"),
    path("reprise/modele/<str:entite>.xlsx", views.modele, name="modele"),
    path("reprise/exemple/<str:entite>.xlsx", views.exemple, name="exemple"),
    path("reprise/<int:pk>/colonnes/", views.correspondance, name="correspondance"),
    path("reprise/<int:pk>/", views.detail, name="detail"),
    path("reprise/<int:pk>/confirmer/", views.confirmer, name="confirmer"),
    path("reprise/<int:pk>/rapport/", views.rapport, name="rapport"),
]
