"""Rule: when an eligibility basis gets an end date, by any path, the worker is told at once in plain words and
staff read the slots planned after it (the federal limitation of benefits ends bases in waves, levif.be; the worker
must know before the end). One trigger (`prestataires.services.basis_end_recorded`, on every save of a basis and
after an import's bulk write); here the staff form path, the import path is in tests/reprise."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Role
from tests.factories import (
    ActiviteFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UserFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db


def test_an_end_date_typed_in_the_staff_form_tells_the_worker_at_once_and_lists_the_slots_after_it(
    client, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    end = today + datetime.timedelta(days=90)  # far beyond the daily task's 30 and 7 days
    after = end + datetime.timedelta(days=3)
    account = UserFactory(role=Role.PRESTATAIRE, email="odile@example.be")
    worker = PrestataireFactory(statut="actif", eligible=False, compte=account, nom="Zwartberg")
    staff = CollaborateurFactory(agence=worker.agence)
    client_ = UtilisateurFactory(agence=worker.agence)
    PrestationFactory(
        prestataire=worker,
        utilisateur=client_,
        activite=ActiviteFactory(agence=worker.agence),
        date=after,
        statut="planifiee",
    )
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("prestataires:situation_create", args=[worker.pk]),
            {
                "base": "ris",
                "depuis": "2015-01-01",
                "jusqu_au": end.isoformat(),
                "preuve": "Attestation du CPAS",
                "date_preuve": "2015-01-01",
            },
        )
    assert response.status_code == 302
    by_recipient = {m.to[0]: m for m in mail.outbox}
    to_worker = by_recipient["odile@example.be"]
    assert end.strftime("%d/%m/%Y") in to_worker.subject
    assert "Votre droit de travailler pour l'ALE prend bientôt fin" in to_worker.body
    assert after.strftime("%d/%m/%Y") in to_worker.body
    to_staff = by_recipient[staff.email]
    assert after.strftime("%d/%m/%Y") in to_staff.body and "prévue après cette date" in to_staff.body
    assert "Zwartberg" not in to_staff.subject + to_staff.body  # a reference and a link, no name


def test_saving_a_basis_again_with_the_same_end_date_tells_nobody_twice(django_capture_on_commit_callbacks):
    worker = PrestataireFactory(statut="actif", eligible=False, compte=UserFactory(role=Role.PRESTATAIRE))
    CollaborateurFactory(agence=worker.agence)
    end = timezone.localdate() + datetime.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        situation = worker.situations.create(
            base="ris", depuis=datetime.date(2015, 1, 1), jusqu_au=end, preuve="CPAS", date_preuve=end.replace(day=1)
        )
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        type(situation).objects.get(pk=situation.pk).save()
    assert mail.outbox == []
