"""The shared layout: navigation per role, error pages, security headers."""

import re

import pytest
from django.test import override_settings
from django.urls import path, reverse

from ale_platform.models import Role
from tableau_de_bord import urls as root_urls
from tests.factories import AgenceFactory, CollaborateurFactory, ConseillerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*root_urls.urlpatterns, path("boom/", _boom)]
handler403 = root_urls.handler403
handler500 = root_urls.handler500


def nav_labels(response):
    return [item["label"] for item in response.context["nav_items"]]


def test_navigation_follows_the_role(client):
    agence = AgenceFactory()
    client.force_login(CollaborateurFactory(agence=agence))
    staff = client.get(reverse("dashboard"))
    assert nav_labels(staff) == [
        "Tableau de bord",
        "Prestataires",
        "Utilisateurs",
        "Demandes",
        "Prestations",
        "Clôture du mois",
        "Chèques ALE",
        "Adressages",
        "Rapports",
    ]
    current = [item["label"] for item in staff.context["nav_items"] if item["current"]]
    assert current == ["Tableau de bord"]

    client.force_login(ConseillerFactory().user)
    assert nav_labels(client.get(reverse("forem_liaison:conseiller_home"))) == [
        "Mes adressages",
        "Adresser une personne",
    ]

    client.force_login(UserFactory(role=Role.CLIENT))
    page = client.get(reverse("utilisateurs:espace"))
    assert nav_labels(page) == ["Mon espace", "Réserver", "Mes prestations"]
    assert "Prestataires" not in page.content.decode()


def test_403_and_404_pages_use_the_layout(client):
    client.force_login(UserFactory(role=Role.CLIENT))
    forbidden = client.get(reverse("dashboard"))
    assert forbidden.status_code == 403
    assert "Accès refusé" in forbidden.content.decode()
    assert 'id="contenu"' in forbidden.content.decode()
    missing = client.get("/nulle-part/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_french_and_reveals_nothing(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body
    assert "RuntimeError" not in body and "boom" not in body


def test_security_headers(client):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_static_assets_are_served_by_the_project_not_a_cdn(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "/static/css/app.css" in body and "/static/vendor/htmx-2.0.11.min.js" in body
    assert "cdn" not in body.lower() and "googleapis" not in body


@pytest.mark.django_db
def test_every_page_has_a_meta_description(client):
    """Search engines and link previews read it (Lighthouse SEO); the layout gives one to every page."""
    page = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<meta name="description" content="[^"]{50,}">', page)
