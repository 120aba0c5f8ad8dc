"""The monthly summaries behind the dashboard's charts stay equal to the register, whatever writes it."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from prestations import bilans
from prestations.models import BilanMensuel, Prestation
from prestations.services import cancel_prestation, confirm_hours, record_prestation, validate_prestation
from tests.factories import PrestataireFactory

from .factories import ready

D, T = datetime.date, datetime.time


def rec(s, day, hours=2, start=9, **kw):
    return record_prestation(
        prestataire=kw.pop("prestataire", s.prestataire),
        utilisateur=kw.pop("utilisateur", s.utilisateur),
        activite=kw.pop("activite", s.generale),
        date=day,
        debut=T(start),
        fin=T(start + hours),
        heures=hours,
        acting_user=s.staff,
        **kw,
    )


def summary(agence, month) -> dict:
    b = BilanMensuel.objects.filter(agence=agence, mois=month).first()
    if b is None:
        return {}
    fields = ("heures_generale", "heures_majoree", "heures_agricole", "prestations", "prestataires", "utilisateurs")
    return {f: getattr(b, f) for f in fields if getattr(b, f)}


def rebuilt(agence, month) -> dict:
    """What a rebuild from scratch gives for that month (the reference the live summary must match)."""
    live = summary(agence, month)
    bilans.rebuild([agence.pk])
    assert summary(agence, month) == live
    return live


@pytest.mark.django_db
def test_recorded_hours_and_people_are_summarised_per_month_and_category():
    s = ready()
    rec(s, D(2026, 3, 2), hours=2)
    rec(s, D(2026, 3, 3), hours=3, activite=s.majoree)
    rec(s, D(2026, 3, 4), hours=4, activite=s.agricole, utilisateur=s.ferme)
    rec(s, D(2026, 3, 5), hours=1, statut=Prestation.Statut.PLANIFIEE)  # planned: not yet in the figures
    other_month = rec(s, D(2026, 4, 1), hours=2)
    assert rebuilt(s.agence, D(2026, 3, 1)) == {
        "heures_generale": Decimal(2),
        "heures_majoree": Decimal(3),
        "heures_agricole": Decimal(4),
        "prestations": 3,
        "prestataires": 1,
        "utilisateurs": 2,
    }
    assert summary(s.agence, D(2026, 4, 1))["heures_generale"] == other_month.heures


@pytest.mark.django_db
def test_confirming_cancelling_and_moving_update_the_months_concerned():
    s = ready()
    planned = rec(s, D(2026, 5, 4), hours=2, statut=Prestation.Statut.PLANIFIEE)
    assert summary(s.agence, D(2026, 5, 1)) == {}
    confirm_hours(prestation=planned, acting_user=s.staff)
    assert summary(s.agence, D(2026, 5, 1))["heures_generale"] == 2
    validate_prestation(prestation=Prestation.objects.get(pk=planned.pk), acting_user=s.staff)
    assert summary(s.agence, D(2026, 5, 1))["heures_generale"] == 2

    done = rec(s, D(2026, 5, 6), hours=3)
    cancel_prestation(prestation=done, acting_user=s.staff, motif="Encodée par erreur")
    assert rebuilt(s.agence, D(2026, 5, 1))["heures_generale"] == 2

    # A correction in the admin moves a validated session to the month before: both months follow.
    moved = Prestation.objects.get(pk=planned.pk)
    moved.date = D(2026, 4, 28)
    moved.save()
    assert summary(s.agence, D(2026, 5, 1)) == {}
    assert rebuilt(s.agence, D(2026, 4, 1))["heures_generale"] == 2

    moved.delete()
    assert summary(s.agence, D(2026, 4, 1)) == {}


@pytest.mark.django_db
def test_the_management_command_rebuilds_what_a_bulk_load_bypassed():
    s = ready()
    rec(s, D(2026, 6, 1), hours=2)
    BilanMensuel.objects.all().delete()  # as after a COPY or a restore that skipped the application
    Prestation.objects.filter(agence=s.agence).update(heures=Decimal(3), fin=T(12))
    call_command("bilans", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert summary(s.agence, D(2026, 6, 1))["heures_generale"] == 3
    Prestation.objects.filter(agence=s.agence).delete()  # the live refresh leaves a zero row; a rebuild drops it
    call_command("bilans", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not BilanMensuel.objects.filter(agence=s.agence).exists()


@pytest.mark.django_db(transaction=True)
def test_two_recordings_at_once_in_the_same_month_are_both_counted():
    """Each recording re-aggregates its month under a lock on the summary row: neither overwrites the other."""
    s = ready()
    second = PrestataireFactory(agence=s.agence, statut="actif", organisme_paiement="capac")
    barrier = threading.Barrier(2)
    errors = []

    def record(worker, day):
        try:
            barrier.wait(timeout=10)
            rec(s, day, hours=2, prestataire=worker)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=(s.prestataire, D(2026, 9, 1))),
        threading.Thread(target=record, args=(second, D(2026, 9, 2))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    recorded = Prestation.objects.filter(agence=s.agence, date__month=9).count()
    if connection.vendor == "sqlite":
        # SQLite lets one writer in at a time: the other may be turned away ("database is locked").
        assert recorded + len(errors) == 2
    else:
        assert not errors and recorded == 2
    assert summary(s.agence, D(2026, 9, 1)) == {
        "heures_generale": Decimal(2 * recorded),
        "prestations": recorded,
        "prestataires": recorded,
        "utilisateurs": 1,
    }
