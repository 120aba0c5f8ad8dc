"""Weekly half-days and absences; absences never overlap (form, service, same French message)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestataires import services
from prestataires.models import Absence

D = datetime.date


def test_staff_sets_weekly_half_days(staff, world):
    p = world.prestataire_a
    url = reverse("prestataires:disponibilites", kwargs={"pk": p.pk})
    response = staff.post(url, {"form": "semaine", "disponibilites": ["0-matin", "2-apres_midi"]})
    assert response.status_code == 302
    assert {(d.jour, d.demi_journee) for d in p.disponibilites.all()} == {(0, "matin"), (2, "apres_midi")}
    staff.post(url, {"form": "semaine", "disponibilites": ["4-matin"]})
    assert [(d.jour, d.demi_journee) for d in p.disponibilites.all()] == [(4, "matin")]


def test_overlapping_absence_is_refused_on_the_form(staff, world):
    p = world.prestataire_a
    url = reverse("prestataires:disponibilites", kwargs={"pk": p.pk})
    assert (
        staff.post(url, {"form": "absence", "debut": "2026-12-01", "fin": "2026-12-10", "motif": "Congé"}).status_code
        == 302
    )
    response = staff.post(url, {"form": "absence", "debut": "2026-12-10", "fin": "2026-12-12", "motif": "Examen"})
    assert response.status_code == 200
    assert "chevauche celle du 01/12/2026 – 10/12/2026" in " ".join(response.context["absence_form"].errors["debut"])
    assert 'value="Examen"' in response.text
    assert Absence.objects.filter(prestataire=p).count() == 1
    # Adjacent is fine.
    assert staff.post(url, {"form": "absence", "debut": "2026-12-11", "fin": "2026-12-12"}).status_code == 302


def test_absence_end_before_start_is_refused(staff, world):
    url = reverse("prestataires:disponibilites", kwargs={"pk": world.prestataire_a.pk})
    response = staff.post(url, {"form": "absence", "debut": "2026-12-10", "fin": "2026-12-01"})
    assert "doit suivre son début" in " ".join(response.context["absence_form"].errors["fin"])


def test_the_service_refuses_overlaps_too(world):
    p = world.prestataire_a
    services.add_absence(prestataire=p, debut=D(2026, 12, 1), fin=D(2026, 12, 3), acting_user=None)
    with pytest.raises(ValidationError, match="chevauche"):
        services.add_absence(prestataire=p, debut=D(2026, 11, 28), fin=D(2026, 12, 1), acting_user=None)
