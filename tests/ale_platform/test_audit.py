"""One audit convention: a service's history row names its `acting_user` (and the reason), even when it runs
outside a web request (a task, a command, the API), where no middleware knows the user."""

import pytest

from prestataires.models import StatutPrestataire
from prestataires.services import change_statut as change_worker_status
from prestataires.services import create_contrat
from tests.factories import CollaborateurFactory, PrestataireFactory

pytestmark = pytest.mark.django_db


def test_a_status_change_outside_a_request_names_who_and_why():
    worker = PrestataireFactory(statut=StatutPrestataire.ACTIF)
    staff = CollaborateurFactory(agence=worker.agence)
    change_worker_status(
        prestataire=worker, statut=StatutPrestataire.SUSPENDU, motif="Raisons de santé", acting_user=staff
    )
    last = worker.history.first()
    assert (last.statut, last.history_user, last.history_change_reason) == ("suspendu", staff, "Raisons de santé")


def test_a_record_created_by_a_service_names_its_author():
    worker = PrestataireFactory(statut=StatutPrestataire.INSCRIT)
    staff = CollaborateurFactory(agence=worker.agence)
    contrat = create_contrat(prestataire=worker, date_debut=worker.date_inscription, acting_user=staff)
    assert contrat.history.first().history_user == staff
