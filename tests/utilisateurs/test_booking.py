"""Online booking: one-off and recurring requests, Belgian public holidays, school weeks, bad input, idempotency."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActiviteFactory
from utilisateurs.calendrier import Recurrence, occurrences
from utilisateurs.models import CongeScolaire, Demande, Inscription

from .factories import AutorisationFactory, DemandeFactory, InscriptionFactory, SiteFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def booking(world, as_user):
    u = world.utilisateur_a
    InscriptionFactory(utilisateur=u)
    activite = AutorisationFactory(utilisateur=u).activite
    return as_user(world.users["client"]), u, activite


def _data(activite, **overrides):
    day = TODAY() + datetime.timedelta(days=10)
    data = {
        "cle": str(uuid.uuid4()),
        "activite": activite.pk,
        "description": "Tondre la pelouse",
        "nombre_prestataires": 1,
        "mode": "ponctuelle",
        "date": day.isoformat(),
        "heure_debut": "09:00",
        "heure_fin": "11:30",
        "intervalle": 1,
    }
    return data | overrides


def _errors(response):
    return response.context["form"].errors


def test_one_off_booking(booking):
    client, u, activite = booking
    site = SiteFactory(utilisateur=u)
    response = client.post(reverse("utilisateurs:reserver"), _data(activite, site=site.pk, nombre_prestataires=2))
    demande = Demande.objects.get(utilisateur=u)
    assert response.status_code == 302 and response["Location"] == reverse("utilisateurs:demande", args=[demande.pk])
    assert demande.site == site and demande.nombre_prestataires == 2 and demande.statut == "nouvelle"
    assert [(c.debut, c.fin) for c in demande.creneaux.all()] == [(datetime.time(9), datetime.time(11, 30))]
    assert demande.changements.get().par == u.compte
    assert demande.created_by == u.compte


def test_recurring_every_two_weeks(booking):
    client, u, activite = booking
    monday = TODAY() + datetime.timedelta(days=7 - TODAY().weekday())
    data = _data(
        activite,
        mode="recurrente",
        periode_debut=monday.isoformat(),
        periode_fin=(monday + datetime.timedelta(days=27)).isoformat(),
        jours=["1"],
        intervalle=2,
        heure_debut="12:00",
        heure_fin="13:30",
    )
    client.post(reverse("utilisateurs:reserver"), data)
    demande = Demande.objects.get(utilisateur=u)
    tuesday = monday + datetime.timedelta(days=1)
    assert [c.date for c in demande.creneaux.all()] == [tuesday, tuesday + datetime.timedelta(days=14)]
    assert demande.recurrente and demande.jours == [1] and demande.intervalle_semaines == 2


def test_recurrence_skips_belgian_public_holidays_and_says_so(booking):
    client, u, activite = booking
    new_year = datetime.date(TODAY().year + 1, 1, 1)
    InscriptionFactory(utilisateur=u, annee=new_year.year, validee=False)
    data = _data(
        activite,
        mode="recurrente",
        periode_debut=new_year.isoformat(),
        periode_fin=(new_year + datetime.timedelta(days=14)).isoformat(),
        jours=[str(new_year.weekday())],
    )
    response = client.post(reverse("utilisateurs:reserver"), data, follow=True)
    demande = Demande.objects.get(utilisateur=u)
    dates = [c.date for c in demande.creneaux.all()]
    assert new_year not in dates and len(dates) == 2
    assert "Jours fériés exclus" in response.text and "Nouvel An" in response.text


def test_dates_of_next_year_without_next_years_registration_are_refused_with_the_reason(booking):
    client, u, activite = booking
    new_year = datetime.date(TODAY().year + 1, 1, 5)
    response = client.post(reverse("utilisateurs:reserver"), _data(activite, date=new_year.isoformat()))
    assert response.status_code == 200 and not Demande.objects.filter(utilisateur=u).exists()
    errors = " ".join(response.context["form"].non_field_errors())
    assert f"Votre inscription pour {new_year.year} n'est pas encore faite" in errors
    assert f"31/12/{new_year.year - 1}" in errors


def test_next_years_registration_asked_from_the_space_opens_next_years_dates(booking):
    client, u, activite = booking
    next_year = TODAY().year + 1
    page = client.get(reverse("utilisateurs:espace"))
    assert f"Demander dès maintenant mon inscription pour {next_year}" in page.text
    client.post(reverse("utilisateurs:renouveler"), {"annee": str(next_year)})
    assert Inscription.objects.get(utilisateur=u, annee=next_year).validee is False
    day = datetime.date(next_year, 1, 5)
    client.post(reverse("utilisateurs:reserver"), _data(activite, date=day.isoformat()))
    assert Demande.objects.get(utilisateur=u).creneaux.get().date == day


def test_booking_page_shows_the_public_holidays(booking):
    client, _u, _activite = booking
    page = client.get(reverse("utilisateurs:reserver"))
    assert "Nouvel An" in page.text and 'name="cle"' in page.text


@pytest.mark.today("2028-02-29")
def test_booking_page_opens_on_a_leap_day_with_the_next_twelve_months_holidays(booking):
    client, _u, _activite = booking
    page = client.get(reverse("utilisateurs:reserver"))
    assert page.status_code == 200  # no 29 February next year: the page once failed there
    assert "Nouvel An" in page.text and "01/01/2029" in page.text and "Lundi de Pâques" in page.text


def test_school_weeks_only_skips_school_holidays():
    monday = datetime.date(2030, 2, 4)
    CongeScolaire.objects.create(
        nom="Congé de détente", debut=datetime.date(2030, 2, 11), fin=datetime.date(2030, 2, 22)
    )
    rec = Recurrence(debut=monday, fin=monday + datetime.timedelta(days=27), jours=[1], semaines_scolaires=True)
    result = occurrences(rec)
    assert result.dates == [datetime.date(2030, 2, 5), datetime.date(2030, 2, 26)]
    assert result.conges == [datetime.date(2030, 2, 12), datetime.date(2030, 2, 19)]
    rec.semaines_scolaires = False
    assert len(occurrences(rec).dates) == 4


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2020-01-01"}, "date", "Cette date est passée"),
        ({"heure_debut": "11:00", "heure_fin": "10:00"}, "heure_fin", "L'heure de fin doit suivre l'heure de début."),
        (
            {"mode": "recurrente", "periode_debut": "2099-02-01", "periode_fin": "2099-01-01", "jours": ["1"]},
            "periode_fin",
            "La fin de la période doit suivre son début.",
        ),
        ({"mode": "recurrente", "jours": ["1"]}, "periode_debut", "Indiquez le premier jour de la période."),
        ({"date": ""}, "date", "Indiquez la date souhaitée."),
    ],
)
def test_bad_dates_get_a_clear_french_message_and_nothing_is_saved(booking, overrides, field, message):
    client, u, activite = booking
    response = client.post(reverse("utilisateurs:reserver"), _data(activite, **overrides))
    assert response.status_code == 200
    assert message in " ".join(_errors(response)[field])
    assert 'value="Tondre la pelouse"' in response.text or "Tondre la pelouse" in response.text  # nothing lost
    assert not Demande.objects.exists()


def test_recurrence_with_no_occurrence(booking):
    client, u, activite = booking
    start = TODAY() + datetime.timedelta(days=10)
    while start.weekday() != 0:
        start += datetime.timedelta(days=1)
    data = _data(
        activite,
        mode="recurrente",
        periode_debut=start.isoformat(),
        periode_fin=(start + datetime.timedelta(days=2)).isoformat(),
        jours=["5"],  # a Saturday between a Monday and a Wednesday: none
    )
    response = client.post(reverse("utilisateurs:reserver"), data)
    assert "Cette récurrence ne donne aucune date" in " ".join(_errors(response)["jours"])
    assert not Demande.objects.exists()


def test_activity_without_authorisation_is_refused_unless_asked(booking, world):
    client, u, _activite = booking
    other = ActiviteFactory(agence=world.agence_a, nom="Garde d'enfants")
    response = client.post(reverse("utilisateurs:reserver"), _data(other))
    assert "Vous n'avez pas d'autorisation pour « Garde d'enfants »" in " ".join(_errors(response)["activite"])
    assert not Demande.objects.exists()
    response = client.post(reverse("utilisateurs:reserver"), _data(other, demande_autorisation="on"))
    assert response.status_code == 302
    assert Demande.objects.get().demande_autorisation


def test_activity_not_offered_to_the_client_type(booking, world):
    client, _u, _activite = booking
    school = ActiviteFactory(agence=world.agence_a, types_utilisateurs=["enseignement"])
    response = client.post(reverse("utilisateurs:reserver"), _data(school, demande_autorisation="on"))
    assert "activite" in _errors(response)
    assert not Demande.objects.exists()


def test_expired_authorisation_does_not_cover_the_dates(booking):
    client, u, activite = booking
    u.autorisations.update(fin=TODAY() + datetime.timedelta(days=3))
    response = client.post(reverse("utilisateurs:reserver"), _data(activite))
    assert "ne couvre pas le" in " ".join(_errors(response)["activite"])


def test_expired_registration_blocks_booking_with_a_clear_message(booking):
    client, u, activite = booking
    Inscription.objects.filter(utilisateur=u).update(annee=TODAY().year - 1)
    page = client.get(reverse("utilisateurs:reserver"))
    assert "Votre inscription annuelle pour" in page.text
    response = client.post(reverse("utilisateurs:reserver"), _data(activite))
    assert "n'est pas en ordre (elle a expiré)" in " ".join(_errors(response)["__all__"])
    assert not Demande.objects.exists()
    espace = client.get(reverse("utilisateurs:espace"))
    assert "Demander mon inscription pour cette année" in espace.text


def test_double_submit_creates_one_request(booking):
    client, u, activite = booking
    data = _data(activite)
    first = client.post(reverse("utilisateurs:reserver"), data)
    second = client.post(reverse("utilisateurs:reserver"), data, follow=True)
    assert Demande.objects.count() == 1
    assert first["Location"] == second.redirect_chain[-1][0]
    assert "déjà enregistrée" in second.text


def test_idempotency_key_is_unique_in_the_database(world):
    key = uuid.uuid4()
    DemandeFactory(utilisateur=world.utilisateur_a, cle_idempotence=key)
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandeFactory(utilisateur=world.utilisateur_a, cle_idempotence=key)


def test_staff_book_for_an_offline_client_and_are_named(world, as_user):
    u = world.utilisateur_a
    InscriptionFactory(utilisateur=u)
    activite = AutorisationFactory(utilisateur=u).activite
    staff = world.users["collab_a"]
    client = as_user(staff)
    response = client.post(reverse("utilisateurs:staff_demande_create", args=[u.pk]), _data(activite))
    demande = Demande.objects.get()
    assert response["Location"] == reverse("utilisateurs:staff_demande", args=[demande.pk])
    assert demande.created_by == staff
    assert demande.history.first().history_user == staff
    change = demande.changements.get()
    assert change.par == staff and "encodée par l'agence" in change.motif
    # Agency B's collaborator cannot book for A's client.
    other = as_user(world.users["collab_b"])
    assert other.post(reverse("utilisateurs:staff_demande_create", args=[u.pk]), _data(activite)).status_code == 404


def test_a_one_off_booking_needs_no_frequency_and_each_mode_shows_its_own_block(booking):
    client, u, activite = booking
    page = client.get(reverse("utilisateurs:reserver")).content.decode()
    assert 'for="id_intervalle">Fréquence</label>' in page  # no "*": only a recurrence uses it
    assert "booking__group--ponctuelle" in page and "booking__group--recurrente" in page
    data = _data(activite)
    del data["intervalle"]
    assert client.post(reverse("utilisateurs:reserver"), data).status_code == 302
    recurring = _data(
        activite,
        cle=str(uuid.uuid4()),
        mode="recurrente",
        date="",
        periode_debut=(TODAY() + datetime.timedelta(days=7)).isoformat(),
        periode_fin=(TODAY() + datetime.timedelta(days=20)).isoformat(),
        jours=[1],
    )
    del recurring["intervalle"]
    assert client.post(reverse("utilisateurs:reserver"), recurring).status_code == 302
    assert Demande.objects.get(utilisateur=u, recurrente=True).intervalle_semaines == 1  # every week by default
