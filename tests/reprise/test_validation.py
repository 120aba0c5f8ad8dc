"""Check constraints evaluated in memory during an import agree with the database's."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint

from prestataires.models import Prestataire
from reprise.validation import holds
from tests.factories import PrestataireFactory, UtilisateurFactory
from utilisateurs.models import Autorisation, Inscription, Utilisateur

from .conftest import results, xlsx

pytestmark = pytest.mark.django_db
MODELS = [Prestataire, Utilisateur, Inscription, Autorisation]


@pytest.mark.parametrize("model", MODELS)
def test_every_imported_models_check_constraint_is_evaluated_in_memory(model, agence):
    client = UtilisateurFactory(agence=agence)
    instances = {
        Prestataire: PrestataireFactory.build(agence=agence),
        Utilisateur: client,
        Inscription: Inscription(utilisateur=client, annee=2026),
        Autorisation: Autorisation(
            utilisateur=client,
            activite=agence.activites.first(),
            numero="1234567890",
            debut=datetime.date(2026, 1, 1),
            fin=datetime.date(2026, 12, 31),
        ),
    }
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            assert holds(constraint.condition, instances[model]) is True, constraint.name


def test_a_broken_constraint_is_refused_in_the_preview_and_by_the_database(agence, wizard):
    client = UtilisateurFactory(agence=agence)
    inscription = Inscription(utilisateur=client, annee=2026, cotisation=-1)
    [constraint] = [c for c in Inscription._meta.constraints if c.name == "inscription_cotisation_positive"]
    assert holds(constraint.condition, inscription) is False
    with pytest.raises(IntegrityError), transaction.atomic():
        inscription.save()
    year = datetime.date.today().year
    rows = [["NISS ou BCE", "Année", "Cotisation"], [client.niss, year, "-5"]]
    reprise = wizard(agence, xlsx(rows), entite="inscriptions")
    assert results(reprise) == ["refuse"]
    assert not Inscription.objects.exists()
