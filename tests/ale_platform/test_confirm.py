"""Destructive actions ask first (ale_platform.confirm.ask_first): the first POST only shows what will happen and
changes nothing; the confirmed one acts. Cancelling a request, a prestation, withdrawing a referral, declining."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from forem_liaison.models import Adressage
from prestations.models import Affectation, Prestation
from utilisateurs.models import Demande

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    from tests.authz import matrix_prestations, matrix_utilisateurs

    matrix_prestations.populate(world)
    matrix_utilisateurs.populate(world)
    return world


def _asks(response, question):
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "ale_platform/confirm.html"
    page = response.content.decode()
    assert escape(question) in page and 'name="confirme" value="1"' in page
    return page


def test_cancelling_a_request_asks_first(client, world):
    demande = world.demande_a
    client.force_login(world.users["client"])
    url = reverse("utilisateurs:demande_annuler", args=[demande.pk])
    page = _asks(client.post(url, {"motif": "Nous déménageons."}), "Annuler toute la demande ?")
    assert f'value="{escape("Nous déménageons.")}"' in page  # the reason typed is posted again
    demande.refresh_from_db()
    assert demande.statut != "annulee"
    client.post(url, {"motif": "Nous déménageons.", "confirme": "1"})
    assert Demande.objects.get(pk=demande.pk).statut == "annulee"


def test_cancelling_a_prestation_asks_first_after_checking_the_form(client, world):
    prestation = world.prestation_a
    client.force_login(world.users["collab_a"])
    url = reverse("prestations:cancel", args=[prestation.pk])
    assert client.post(url, {}).status_code == 400  # the reason is missing: said next to the field, first
    _asks(client.post(url, {"annuler-motif": "Erreur d'encodage"}), "Annuler la prestation ?")
    assert Prestation.objects.get(pk=prestation.pk).statut != "annulee"
    client.post(url, {"annuler-motif": "Erreur d'encodage", "confirme": "1"})
    assert Prestation.objects.get(pk=prestation.pk).statut == "annulee"


def test_withdrawing_a_referral_asks_first(client, world):
    adressage = world.adressage_a
    client.force_login(world.users["conseiller"])
    url = reverse("forem_liaison:withdraw", args=[adressage.pk])
    _asks(client.post(url, {"motif": "Doublon"}), "Retirer l'adressage ?")
    assert Adressage.objects.get(pk=adressage.pk).etat != "retire"
    client.post(url, {"motif": "Doublon", "confirme": "1"})
    assert Adressage.objects.get(pk=adressage.pk).etat == "retire"


def test_declining_an_assignment_asks_first(client, world):
    affectation = world.affectation_a
    client.force_login(world.users["prestataire"])
    url = reverse("prestations:mon_refus", args=[affectation.pk])
    before = Affectation.objects.get(pk=affectation.pk).statut
    _asks(client.post(url, {"motif": "Malade"}), "Décliner cette affectation ?")
    assert Affectation.objects.get(pk=affectation.pk).statut == before
    client.post(url, {"motif": "Malade", "confirme": "1"})
    assert Affectation.objects.get(pk=affectation.pk).statut != before
