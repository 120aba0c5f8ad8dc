"""The core's pages: home, agency switch, notification preferences, health check, log-in and admin."""

from django.contrib import admin
from django.urls import include, path

from . import languages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("agence/changer/", views.agence_switch, name="agence_switch"),
    path("langue/", languages.language_switch, name="language_switch"),
    path("compte/notifications/", views.notification_preferences, name="notification_preferences"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
