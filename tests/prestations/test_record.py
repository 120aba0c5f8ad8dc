"""record_prestation(): the only way hours are written; every cap, the worker's status, the client's rights."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from prestations.models import Prestation
from prestations.services import (
    AvertissementPrestation,
    belgian_holiday,
    cancel_prestation,
    confirm_hours,
    move_prestation,
    record_no_show,
    record_prestation,
    update_hours,
    validate_prestation,
)

from .factories import ready

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def rec(s, hours, day, activite=None, utilisateur=None, start=8, **kw):
    """Records `hours` on `day` starting at `start` o'clock (the slot is exactly `hours` long)."""
    hours = Decimal(str(hours))
    begin = datetime.datetime.combine(day, T(start))
    end = begin + datetime.timedelta(minutes=int(hours * 60))
    return record_prestation(
        prestataire=s.prestataire,
        utilisateur=utilisateur or s.utilisateur,
        activite=activite or s.generale,
        date=day,
        debut=begin.time(),
        fin=end.time(),
        heures=hours,
        acting_user=s.staff,
        **kw,
    )


def fill(s, hours, month, activite=None, utilisateur=None, year=2026):
    """Records `hours` as 8 h days from the 2nd of the month (weekdays, no holidays in the months used)."""
    day, left = D(year, month, 2), Decimal(hours)
    while left > 0:
        if belgian_holiday(day):
            day += datetime.timedelta(days=1)
            continue
        chunk = min(left, Decimal(8))
        rec(s, chunk, day, activite=activite, utilisateur=utilisateur)
        left -= chunk
        day += datetime.timedelta(days=1)


def messages(exc) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


def test_records_hours_with_the_acting_user_and_history():
    s = ready()
    p = rec(s, "2.5", D(2026, 3, 10))
    assert p.statut == Prestation.Statut.EFFECTUEE
    assert p.heures == Decimal("2.5")
    assert p.created_by == s.staff
    assert p.history.first().history_user == s.staff


def test_general_cap_45_refused_with_the_excess():
    s = ready()
    fill(s, 40, 3)
    rec(s, 5, D(2026, 3, 20))  # exactly 45: allowed
    with pytest.raises(ValidationError) as exc:
        rec(s, "2.5", D(2026, 3, 23))
    # Every started hour counts whole (docs/regles.md, "A started hour against the caps"): 2.5 h count 3 h.
    assert "Plafond mensuel de 45 h dépassé de 3 h" in messages(exc)
    assert "heures" in exc.value.message_dict
    assert Prestation.objects.filter(date=D(2026, 3, 23)).count() == 0


def test_majoree_activities_allow_70_but_general_hours_stay_under_45():
    s = ready()
    fill(s, 40, 3, activite=s.majoree)
    fill(s, 30, 4, activite=s.majoree)
    fill_more = rec(s, 8, D(2026, 3, 20), activite=s.generale)
    assert fill_more.pk
    rec(s, 8, D(2026, 3, 23), activite=s.generale)
    rec(s, 8, D(2026, 3, 24), activite=s.generale)
    with pytest.raises(ValidationError) as exc:  # 40 majorée + 24 générale + 7 = 71
        rec(s, 7, D(2026, 3, 25), activite=s.generale)
    assert "Plafond mensuel de 70 h (activités à plafond majoré) dépassé de 1 h" in messages(exc)
    s2 = ready()
    fill(s2, 40, 3)
    with pytest.raises(ValidationError) as exc:  # 40 + 6 générale = 46 > 45 even with majorée room
        rec(s2, 6, D(2026, 3, 20), activite=s2.generale)
    assert "Plafond mensuel de 45 h dépassé de 1 h" in messages(exc)


def test_agriculture_150_of_which_45_outside():
    s = ready()
    fill(s, 104, 3, activite=s.agricole, utilisateur=s.ferme)  # 13 days x 8 h
    fill(s, 40, 4)  # other month: no effect
    rec(s, 8, D(2026, 3, 20), activite=s.majoree)
    rec(s, 8, D(2026, 3, 23), activite=s.majoree)
    rec(s, 8, D(2026, 3, 24), activite=s.majoree)
    rec(s, 8, D(2026, 3, 25), activite=s.majoree)
    rec(s, 8, D(2026, 3, 26), activite=s.majoree)  # 40 outside agriculture
    with pytest.raises(ValidationError) as exc:
        rec(s, 6, D(2026, 3, 27), activite=s.majoree)
    assert "Plafond de 45 h hors agriculture sur le mois dépassé de 1 h" in messages(exc)
    with pytest.raises(ValidationError) as exc:  # 104 + 40 + 7 = 151
        rec(s, 7, D(2026, 3, 27), activite=s.agricole, utilisateur=s.ferme)
    assert "Plafond mensuel de 150 h en agriculture/horticulture dépassé de 1 h" in messages(exc)
    rec(s, 6, D(2026, 3, 27), activite=s.agricole, utilisateur=s.ferme)  # 150 exactly


def test_annual_cap_630():
    s = ready()
    for month in range(1, 11):  # 10 months x 62 h of majorée = 620 h
        fill(s, 62, month, activite=s.majoree)
    fill(s, 8, 11, activite=s.majoree)
    with pytest.raises(ValidationError) as exc:
        rec(s, "3.5", D(2026, 11, 20), activite=s.majoree)
    assert "Plafond annuel de 630 h dépassé de 2 h" in messages(exc)  # 3.5 h count 4 h


def test_cancelled_and_absent_hours_do_not_count():
    s = ready()
    fill(s, 40, 3)
    p = rec(s, 5, D(2026, 3, 20), statut=Prestation.Statut.PLANIFIEE)
    record_no_show(prestation=p, acting_user=s.staff, absence_de="utilisateur")
    rec(s, 5, D(2026, 3, 23))


def test_planned_hours_count_against_the_caps():
    s = ready()
    fill(s, 40, 3)
    rec(s, 5, D(2026, 3, 20), statut=Prestation.Statut.PLANIFIEE)
    with pytest.raises(ValidationError):
        rec(s, 1, D(2026, 3, 23), statut=Prestation.Statut.PLANIFIEE)


@pytest.mark.parametrize(
    ("hours", "start", "end", "expected"),
    [
        ("2.3", T(9), T(12), "Les heures se comptent par quarts d'heure (0,25 h) : 2,3 h n'en est pas un multiple"),
        ("3", T(12), T(9), "L'heure de fin (09:00) doit être après l'heure de début (12:00)."),
        ("4", T(9), T(12), "4 h encodées pour une plage de 3 h (de 09:00 à 12:00) : 1 h de trop."),
    ],
)
def test_bad_shapes(hours, start, end, expected):
    s = ready()
    with pytest.raises(ValidationError) as exc:
        record_prestation(
            prestataire=s.prestataire,
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=D(2026, 3, 10),
            debut=start,
            fin=end,
            heures=Decimal(hours),
            acting_user=s.staff,
        )
    assert expected in messages(exc)
    assert not Prestation.objects.exists()


def test_worker_must_be_actif_and_client_authorised():
    s = ready()
    s.prestataire.statut = "inscrit"
    s.prestataire.save()
    with pytest.raises(ValidationError) as exc:
        rec(s, 2, D(2025, 6, 10))  # and no registration nor authorisation in 2025
    text = messages(exc)
    assert "n'est pas actif·ve" in text
    assert "L'inscription de l'utilisateur pour 2025 n'est pas en ordre." in text
    assert "pas d'autorisation valable le 10/06/2025" in text


def test_overlapping_slots_are_refused():
    s = ready()
    rec(s, 3, D(2026, 3, 10), start=9)
    with pytest.raises(ValidationError) as exc:
        rec(s, 2, D(2026, 3, 10), start=11)
    assert "travaille déjà de 09:00 à 12:00" in messages(exc)


def test_public_holiday_is_a_warning_staff_may_override_with_a_reason():
    s = ready()
    with pytest.raises(AvertissementPrestation) as exc:
        rec(s, 2, D(2026, 5, 1))
    assert "jour férié" in messages(exc)
    p = rec(s, 2, D(2026, 5, 1), override_reason="Fête de l'école, demande du client")
    assert p.motif_derogation == "Fête de l'école, demande du client"


def test_caps_cannot_be_overridden():
    s = ready()
    fill(s, 45, 3)
    with pytest.raises(ValidationError) as exc:
        rec(s, 1, D(2026, 3, 23), override_reason="urgence")
    assert "Plafond mensuel de 45 h dépassé de 1 h" in messages(exc)


def test_future_hours_cannot_be_recorded_as_worked():
    s = ready(year=2027)
    with pytest.raises(ValidationError) as exc:
        rec(s, 2, D(2027, 3, 10))
    assert "date future" in messages(exc)
    assert rec(s, 2, D(2027, 3, 10), statut=Prestation.Statut.PLANIFIEE).pk


def test_update_hours_of_a_planned_slot_then_validate():
    s = ready()
    fill(s, 40, 3)
    slot = rec(s, 4, D(2026, 3, 20), statut=Prestation.Statut.PLANIFIEE)
    with pytest.raises(ValidationError) as exc:  # 40 + 6 (the slot's own 4 h are not counted twice)
        update_hours(prestation=slot, heures=6, debut=T(8), fin=T(14), acting_user=s.staff)
    assert "dépassé de 1 h" in messages(exc)
    slot = update_hours(prestation=slot, heures=5, debut=T(8), fin=T(13), acting_user=s.staff)
    assert slot.statut == Prestation.Statut.EFFECTUEE and slot.heures == 5
    slot = validate_prestation(prestation=slot, acting_user=s.staff)
    assert slot.statut == Prestation.Statut.VALIDEE and slot.validee_par == s.staff
    with pytest.raises(ValidationError):
        update_hours(prestation=slot, heures=4, acting_user=s.staff)


def test_move_and_cancel_keep_history_and_client_confirms():
    s = ready()
    slot = rec(s, 3, D(2026, 3, 10), statut=Prestation.Statut.PLANIFIEE)
    slot = move_prestation(
        prestation=slot, date=D(2026, 3, 11), debut=T(13), fin=T(16), acting_user=s.staff, motif="Pluie"
    )
    dates = [h.date for h in slot.history.order_by("history_id")]
    assert dates == [D(2026, 3, 10), D(2026, 3, 11)]
    slot = confirm_hours(prestation=slot, acting_user=s.utilisateur.compte or s.staff)
    assert slot.statut == Prestation.Statut.EFFECTUEE and slot.confirmee_le
    other = rec(s, 2, D(2026, 3, 12), statut=Prestation.Statut.PLANIFIEE)
    with pytest.raises(ValidationError):
        cancel_prestation(prestation=other, acting_user=s.staff, motif="")
    other = cancel_prestation(prestation=other, acting_user=s.staff, motif="Client malade")
    assert other.statut == Prestation.Statut.ANNULEE
    assert other.history.first().history_change_reason == "Client malade"
