"""A closed referral with published feedback is anonymised, while published feedback stays immutable otherwise.

The database refuses any change to a published entry (trigger), except the anonymisation itself: its text set to
the placeholder and its facts emptied, nothing else.
"""

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from ale_platform.privacy.services import anonymise_expired
from forem_liaison.models import Adressage, ReponseRetour, RetourAdressage
from tests.factories import AdressageFactory, AgenceFactory, CollaborateurFactory

pytestmark = pytest.mark.django_db

OLD = datetime.date(2019, 3, 12)
OLD_TS = datetime.datetime(2019, 1, 5, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def published():
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    referral = AdressageFactory(agence=agence, nom="Martin", prenom="Léa", email="lea@example.be")
    retour = RetourAdressage.objects.create(
        adressage=referral,
        auteur=collab,
        periode_debut=datetime.date(2019, 2, 1),
        periode_fin=datetime.date(2019, 2, 28),
        texte="Léa Martin est venue à chaque rendez-vous.",
        faits={"prestations": [{"mois": "2019-02", "heures": "12.00"}]},
        statut=RetourAdressage.Statut.PUBLIE,
        publie_le=OLD_TS,
    )
    reponse = ReponseRetour.objects.create(retour=retour, auteur=referral.conseiller.user, texte="Merci pour Léa.")
    Adressage.objects.filter(pk=referral.pk).update(
        etat="cloture", issue="emploi", date_adressage=OLD, updated_at=OLD_TS, created_at=OLD_TS
    )
    return referral, retour, reponse


def test_a_closed_referral_with_published_feedback_and_a_reply_is_anonymised(published):
    referral, retour, reponse = published
    anonymise_expired()
    referral.refresh_from_db()
    assert (referral.nom, referral.email) == ("Anonyme", "")
    retour.refresh_from_db()
    assert (retour.texte, retour.faits) == ("(anonymisé)", {})
    assert (retour.statut, retour.publie_le, retour.periode_debut) == ("publie", OLD_TS, datetime.date(2019, 2, 1))
    reponse.refresh_from_db()
    assert reponse.texte == "(anonymisé)"
    anonymise_expired()  # a second run finds nothing left to do and fails on nothing


@pytest.mark.parametrize(
    "change",
    [
        {"texte": "(anonymisé)"},  # the facts kept: not an anonymisation
        {"faits": {}},  # the text kept
        {"texte": "(anonymisé)", "faits": {}, "statut": "brouillon"},
        {"texte": "(anonymisé)", "faits": {}, "periode_fin": datetime.date(2019, 3, 31)},
        {"texte": "(anonymisé)", "faits": {}, "publie_le": timezone.now()},
    ],
)
def test_any_other_change_to_a_published_entry_is_still_refused_by_the_database(published, change):
    _, retour, _ = published
    with pytest.raises(DatabaseError), transaction.atomic():
        RetourAdressage.objects.filter(pk=retour.pk).update(**change)
    retour.refresh_from_db()
    assert retour.texte.startswith("Léa Martin") and retour.faits and retour.statut == "publie"
