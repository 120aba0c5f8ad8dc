"""The scores given before feedback stopped scoring people are kept, in the text of their entry, and published
entries stay immutable afterwards."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import AdressageFactory, CollaborateurFactory

BEFORE = [("forem_liaison", "0002_retour_immutable_trigger")]
AFTER = [("forem_liaison", "0003_retour_sans_note")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_scores_move_into_the_text_and_published_entries_stay_immutable():
    adressage = AdressageFactory()
    auteur = CollaborateurFactory(agence=adressage.agence)
    old = migrate(BEFORE)
    Retour = old.get_model("forem_liaison", "RetourAdressage")
    today = timezone.localdate()
    period = {"adressage_id": adressage.pk, "auteur_id": auteur.pk, "periode_fin": today}
    published = Retour.objects.create(
        **period,
        periode_debut=today - datetime.timedelta(days=30),
        engagement=4,
        texte="Ponctuel et apprécié.",
        statut="publie",
        publie_le=timezone.now(),
    )
    draft = Retour.objects.create(**period, periode_debut=today, engagement=2, texte="Brouillon.")

    new = migrate(AFTER)
    Retour = new.get_model("forem_liaison", "RetourAdressage")
    assert Retour.objects.get(pk=published.pk).texte == (
        "Ponctuel et apprécié.\n\nNote d'engagement donnée à la rédaction (échelle de 1 à 5, abandonnée depuis) : "
        "4 — Bon."
    )
    assert Retour.objects.get(pk=draft.pk).texte.endswith(": 2 — Faible.")
    assert "engagement" not in {f.name for f in Retour._meta.get_fields()}
    with pytest.raises(DatabaseError), transaction.atomic():
        Retour.objects.filter(pk=published.pk).update(texte="Modifié en SQL")
    Retour.objects.filter(pk=draft.pk).update(texte="Un brouillon reste modifiable.")
