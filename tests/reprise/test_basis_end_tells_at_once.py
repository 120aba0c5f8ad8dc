"""Rule: an end date of an eligibility basis that arrives through an import tells the worker at once, in plain
words, and staff with the slots after it, as one typed in the staff form does (the same trigger,
`prestataires.services.basis_end_recorded`): not only 30 and 7 days before the end."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ale_platform.models import Role
from prestataires.models import SituationEligibilite
from tests.factories import ActiviteFactory, PrestataireFactory, PrestationFactory, UserFactory, UtilisateurFactory

from .conftest import results, xlsx
from .test_bases_contrats import BASES, base_row

pytestmark = pytest.mark.django_db


def test_an_imported_end_date_tells_the_worker_at_once_and_lists_the_slots_after_it(wizard, agence, admin):
    end = timezone.localdate() + datetime.timedelta(days=90)
    after = end + datetime.timedelta(days=2)
    new = PrestataireFactory(
        agence=agence, statut="actif", eligible=False, compte=UserFactory(role=Role.PRESTATAIRE, email="a@example.be")
    )
    known = PrestataireFactory(
        agence=agence, statut="actif", eligible=False, compte=UserFactory(role=Role.PRESTATAIRE, email="b@example.be")
    )
    SituationEligibilite.objects.create(
        prestataire=known,
        base="ris",
        depuis=datetime.date(2015, 3, 1),
        preuve="CPAS",
        date_preuve=datetime.date(2015, 3, 1),
    )
    PrestationFactory(
        prestataire=new,
        utilisateur=UtilisateurFactory(agence=agence),
        activite=ActiviteFactory(agence=agence),
        date=after,
        statut="planifiee",
    )
    fin = end.strftime("%d/%m/%Y")
    mail.outbox.clear()
    reprise = wizard(
        agence,
        xlsx([BASES, base_row(new, fin=fin), base_row(known, fin=fin, preuve="CPAS")]),
        entite="situations",
    )
    assert reprise.statut == "terminee", reprise.erreur
    assert results(reprise) == ["nouveau", "mise_a_jour"]
    by_recipient = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    # The new row (written in bulk) and the changed one (saved): each worker told once, at once.
    for email in ("a@example.be", "b@example.be"):
        (told,) = by_recipient[email]
        assert fin in told.subject and "prend bientôt fin" in told.body
    assert after.strftime("%d/%m/%Y") in by_recipient["a@example.be"][0].body
    staff = [m for m in by_recipient.get(admin.email, []) if "Base d'éligibilité qui prend fin" in m.subject]
    assert len(staff) == 2
    assert any(after.strftime("%d/%m/%Y") in m.body for m in staff)
