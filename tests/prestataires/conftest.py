import pytest
from django.test import Client


@pytest.fixture
def staff(world):
    client = Client()
    client.force_login(world.users["collab_a"])
    return client


def valid_identity(**overrides):
    data = {
        "nom": "Lambotte",
        "prenom": "Élise",
        "niss": "85.07.30-034.27",
        "date_naissance": "1985-07-30",
        "sexe": "F",
        "rue": "Rue du Moulin 3",
        "code_postal": "5030",
        "commune": "Gembloux",
        "telephone": "0470 11 22 33",
        "email": "elise.lambotte@example.be",
        "langue": "fr",
        "iban": "BE62 5100 0754 7061",
        "organisme_paiement": "capac",
        "cpas": "",
        "date_inscription": "2026-11-02",
    }
    return data | overrides


@pytest.fixture(autouse=True)
def _eligibility_rules(db):
    """The rules come from migration 0004; a transactional test elsewhere may have flushed them."""
    from prestataires.models import RegleEligibilite
    from prestataires.rules import seed_rules

    seed_rules(RegleEligibilite)
