from django.urls import path

from . import views

app_name = "forem_liaison"
urlpatterns = [
    path("forem/", views.conseiller_home, name="conseiller_home"),
    path("forem/adressages/nouveau/", views.conseiller_create, name="conseiller_create"),
    path("adressages/", views.staff_list, name="staff_list"),
    path("adressages/parametres/", views.parametres, name="parametres"),
    path("adressages/<int:pk>/", views.adressage_detail, name="detail"),
    path("adressages/<int:pk>/transition/", views.transition_view, name="transition"),
    path("adressages/<int:pk>/retirer/", views.withdraw_view, name="withdraw"),
    path("adressages/<int:pk>/retirer/retablir/", views.withdraw_undo_view, name="withdraw_undo"),
    path("adressages/<int:pk>/partager/", views.share_view, name="share"),
    path("adressages/<int:pk>/rapport.pdf", views.rapport_pdf, name="rapport_pdf"),
    path("adressages/<int:pk>/retours/nouveau/", views.retour_create, name="retour_create"),
    path("retours/<int:pk>/modifier/", views.retour_edit, name="retour_edit"),
    path("retours/<int:pk>/refus/", views.retour_refus, name="retour_refus"),
    path("retours/<int:pk>/publier/", views.retour_publish, name="retour_publish"),
    path("retours/<int:pk>/repondre/", views.retour_reply, name="retour_reply"),
    path("mon-espace/retours-forem/", views.mes_retours, name="mes_retours"),
]
