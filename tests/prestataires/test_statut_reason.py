"""A status change keeps its whole motive, however long; the audit trail's short reason column is cut, not a 500."""

import pytest
from django.urls import reverse

from prestataires.models import ChangementStatut

pytestmark = pytest.mark.django_db


def test_a_long_motive_changes_the_status_and_is_kept_whole(client, world):
    worker = world.prestataire_a
    assert worker.statut == "inscrit"
    client.force_login(world.users["collab_a"])
    motif = "Départ à l'étranger pour une longue durée, confirmé par courrier du 3 mars. " * 5
    response = client.post(
        reverse("prestataires:statut", args=[worker.pk]), {"statut": "sorti", "date": "2026-03-04", "motif": motif}
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.statut == "sorti"
    assert ChangementStatut.objects.get(prestataire=worker).motif == motif.strip()
    reason = worker.history.latest("history_id").history_change_reason
    assert len(reason) == 100 and reason.endswith("…") and motif.startswith(reason[:-1])
