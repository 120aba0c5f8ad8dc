"""The client follows a request: dated status history, worker's first name, cancellation before the deadline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import PrestataireFactory, PrestationFactory
from utilisateurs import services
from utilisateurs.models import ChangementStatut, Creneau, ParametresUtilisateurs

from .factories import DemandeFactory

pytestmark = pytest.mark.django_db


def _demande(world, days=10, hour=9, n=1):
    demande = DemandeFactory(utilisateur=world.utilisateur_a)
    ChangementStatut.objects.create(demande=demande, de="", vers="nouvelle", motif="Demande envoyée en ligne.")
    start = timezone.localdate() + datetime.timedelta(days=days)
    for i in range(n):
        Creneau.objects.create(
            demande=demande,
            date=start + datetime.timedelta(days=7 * i),
            debut=datetime.time(hour),
            fin=datetime.time(hour + 2),
        )
    return demande


def test_staff_change_status_with_a_reason_and_the_client_reads_it(world, as_user):
    demande = _demande(world)
    staff = as_user(world.users["collab_a"])
    url = reverse("utilisateurs:staff_demande", args=[demande.pk])
    response = staff.post(url, {"statut": "en_recherche", "motif": ""})
    assert "Ce champ est obligatoire." in response.text
    staff.post(url, {"statut": "en_recherche", "motif": "Nous cherchons un·e jardinier·ère."})
    staff.post(url, {"statut": "attribuee", "motif": "Jean a accepté."})
    demande.refresh_from_db()
    assert demande.statut == "attribuee"
    steps = list(demande.changements.values_list("de", "vers", "par"))
    assert steps[1:] == [
        ("nouvelle", "en_recherche", world.users["collab_a"].pk),
        ("en_recherche", "attribuee", world.users["collab_a"].pk),
    ]
    # A closed transition is refused.
    with pytest.raises(ValidationError):
        services.change_statut(demande=demande, statut="nouvelle", motif="x", acting_user=world.users["collab_a"])
    page = as_user(world.users["client"]).get(reverse("utilisateurs:demande", args=[demande.pk]))
    assert "Nous cherchons un·e jardinier·ère." in page.text and "Attribuée" in page.text


def test_client_sees_the_worker_first_name_only(world, as_user):
    demande = _demande(world)
    worker = PrestataireFactory(agence=world.agence_a, prenom="Jean", nom="Lejeune-Secret")
    PrestationFactory(
        prestataire=worker,
        utilisateur=world.utilisateur_a,
        activite=demande.activite,
        demande=demande,
        statut="planifiee",
        date=timezone.localdate() + datetime.timedelta(days=10),
    )
    page = as_user(world.users["client"]).get(reverse("utilisateurs:demande", args=[demande.pk]))
    assert "Jean" in page.text and "Lejeune-Secret" not in page.text
    espace = as_user(world.users["client"]).get(reverse("utilisateurs:espace"))
    assert "Jean" in espace.text and "Lejeune-Secret" not in espace.text


def test_client_cancels_one_date_then_the_request(world, as_user):
    demande = _demande(world, n=3)
    client = as_user(world.users["client"])
    first = demande.creneaux.first()
    client.post(reverse("utilisateurs:creneau_annuler", args=[first.pk]))
    first.refresh_from_db()
    assert first.annule and first.annule_le is not None
    client.post(
        reverse("utilisateurs:demande_annuler", args=[demande.pk]), {"motif": "Nous déménageons.", "confirme": "1"}
    )
    demande.refresh_from_db()
    assert demande.statut == "annulee"
    assert not demande.creneaux.filter(annule=False).exists()
    last = demande.changements.last()
    assert last.vers == "annulee" and last.motif == "Nous déménageons." and last.par == world.users["client"]


def test_cancellation_deadline_is_an_agency_setting(world, as_user):
    ParametresUtilisateurs.objects.create(agence=world.agence_a, delai_annulation_heures=72)
    demande = _demande(world, days=2)  # in about 48 hours: too late with 72 hours' notice
    client = as_user(world.users["client"])
    creneau = demande.creneaux.get()
    response = client.post(reverse("utilisateurs:creneau_annuler", args=[creneau.pk]), follow=True)
    assert "Trop tard pour annuler cette séance en ligne (72 heures de préavis)" in response.text
    response = client.post(reverse("utilisateurs:demande_annuler", args=[demande.pk]), {"confirme": "1"}, follow=True)
    assert "Trop tard pour annuler en ligne" in response.text
    demande.refresh_from_db()
    creneau.refresh_from_db()
    assert demande.statut == "nouvelle" and not creneau.annule
    ParametresUtilisateurs.objects.filter(agence=world.agence_a).update(delai_annulation_heures=24)
    client.post(reverse("utilisateurs:creneau_annuler", args=[creneau.pk]))
    demande.refresh_from_db()
    assert demande.statut == "annulee"  # its only date was cancelled


def test_client_history_of_prestations(world, as_user):
    worker = PrestataireFactory(agence=world.agence_a, prenom="Nadia")
    PrestationFactory(prestataire=worker, utilisateur=world.utilisateur_a, heures=3)
    page = as_user(world.users["client"]).get(reverse("utilisateurs:espace"))
    assert "Nadia" in page.text and "Mes prestations" in page.text


def _registered_this_year_and_next(utilisateur):
    """Dates 10 days ahead are next year's from the 22nd of December: a client who books then has renewed."""
    from .factories import InscriptionFactory

    year = timezone.localdate().year
    InscriptionFactory(utilisateur=utilisateur, annee=year)
    InscriptionFactory(utilisateur=utilisateur, annee=year + 1)


def test_client_moves_a_date_before_the_deadline(world, as_user):
    from .factories import AutorisationFactory

    _registered_this_year_and_next(world.utilisateur_a)
    demande = _demande(world, days=10)
    AutorisationFactory(utilisateur=world.utilisateur_a, activite=demande.activite)
    creneau = demande.creneaux.get()
    client = as_user(world.users["client"])
    url = reverse("utilisateurs:creneau_deplacer", args=[creneau.pk])
    response = client.post(url, {"date": timezone.localdate().isoformat(), "debut": "08:00", "fin": "09:00"})
    assert "48 heures de préavis" in response.text
    new_day = timezone.localdate() + datetime.timedelta(days=12)
    response = client.post(url, {"date": new_day.isoformat(), "debut": "14:00", "fin": "13:00"})
    assert "L&#x27;heure de fin doit suivre" in response.text
    client.post(url, {"date": new_day.isoformat(), "debut": "14:00", "fin": "16:00"})
    creneau.refresh_from_db()
    assert creneau.date == new_day and creneau.debut == datetime.time(14)
    assert creneau.history.first().history_user == world.users["client"]


def test_moving_is_refused_after_the_deadline(world, as_user):
    demande = _demande(world, days=1)
    creneau = demande.creneaux.get()
    response = as_user(world.users["client"]).post(
        reverse("utilisateurs:creneau_deplacer", args=[creneau.pk]),
        {"date": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(), "debut": "09:00", "fin": "10:00"},
    )
    assert "Trop tard pour déplacer cette séance" in response.text
    creneau.refresh_from_db()
    assert creneau.date == timezone.localdate() + datetime.timedelta(days=1)


def test_agency_admin_sets_the_cancellation_deadline(world, as_user):
    from ale_platform.models import AgenceMembership

    AgenceMembership.objects.filter(user=world.users["collab_a"]).update(is_admin=True)
    client = as_user(world.users["collab_a"])
    url = reverse("utilisateurs:parametres")
    assert "48" in client.get(url).text
    response = client.post(url, {"delai_annulation_heures": "1000"})
    assert "Au plus 720 heures" in response.text
    client.post(url, {"delai_annulation_heures": "24"})
    assert ParametresUtilisateurs.objects.get(agence=world.agence_a).delai_annulation_heures == 24
    assert as_user(world.users["collab_b"]).get(url).status_code == 403


def test_cancelling_a_date_online_cancels_the_session_already_planned(
    world, as_user, django_capture_on_commit_callbacks
):
    demande = _demande(world, n=2)
    first, second = demande.creneaux.order_by("date")
    worker = PrestataireFactory(agence=world.agence_a, statut="actif")
    planned = [
        PrestationFactory(
            prestataire=worker,
            utilisateur=demande.utilisateur,
            activite=demande.activite,
            demande=demande,
            date=c.date,
            debut=c.debut,
            fin=c.fin,
            statut="planifiee",
        )
        for c in (first, second)
    ]
    client = as_user(world.users["client"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("utilisateurs:creneau_annuler", args=[first.pk]))
    for p in planned:
        p.refresh_from_db()
    assert [p.statut for p in planned] == ["annulee", "planifiee"]


def test_moving_a_date_online_moves_the_session_already_planned(world, as_user, django_capture_on_commit_callbacks):
    from .factories import AutorisationFactory

    _registered_this_year_and_next(world.utilisateur_a)
    demande = _demande(world, n=1)
    AutorisationFactory(utilisateur=world.utilisateur_a, activite=demande.activite)
    creneau = demande.creneaux.get()
    worker = PrestataireFactory(agence=world.agence_a, statut="actif")
    planned = PrestationFactory(
        prestataire=worker,
        utilisateur=demande.utilisateur,
        activite=demande.activite,
        demande=demande,
        date=creneau.date,
        debut=creneau.debut,
        fin=creneau.fin,
        heures=2,
        statut="planifiee",
    )
    new_date = creneau.date + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_creneau(
            creneau=creneau, date=new_date, debut=creneau.debut, fin=creneau.fin, acting_user=world.users["client"]
        )
    planned.refresh_from_db()
    assert (planned.date, planned.statut) == (new_date, "planifiee")


def test_the_client_reads_the_worker_by_first_name_everywhere_on_the_request(world, client):
    from prestations.planning import assign_prestataires

    from .factories import AutorisationFactory, InscriptionFactory

    demande = _demande(world)
    InscriptionFactory(utilisateur=world.utilisateur_a, annee=demande.creneaux.first().date.year)
    AutorisationFactory(utilisateur=world.utilisateur_a, activite=demande.activite)
    worker = PrestataireFactory(agence=world.agence_a, prenom="Noëlle", nom="Vandermeulen")
    assign_prestataires(demande=demande, prestataires=[worker], acting_user=world.users["collab_a"])
    client.force_login(world.users["client"])
    page = client.get(reverse("utilisateurs:demande", args=[demande.pk])).content.decode()
    assert "Noëlle" in page
    assert "Vandermeulen" not in page
