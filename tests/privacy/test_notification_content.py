"""Staff notifications name no one and carry no eligibility basis: a reference and a link (docs/privacy.md)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prestataires.models import SituationEligibilite
from prestataires.tasks import notify_bases_ending
from tests.factories import AgenceFactory, CollaborateurFactory, PrestataireFactory

pytestmark = pytest.mark.django_db


def test_a_basis_ending_is_told_by_reference_and_link_without_name_or_basis(django_capture_on_commit_callbacks):
    agence = AgenceFactory()
    staff = CollaborateurFactory(agence=agence)
    worker = PrestataireFactory(agence=agence, nom="Zwartberg", prenom="Odile", statut="actif", eligible=False)
    situation = SituationEligibilite.objects.create(
        prestataire=worker,
        base="ris",
        depuis=datetime.date(2020, 1, 1),
        jusqu_au=timezone.localdate() + datetime.timedelta(days=30),
        preuve="Attestation du CPAS",
        date_preuve=datetime.date(2020, 1, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_bases_ending.call() == 1
    (message,) = mail.outbox
    assert message.to == [staff.email]
    text = message.subject + message.body
    assert "Zwartberg" not in text and "Odile" not in text
    assert situation.get_base_display() not in text and "CPAS" not in text
    assert f"n° {worker.pk}" in message.subject
    assert reverse("prestataires:detail", args=[worker.pk]) in message.body
