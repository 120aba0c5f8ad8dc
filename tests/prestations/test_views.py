"""The staff and client pages: the cap refusal next to the field, vouchers, import, forms, planning, iCal."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from ale_platform.models import Role
from prestations.models import ChequeALE, GenerationFormulaires, JetonCalendrier, Prestation
from prestations.services import record_prestation
from tests.factories import UserFactory

from .factories import authorise, ready

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time


@pytest.fixture
def s():
    return ready()


@pytest.fixture
def staff(client, s):
    client.force_login(s.staff)
    return client


def record(s, hours, day, **kw):
    return record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=day,
        debut=T(8),
        fin=T(16),
        heures=Decimal(hours),
        acting_user=s.staff,
        **kw,
    )


def post_data(s, **over):
    data = {
        "prestataire": s.prestataire.pk,
        "utilisateur": s.utilisateur.pk,
        "activite": s.generale.pk,
        "date": "2026-03-20",
        "debut": "09:00",
        "fin": "16:00",
        "heures": "6,5",
        "statut": "effectuee",
    }
    return data | over


def test_staff_records_hours_and_sees_the_cap_refusal_next_to_the_field(staff, s):
    for day in (2, 3, 4, 5, 6):
        record(s, 8, D(2026, 3, day))
    response = staff.post(reverse("prestations:create"), post_data(s))
    assert response.status_code == 200
    # Every started hour counts whole (docs/regles.md): 6.5 h count 7 h.
    assert "Plafond mensuel de 45 h dépassé de 2 h" in str(response.context["form"].errors["heures"])
    html = response.content.decode()
    assert "Plafond mensuel de 45 h dépassé de 2 h" in html
    assert 'value="6,5"' in html  # the rest of the form is kept
    response = staff.post(reverse("prestations:create"), post_data(s, heures="5"))
    assert response.status_code == 302
    assert Prestation.objects.filter(date=D(2026, 3, 20), heures=5).exists()


def test_holiday_needs_a_reason_in_the_form(staff, s):
    response = staff.post(reverse("prestations:create"), post_data(s, date="2026-05-01", heures="3"))
    assert "jour férié" in str(response.context["form"].errors["date"])
    response = staff.post(
        reverse("prestations:create"), post_data(s, date="2026-05-01", heures="3", motif_derogation="Fête communale")
    )
    assert response.status_code == 302


def test_hours_validate_and_vouchers_from_the_detail_page(staff, s):
    slot = record(s, 3, D(2026, 3, 10), statut="planifiee")
    url = reverse("prestations:hours", args=[slot.pk])
    response = staff.post(url, {"heures-debut": "09:00", "heures-fin": "11:00", "heures-heures": "2,2"})
    assert response.status_code == 400
    assert "quarts d'heure" in response.content.decode()
    assert staff.post(url, {"heures-debut": "09:00", "heures-fin": "11:30", "heures-heures": "2,5"}).status_code == 302
    assert staff.post(reverse("prestations:validate", args=[slot.pk])).status_code == 302
    slot.refresh_from_db()
    assert slot.statut == "validee"
    response = staff.post(reverse("prestations:attach", args=[slot.pk]), {"cheques-numeros": "1111111111\n1111111112"})
    assert response.status_code == 302
    page = staff.get(reverse("prestations:a_regulariser"))
    assert page.context["clients"][0]["cheques"] == 1
    response = staff.post(reverse("prestations:attach", args=[slot.pk]), {"cheques-numeros": "1111111111"})
    assert "déjà enregistré" in response.content.decode()
    csv_export = staff.get(reverse("prestations:a_regulariser"), {"format": "csv"})
    assert slot.reference in csv_export.content.decode()


def test_duplicate_voucher_number_in_the_entry_form(staff, s):
    url = reverse("prestations:cheque_create")
    data = {
        "numero": "2222222222",
        "utilisateur": s.utilisateur.pk,
        "nominatif": "on",
        "valeur": "5,95",
        "statut": "remis",
    }
    assert staff.post(url, data).status_code == 302
    response = staff.post(url, data)
    assert response.context["form"].errors["numero"] == [
        "Le chèque n° 2222222222 est déjà enregistré : un numéro ne sert qu'une fois."
    ]
    cheque = ChequeALE.objects.get(numero="2222222222")
    detail = reverse("prestations:cheque_detail", args=[cheque.pk])
    assert staff.post(detail, {"statut": "rentre"}).status_code == 302
    cheque.refresh_from_db()
    assert cheque.statut == "rentre"


def test_client_confirms_hours_online(client, s):
    account = UserFactory(role=Role.CLIENT)
    s.utilisateur.compte = account
    s.utilisateur.save()
    slot = record(s, 3, D(2026, 3, 10), statut="planifiee")
    client.force_login(account)
    page = client.get(reverse("prestations:client"))
    assert "Confirmer les heures" in page.content.decode()
    response = client.post(reverse("prestations:client_confirm", args=[slot.pk]), follow=True)
    assert "Merci : vous avez confirmé 3 h le 10/03/2026." in response.content.decode()
    slot.refresh_from_db()
    assert slot.confirmee_le and slot.statut == "effectuee"


def test_planning_and_revocable_ical_feed(staff, client, s):
    record(s, 3, D(2026, 3, 10), statut="planifiee")
    week = staff.get(reverse("prestations:planning"), {"date": "2026-03-11"})
    assert "mar. 10/03" in week.content.decode() or "10/03" in week.content.decode()
    assert staff.get(reverse("prestations:planning"), {"vue": "mois", "date": "2026-03-01"}).status_code == 200
    staff.post(reverse("prestations:ical_token", args=[s.prestataire.pk]))
    token = JetonCalendrier.objects.get(prestataire=s.prestataire).jeton
    feed = client.get(reverse("prestations:ical", args=[token]))
    cal = Calendar.from_ical(feed.content)
    events = list(cal.walk("VEVENT"))
    assert events == [] or str(events[0]["summary"]).startswith("Aide administrative")
    staff.post(reverse("prestations:ical_token", args=[s.prestataire.pk]))
    assert client.get(reverse("prestations:ical", args=[token])).status_code == 404


def test_ical_feed_defines_the_brussels_time_zone_its_times_use(staff, client, s):
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=7)
    if day.year != timezone.localdate().year:  # from the 25th of December
        authorise(s.utilisateur, s.generale, day.year)
    record(s, 3, day, statut="planifiee")
    staff.post(reverse("prestations:ical_token", args=[s.prestataire.pk]))
    token = JetonCalendrier.objects.get(prestataire=s.prestataire).jeton
    cal = Calendar.from_ical(client.get(reverse("prestations:ical", args=[token])).content)
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Brussels"]
    offsets = {sub["TZOFFSETTO"].td for sub in zones[0].subcomponents}
    assert {datetime.timedelta(hours=1), datetime.timedelta(hours=2)} <= offsets  # winter (CET), summer (CEST)
    starts = [e["DTSTART"] for e in cal.walk("VEVENT")]
    assert starts and all(start.params["TZID"] == "Europe/Brussels" for start in starts)


def test_generate_all_forms_shows_progress_and_zip(staff, s):
    record(s, 3, D(2026, 3, 10))
    response = staff.post(reverse("prestations:generation_start"), {"mois": "2026-03"}, follow=True)
    generation = GenerationFormulaires.objects.get()
    assert generation.statut == "terminee"
    assert "Télécharger le ZIP" in response.content.decode()
    assert 'value="100"' in response.content.decode()
    zipped = staff.get(reverse("prestations:generation_zip", args=[generation.pk]))
    assert zipped["Content-Disposition"].startswith("attachment")
    pdf = staff.get(reverse("prestations:formulaire_pdf", args=[s.prestataire.pk, 2026, 3]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from django.core.files.storage import default_storage

    default_storage.delete(generation.fichier)


def test_lists_use_a_fixed_number_of_queries(staff, s, django_assert_max_num_queries):
    for day in range(2, 14):
        p = record(s, 3, D(2026, 3, day)) if D(2026, 3, day).weekday() < 5 else None
        if p and day % 2:
            staff.post(reverse("prestations:validate", args=[p.pk]))
    with django_assert_max_num_queries(12):
        page = staff.get(reverse("prestations:a_regulariser"))
    assert len(page.context["prestations"]) >= 4
    with django_assert_max_num_queries(12):
        staff.get(reverse("prestations:planning"), {"vue": "mois", "date": "2026-03-01"})
    with django_assert_max_num_queries(12):
        staff.get(reverse("prestations:list"))


def test_voucher_register_csv_export(staff, s):
    staff.post(
        reverse("prestations:cheque_create"),
        {"numero": "4444444444", "utilisateur": s.utilisateur.pk, "valeur": "5,95", "statut": "remis"},
    )
    export = staff.get(reverse("prestations:cheques"), {"format": "csv", "statut": "remis"})
    assert "4444444444;Papier;Non;" in export.content.decode()  # the labels on screen, not the codes


def test_prestation_page_shows_the_worker_meters(staff, s):
    p = record(s, 8, D(2026, 3, 10))
    html = staff.get(reverse("prestations:detail", args=[p.pk])).content.decode()
    assert "8 h sur 45 h" in html and "8 h sur 630 h" in html
