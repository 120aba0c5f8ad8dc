from django.urls import path

from . import views

app_name = "forem_liaison"
urlpatterns = [
    path("forem/", views.conseiller_home, name="conseiller_home"),
    path("adressages/", views.staff_list, name="staff_list"),
    path("adressages/<int:pk>/", views.adressage_detail, name="detail"),
]
