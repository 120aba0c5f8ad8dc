from django.urls import path

from . import views

app_name = "reprise"
urlpatterns = [
    path("reprise/", views.index, name="index"),
    # The voucher CSV import's former address (prestations:cheque_import): now the wizard, set to vouchers.
    path("cheques/import/", views.cheques, name="cheques"),
    path("reprise/modele/<str:entite>.xlsx", views.modele, name="modele"),
    path("reprise/exemple/<str:entite>.xlsx", views.exemple, name="exemple"),
    path("reprise/<int:pk>/colonnes/", views.correspondance, name="correspondance"),
    path("reprise/<int:pk>/", views.detail, name="detail"),
    path("reprise/<int:pk>/valeurs/", views.valeurs, name="valeurs"),
    path("reprise/<int:pk>/confirmer/", views.confirmer, name="confirmer"),
    path("reprise/<int:pk>/rapport/", views.rapport, name="rapport"),
]
