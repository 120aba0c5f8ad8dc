"""The month without retyping: the prestation's state machine, the worker's declaration, the client's dispute,
staff validating the month's confirmed prestations in one action (services; views in test_month_views.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ale_platform.models import Role
from prestations.models import Prestation, TransitionPrestation
from prestations.services import (
    AUTRES_HEURES,
    COMME_PREVU,
    PAS_EU_LIEU,
    belgian_holiday,
    confirm_hours,
    declare_prestation,
    dispute_prestation,
    record_prestation,
    update_hours,
    validate_confirmed,
    validate_prestation,
)
from tests.factories import UserFactory

from .factories import authorise, ready

pytestmark = pytest.mark.django_db
T = datetime.time


def days_ago(n: int) -> datetime.date:
    """The n-th past day that is not a Belgian public holiday (on the 2nd of January, yesterday is one)."""
    day = timezone.localdate()
    while n:
        day -= datetime.timedelta(days=1)
        n -= not belgian_holiday(day)
    return day


def planned(s, day, start=9, hours=3, utilisateur=None):
    return record_prestation(
        prestataire=s.prestataire,
        utilisateur=utilisateur or s.utilisateur,
        activite=s.generale,
        date=day,
        debut=T(start),
        fin=T(start + hours),
        heures=hours,
        statut="planifiee",
        acting_user=s.staff,
    )


def ready_online():
    """A worker and a client with accounts, the client registered and authorised on the last weeks' days too
    (on the 2nd of January, they are last year's)."""
    s = ready()
    last_weeks = days_ago(10).year
    if last_weeks != timezone.localdate().year:
        authorise(s.utilisateur, s.generale, last_weeks)
    s.prestataire.compte = UserFactory(role=Role.PRESTATAIRE)
    s.prestataire.save()
    s.utilisateur.compte = UserFactory(role=Role.CLIENT, email="anne@example.be")
    s.utilisateur.save()
    return s


@pytest.fixture
def s():
    return ready_online()


def test_each_state_change_is_checked_and_logged_by_the_state_machine(s):
    slot = planned(s, days_ago(3))
    assert [(t.de, t.vers) for t in slot.transitions.all()] == [("", "planifiee")]
    validate = pytest.raises(ValidationError, validate_prestation, prestation=slot, acting_user=s.staff)
    assert "Seule une prestation aux heures encodées" in " ".join(validate.value.messages)
    confirm_hours(prestation=slot, acting_user=s.utilisateur.compte)
    validate_prestation(prestation=slot, acting_user=s.staff)
    log = list(TransitionPrestation.objects.filter(prestation=slot).values_list("de", "vers", "par"))
    assert log == [
        ("", "planifiee", s.staff.pk),
        ("planifiee", "effectuee", s.utilisateur.compte.pk),
        ("effectuee", "validee", s.staff.pk),
    ]
    done = planned(s, days_ago(4))
    confirm_hours(prestation=done, acting_user=s.utilisateur.compte)
    with pytest.raises(ValidationError, match="« Effectuée .* ne peut pas passer à « Déclarée"):
        update_hours(prestation=done, acting_user=s.staff, heures=2, statut="declaree")


def test_worker_declares_as_planned_other_hours_or_not_held_and_the_client_is_told(
    s, django_capture_on_commit_callbacks
):
    as_planned, other, not_held = planned(s, days_ago(3)), planned(s, days_ago(2)), planned(s, days_ago(1))
    worker = s.prestataire.compte
    with django_capture_on_commit_callbacks(execute=True):
        declare_prestation(prestation=as_planned, acting_user=worker, kind=COMME_PREVU)
        declare_prestation(prestation=other, acting_user=worker, kind=AUTRES_HEURES, debut=T(9), fin=T(11, 30))
        declare_prestation(
            prestation=not_held, acting_user=worker, kind=PAS_EU_LIEU, absence_de="utilisateur", motif="Malade"
        )
    for p in (as_planned, other, not_held):
        p.refresh_from_db()
    assert (as_planned.statut, as_planned.heures) == ("declaree", Decimal(3))
    assert (other.statut, other.heures, other.fin) == ("declaree", Decimal("2.5"), T(11, 30))
    assert (not_held.statut, not_held.absence_de) == ("absence", "utilisateur")
    assert as_planned.declaree_le is not None
    step = as_planned.transitions.get(vers="declaree")
    assert step.par == worker and "Déclarée par le·la prestataire" in step.motif
    assert as_planned.history.first().history_user == worker
    # One e-mail per declaration to the client, each with its no-login link.
    assert [m.to for m in mail.outbox] == [["anne@example.be"]] * 3
    assert "/confirmer/" in mail.outbox[0].body


def test_a_declaration_meets_the_rules_of_a_recording_and_says_why_in_plain_words(s):
    slot = planned(s, days_ago(2))
    with pytest.raises(ValidationError) as refused:
        declare_prestation(
            prestation=slot, acting_user=s.prestataire.compte, kind=AUTRES_HEURES, debut=T(9), fin=T(9, 10)
        )
    assert "quarts d'heure" in " ".join(refused.value.messages) or "0,25" in " ".join(refused.value.messages)
    planned(s, days_ago(2), start=14)
    with pytest.raises(ValidationError, match="chevauche|déjà"):
        declare_prestation(prestation=slot, acting_user=s.prestataire.compte, kind=AUTRES_HEURES, debut=T(9), fin=T(15))
    slot.refresh_from_db()
    assert slot.statut == "planifiee" and slot.heures == 3  # nothing saved


def test_worker_corrects_until_confirmed_and_never_a_future_slot(s):
    slot = planned(s, days_ago(2))
    worker = s.prestataire.compte
    declare_prestation(prestation=slot, acting_user=worker, kind=PAS_EU_LIEU, absence_de="prestataire", motif="x")
    declare_prestation(prestation=slot, acting_user=worker, kind=COMME_PREVU)  # a mistake, corrected
    declare_prestation(prestation=slot, acting_user=worker, kind=AUTRES_HEURES, debut=T(9), fin=T(11))
    slot.refresh_from_db()
    assert (slot.statut, slot.heures) == ("declaree", Decimal(2))
    confirm_hours(prestation=slot, acting_user=s.utilisateur.compte)
    with pytest.raises(ValidationError, match="ne peut plus être déclarée"):
        declare_prestation(prestation=slot, acting_user=worker, kind=COMME_PREVU)
    future = planned(s, timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="ne peut plus être déclarée"):
        declare_prestation(prestation=future, acting_user=worker, kind=COMME_PREVU)
    # A no-show recorded by staff is not the worker's to correct.
    missed = planned(s, days_ago(4))
    from prestations.services import record_no_show

    record_no_show(prestation=missed, acting_user=s.staff, absence_de="prestataire")
    with pytest.raises(ValidationError, match="ne peut plus être déclarée"):
        declare_prestation(prestation=missed, acting_user=worker, kind=COMME_PREVU)


def test_dispute_goes_to_staff_with_both_versions_and_staff_settle_it(s, django_capture_on_commit_callbacks):
    slot = planned(s, days_ago(2))
    declare_prestation(prestation=slot, acting_user=s.prestataire.compte, kind=AUTRES_HEURES, debut=T(9), fin=T(13))
    with pytest.raises(ValidationError):
        dispute_prestation(prestation=slot, acting_user=s.utilisateur.compte, motif=" ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dispute_prestation(prestation=slot, acting_user=s.utilisateur.compte, motif="Parti à 12 h")
    slot.refresh_from_db()
    assert (slot.statut, slot.motif_contestation) == ("contestee", "Parti à 12 h")
    staff_mail = mail.outbox[-1]
    assert staff_mail.to == [s.staff.email]
    assert "4 h, de 09:00 à 13:00" in staff_mail.body and "Parti à 12 h" in staff_mail.body
    update_hours(prestation=slot, acting_user=s.staff, heures=3, debut=T(9), fin=T(12), motif="Accord au téléphone")
    slot.refresh_from_db()
    assert (slot.statut, slot.heures) == ("effectuee", Decimal(3))


def test_validate_confirmed_checks_each_row_and_lists_the_refused(s):
    ok, declared = planned(s, days_ago(3)), planned(s, days_ago(2))
    confirm_hours(prestation=ok, acting_user=s.utilisateur.compte)
    gone = planned(s, days_ago(1))
    confirm_hours(prestation=gone, acting_user=s.utilisateur.compte)
    Prestation.objects.filter(pk=gone.pk).update(statut="validee", validee_le=timezone.now())  # validated meanwhile
    rows = list(Prestation.objects.filter(pk__in=[ok.pk, declared.pk]))
    rows.append(Prestation.objects.get(pk=gone.pk))
    gone_stale = rows[-1]
    gone_stale.statut = "effectuee"  # the screen's stale view: validation must re-read and refuse
    validated, refused = validate_confirmed(rows, acting_user=s.staff)
    assert [p.pk for p in validated] == [ok.pk]
    assert [r.prestation.pk for r in refused] == [gone.pk]
    assert "Seule une prestation aux heures encodées" in refused[0].raison
