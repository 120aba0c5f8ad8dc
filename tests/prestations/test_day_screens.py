"""Staff screens of the day: hours of a slot not yet over, moves outside availability, the planning filter,
the error summary at the top of a form."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from prestations.models import Prestation
from tests.prestations.factories import ready
from tests.prestations.test_matching import good_worker
from utilisateurs.calendrier import jours_feries

pytestmark = pytest.mark.django_db


def _planned(s, worker, day, debut=9, fin=11, statut="planifiee"):
    return Prestation.objects.create(
        agence=s.agence,
        prestataire=worker,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=day,
        debut=datetime.time(debut),
        fin=datetime.time(fin),
        heures=fin - debut,
        statut=statut,
    )


def test_hours_really_worked_are_refused_for_a_slot_that_has_not_ended(client, monkeypatch):
    s = ready()
    worker = good_worker(s)
    today = timezone.localdate()
    four_am = timezone.make_aware(datetime.datetime.combine(today, datetime.time(4)))
    monkeypatch.setattr(timezone, "now", lambda: four_am)
    p = _planned(s, worker, today, 13, 16)
    client.force_login(s.staff)
    url = reverse("prestations:hours", args=[p.pk])
    response = client.post(url, {"heures-debut": "13:00", "heures-fin": "16:00", "heures-heures": "3"})
    assert response.status_code == 400
    page = unescape(response.text)
    assert "Cette plage n'est pas encore terminée (fin à 16:00, il est 04:00)" in page
    p.refresh_from_db()
    assert p.statut == "planifiee"
    # The same hours once the slot is over are accepted.
    monkeypatch.setattr(timezone, "now", lambda: four_am + datetime.timedelta(hours=13))
    assert client.post(url, {"heures-debut": "13:00", "heures-fin": "16:00", "heures-heures": "3"}).status_code == 302


def test_the_error_summary_tops_the_form_and_links_to_the_field(client):
    s = ready()
    worker = good_worker(s)
    p = _planned(s, worker, timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(s.staff)
    response = client.post(
        reverse("prestations:hours", args=[p.pk]),
        {"heures-debut": "09:00", "heures-fin": "11:00", "heures-heures": "7"},
    )
    page = unescape(response.text)
    form = page.split(f'action="/prestations/{p.pk}/heures/"')[1]
    assert form.index('class="error-summary" role="alert"') < form.index('id="id_heures-heures"')
    summary = form.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_heures-heures"' in summary and "de trop" in summary


def test_a_move_outside_the_weekly_availability_warns(client):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    # The Monday, the Monday after and its Tuesday: working days of one year (the setup registers one year).
    week = datetime.timedelta(days=8)
    while jours_feries(monday, monday + week) or (monday + week).year != monday.year:
        monday += datetime.timedelta(days=7)
    s = ready(year=monday.year)
    worker = good_worker(s, prenom="Jeanne", nom="Lejeune")  # available on Monday mornings only
    p = _planned(s, worker, monday)
    client.force_login(s.staff)
    url = reverse("prestations:move", args=[p.pk])
    data = {"deplacer-debut": "09:00", "deplacer-fin": "11:00", "deplacer-motif": "Demande du client"}
    inside = client.post(url, data | {"deplacer-date": (monday + datetime.timedelta(days=7)).isoformat()}, follow=True)
    assert "disponibilités hebdomadaires" not in unescape(inside.text)
    tuesday = monday + datetime.timedelta(days=8)
    outside = unescape(client.post(url, data | {"deplacer-date": tuesday.isoformat()}, follow=True).text)
    assert f"n'est pas disponible le {tuesday:%d/%m/%Y} matin d'après ses disponibilités hebdomadaires" in outside
    p.refresh_from_db()
    assert p.date == tuesday  # a warning, not a refusal


def test_the_planning_hides_cancelled_prestations_unless_asked(client):
    s = ready()
    worker = good_worker(s, nom="Lejeune")
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    _planned(s, worker, monday, 9, 11)
    _planned(s, worker, monday, 14, 16, statut="annulee")
    client.force_login(s.staff)
    url = reverse("prestations:planning") + f"?date={monday:%Y-%m-%d}"
    page = client.get(url).text
    assert "09:00–11:00" in page and "14:00–16:00" not in page
    assert 'name="annulees"' in page
    assert "14:00–16:00" in client.get(url + "&annulees=1").text
