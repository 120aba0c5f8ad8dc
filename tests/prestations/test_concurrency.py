"""Two collaborators at the same moment, on two database connections: caps and voucher numbers still hold.

On PostgreSQL the worker's row lock (select_for_update) serialises the two recordings: exactly one succeeds and
the other gets the French cap error; the same number entered twice gives one voucher and one clean error.
SQLite has no row locks but lets a single writer in: the loser may instead get "database is locked"; the
invariant (never past the cap, never two vouchers with one number) is asserted on both.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from prestations.models import ChequeALE, Prestation
from prestations.services import record_cheque, record_prestation

from .factories import ready

pytestmark = pytest.mark.django_db(transaction=True)
D, T = datetime.date, datetime.time


def run_concurrently(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except ValidationError as e:
            results[i] = ("refused", " ".join(m for msgs in e.message_dict.values() for m in msgs))
        except OperationalError as e:  # SQLite only: the second writer is turned away
            results[i] = ("locked", str(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_recordings_at_once_never_pass_the_monthly_cap():
    s = ready()
    for day in [2, 3, 4, 5, 6]:  # 40 h in March
        record_prestation(
            prestataire=s.prestataire,
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=D(2026, 3, day),
            debut=T(8),
            fin=T(16),
            heures=8,
            acting_user=s.staff,
        )

    def record(day):
        return lambda: record_prestation(
            prestataire=s.prestataire,
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=D(2026, 3, day),
            debut=T(9),
            fin=T(13),
            heures=4,
            acting_user=s.staff,
        )

    results = run_concurrently(record(10), record(11))
    kinds = sorted(kind for kind, _ in results)
    total = sum(p.heures for p in Prestation.objects.filter(prestataire=s.prestataire))
    assert total == Decimal(44)  # 40 + one of the two 4 h recordings, never 48
    if connection.vendor == "postgresql":
        assert kinds == ["ok", "refused"]
        refusal = next(msg for kind, msg in results if kind == "refused")
        assert "Plafond mensuel de 45 h dépassé de 3 h" in refusal
    else:
        assert kinds in (["ok", "refused"], ["locked", "ok"])


def test_the_same_voucher_number_entered_twice_at_once_gives_one_voucher():
    s = ready()

    def enter():
        return record_cheque(agence=s.agence, numero="1234567890", utilisateur=s.utilisateur, acting_user=s.staff)

    results = run_concurrently(enter, enter)
    kinds = sorted(kind for kind, _ in results)
    assert ChequeALE.objects.filter(numero="1234567890").count() == 1
    if connection.vendor == "postgresql":
        assert kinds == ["ok", "refused"]
        refusal = next(msg for kind, msg in results if kind == "refused")
        assert refusal == "Le chèque n° 1234567890 est déjà enregistré : un numéro ne sert qu'une fois."
    else:
        assert kinds in (["ok", "refused"], ["locked", "ok"])


def test_two_agencies_recording_for_the_same_person_at_once_never_pass_the_cap():
    """Rule: the caps belong to the person (honnelles.be); both of their files are locked in the same order, so
    two agencies recording at the same moment are serialised and cannot deadlock."""
    from tests.factories import AgenceFactory

    s = ready()
    other = ready(agence=AgenceFactory(), niss=s.prestataire.niss)
    for day in [2, 3, 4, 5, 6]:  # 40 h in March at the first agency
        record_prestation(
            prestataire=s.prestataire,
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=D(2026, 3, day),
            debut=T(8),
            fin=T(16),
            heures=8,
            acting_user=s.staff,
        )

    def record(setup, day):
        return lambda: record_prestation(
            prestataire=setup.prestataire,
            utilisateur=setup.utilisateur,
            activite=setup.generale,
            date=D(2026, 3, day),
            debut=T(9),
            fin=T(13),
            heures=4,
            acting_user=setup.staff,
        )

    results = run_concurrently(record(s, 10), record(other, 11))
    kinds = sorted(kind for kind, _ in results)
    total = sum(p.heures for p in Prestation.objects.filter(prestataire__niss=s.prestataire.niss))
    assert total == Decimal(44)
    if connection.vendor == "postgresql":
        assert kinds == ["ok", "refused"]
