"""Agency admins set the agency's voucher price, fee, caps and the other apps' deadlines on one page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from forem_liaison.models import ParametresForem
from tests.factories import AgenceFactory, CollaborateurFactory
from utilisateurs.models import ParametresUtilisateurs

pytestmark = pytest.mark.django_db
URL = reverse("agence_parametres")


def _data(**over):
    data = {
        "agence-prix_cheque": "6,20",
        "agence-prix_cheque_agricole": "6,20",
        "agence-cotisation_annuelle": "7,44",
        "agence-plafond_mensuel": "45",
        "agence-plafond_mensuel_majore": "70",
        "agence-plafond_mensuel_agricole": "150",
        "agence-plafond_hors_agricole": "45",
        "agence-plafond_annuel": "630",
        "agence-jour_cloture": "5",
        "demandes-delai_annulation_heures": "48",
        "forem-delai_premier_contact_jours": "10",
        "forem-periodicite_retour_jours": "60",
    }
    return data | over


@pytest.fixture
def admin_client(client):
    agence = AgenceFactory()
    user = CollaborateurFactory(agence=agence, agence__admin=True)
    client.force_login(user)
    return client, agence, user


def test_agency_admin_saves_every_setting_with_history(admin_client):
    client, agence, user = admin_client
    assert "Paramètres de l'agence" in client.get(reverse("dashboard")).content.decode()
    response = client.post(URL, _data())
    assert response.status_code == 302
    agence.refresh_from_db()
    assert agence.prix_cheque == Decimal("6.20")
    assert agence.history.latest("history_date").history_user == user
    assert ParametresUtilisateurs.for_agence(agence).delai_annulation_heures == 48
    forem = ParametresForem.for_agence(agence)
    assert (forem.delai_premier_contact_jours, forem.periodicite_retour_jours) == (10, 60)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(admin_client):
    client, agence, _user = admin_client
    response = client.post(URL, _data(**{"agence-plafond_mensuel": "700", "forem-delai_premier_contact_jours": "0"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "La loi fixe ce plafond à 45 h : une agence peut planifier en dessous, jamais au-dessus." in body
    assert "Entre 1 et 90 jours." in body
    agence.refresh_from_db()
    assert agence.prix_cheque == Decimal("5.95") and agence.plafond_mensuel == 45
    assert not ParametresUtilisateurs.objects.filter(agence=agence).exists()


def test_a_collaborator_who_is_not_admin_is_refused(client):
    agence = AgenceFactory()
    client.force_login(CollaborateurFactory(agence=agence))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data()).status_code == 403
    assert "Paramètres de l'agence" not in client.get(reverse("dashboard")).content.decode()
