"""The site's root URLconf: the top floor of the house, the only one that knows every app."""

from django.urls import include, path

from forem_liaison.api import api as forem_api

from . import views

urlpatterns = [
    path("", include("ale_platform.urls")),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("rapports/annuel/", views.yearly_report, name="yearly_report"),
    path("agence/parametres/", views.agence_parametres, name="agence_parametres"),
    path("", include("prestataires.urls")),
    path("", include("utilisateurs.urls")),
    path("", include("prestations.urls")),
    path("", include("forem_liaison.urls")),
    path("", include("ale_platform.privacy.urls")),
    path("", include("reprise.urls")),
    path("api/v1/", forem_api.urls),
]

handler403 = "ale_platform.views.error_403"
handler500 = "ale_platform.views.error_500"
