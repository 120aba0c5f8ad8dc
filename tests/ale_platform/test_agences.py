from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from ale_platform.models import AgenceMembership
from tests.factories import AgenceFactory, CollaborateurFactory, PrestataireFactory

pytestmark = pytest.mark.django_db


def test_a_member_of_two_agencies_switches_and_lists_follow(client):
    gembloux, eghezee, other = AgenceFactory(nom="ALE de Gembloux"), AgenceFactory(nom="ALE d'Éghezée"), AgenceFactory()
    collab = CollaborateurFactory(agence=gembloux, agence__admin=True)
    AgenceMembership.objects.create(user=collab, agence=eghezee)
    worker_g = PrestataireFactory(agence=gembloux, nom="Lejeune")
    worker_e = PrestataireFactory(agence=eghezee, nom="Lemaire")
    client.force_login(collab)

    # Their own (administered) agency first.
    page = client.get(reverse("prestataires:list"))
    assert list(page.context["prestataires"]) == [worker_g]

    response = client.post(reverse("agence_switch"), {"agence": eghezee.pk, "next": reverse("prestataires:list")})
    assert response["Location"] == reverse("prestataires:list")
    assert list(client.get(reverse("prestataires:list")).context["prestataires"]) == [worker_e]

    # An agency they are not a member of is refused, and nothing changes.
    client.post(reverse("agence_switch"), {"agence": other.pk})
    assert list(client.get(reverse("prestataires:list")).context["prestataires"]) == [worker_e]


def test_switch_ignores_an_external_next_url(client):
    agence = AgenceFactory()
    client.force_login(CollaborateurFactory(agence=agence))
    response = client.post(reverse("agence_switch"), {"agence": agence.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")


def test_voucher_price_below_the_legal_minimum_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        AgenceFactory(prix_cheque=Decimal("5.94"))


def test_incoherent_hour_caps_are_refused_by_the_database():
    with pytest.raises(IntegrityError):
        AgenceFactory(plafond_mensuel=80)


def test_collaborator_without_agency_is_refused(client):
    client.force_login(CollaborateurFactory())
    assert client.get(reverse("dashboard")).status_code == 403
