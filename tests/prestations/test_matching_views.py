"""Staff pages: candidates of a demande, assign, plan the series; the worker declines from their space."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils.timezone import now

from prestations.models import Affectation, Prestation
from tests.factories import UserFactory
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker

pytestmark = pytest.mark.django_db


def test_staff_find_assign_and_plan(client):
    s = ready()
    worker = good_worker(s, nom="Lejeune")
    demande = demande_for(s, days=(datetime.date(2026, 3, 2),))
    client.force_login(s.staff)
    page = client.get(reverse("prestations:matching", args=[demande.pk]))
    assert page.status_code == 200 and "Lejeune" in page.text and "Disponible à toutes les dates" in page.text
    client.post(reverse("prestations:assign", args=[demande.pk]), {"prestataire": [worker.pk]})
    assert Affectation.objects.filter(demande=demande, prestataire=worker, statut="attribuee").exists()
    response = client.post(reverse("prestations:plan", args=[demande.pk]))
    assert response.status_code == 302 and response.url == reverse("utilisateurs:staff_demande", args=[demande.pk])
    assert Prestation.objects.filter(demande=demande, prestataire=worker, statut="planifiee").count() == 1
    page = client.get(response.url)
    planned = Prestation.objects.get(demande=demande)
    assert reverse("prestations:detail", args=[planned.pk]) in page.text


def test_matching_shows_the_missing_authorisation_and_refuses_to_assign(client):
    s = ready()
    worker = good_worker(s, nom="Lejeune")
    demande = demande_for(s, days=(datetime.date(2026, 3, 2),))
    s.utilisateur.autorisations.filter(activite=s.generale).delete()
    client.force_login(s.staff)
    page = unescape(client.get(reverse("prestations:matching", args=[demande.pk])).text)
    assert "Le dossier du client bloque l'attribution" in page
    assert "pas d'autorisation valable pour « Aide administrative » le 02/03/2026" in page
    assert "Attribuer les prestataires choisi·es" not in page
    response = client.post(reverse("prestations:assign", args=[demande.pk]), {"prestataire": [worker.pk]}, follow=True)
    assert not Affectation.objects.filter(demande=demande).exists()
    assert "tant que le dossier du client bloque" in response.text


def test_a_planning_run_that_plans_nothing_warns_on_the_request_and_says_why(client):
    s = ready()
    worker = good_worker(s, nom="Lejeune")
    demande = demande_for(s, days=(datetime.date(2026, 3, 2),))
    Affectation.objects.create(demande=demande, prestataire=worker)
    # The authorisation was withdrawn after the assignment: every date is refused.
    s.utilisateur.autorisations.filter(activite=s.generale).delete()
    client.force_login(s.staff)
    response = client.post(reverse("prestations:plan", args=[demande.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("utilisateurs:staff_demande", args=[demande.pk])
    levels = {m.level_tag for m in response.context["messages"]}
    assert "success" not in levels and "warning" in levels
    assert "Aucune prestation planifiée : chaque date a été refusée" in unescape(response.text)
    assert not Prestation.objects.filter(demande=demande).exists()
    # The warning stays on the request, with the reason, after the flash message is gone.
    again = unescape(client.get(reverse("utilisateurs:staff_demande", args=[demande.pk])).text)
    assert "Rien n'est planifié pour cette demande" in again and "pas d'autorisation valable" in again


def test_a_worker_cannot_decline_an_assignment_whose_prestation_is_validated(client):
    from prestations.services import validate_prestation

    s = ready()
    user = UserFactory(role="prestataire")
    worker = good_worker(s, compte=user)
    demande = demande_for(s, days=(datetime.date(2026, 3, 2),))
    aff = Affectation.objects.create(demande=demande, prestataire=worker)
    prestation = Prestation.objects.create(
        agence=s.agence,
        prestataire=worker,
        utilisateur=s.utilisateur,
        activite=s.generale,
        demande=demande,
        date=datetime.date(2026, 3, 2),
        debut=datetime.time(9),
        fin=datetime.time(11),
        heures=2,
        statut="effectuee",
    )
    validate_prestation(prestation=prestation, acting_user=s.staff)
    client.force_login(user)
    page = client.get(reverse("prestations:mes_affectations"))
    assert "Décliner" not in page.text and "Prestation effectuée" in page.text
    client.post(reverse("prestations:mon_refus", args=[aff.pk]), {"motif": "Trop tard", "confirme": "1"})
    aff.refresh_from_db()
    assert aff.statut == "attribuee"


def test_worker_declines_from_their_space(client):
    s = ready()
    user = UserFactory(role="prestataire")
    worker = good_worker(s, compte=user)
    demande = demande_for(s)
    aff = Affectation.objects.create(demande=demande, prestataire=worker)
    client.force_login(user)
    page = client.get(reverse("prestations:mes_affectations")).text
    assert "Décliner" in page
    # The worker is told, beside the field, who may read the reason.
    assert f'aria-describedby="motif-{aff.pk}-aide"' in page
    assert "ce motif est transmis à votre conseiller ou conseillère, après relecture par l'agence" in unescape(page)
    client.post(reverse("prestations:mon_refus", args=[aff.pk]), {"motif": "Malade cette semaine", "confirme": "1"})
    aff.refresh_from_db()
    assert aff.statut == "declinee" and aff.motif_refus == "Malade cette semaine"


def _located_worker(s, demande, i):
    """A walker with a point, two eligibility bases (one ended), a slot planned this month (hours against the
    caps), an absence in the period, and a refusal or an assignment on the request."""
    from decimal import Decimal

    from prestataires.models import Absence, Mobilite, Prestataire, SituationEligibilite

    worker = good_worker(s, mobilite=Mobilite.PIED, temps_trajet_max=30)
    Prestataire.objects.filter(pk=worker.pk).update(
        latitude=Decimal("50.565000") + Decimal(i) / 1000, longitude=Decimal("4.699000"), geocodage="trouvee"
    )
    SituationEligibilite.objects.create(
        prestataire=worker,
        base="forem_12_mois",
        depuis=datetime.date(2024, 6, 1),
        jusqu_au=datetime.date(2025, 6, 1),
        preuve="Attestation du Forem",
        date_preuve=datetime.date(2024, 6, 1),
    )
    Prestation.objects.create(
        agence=s.agence,
        prestataire=worker,
        utilisateur=s.ferme,
        activite=s.generale,
        date=datetime.date(2026, 3, 4),
        debut=datetime.time(9),
        fin=datetime.time(12),
        heures=3,
        statut="planifiee",
    )
    Absence.objects.create(prestataire=worker, debut=datetime.date(2026, 3, 9), fin=datetime.date(2026, 3, 9))
    if i % 2:
        Affectation.objects.create(
            demande=demande, prestataire=worker, statut="declinee", motif_refus="Indisponible", declinee_le=now()
        )
    else:
        Affectation.objects.create(demande=demande, prestataire=worker)
    return worker


def test_matching_page_makes_the_same_queries_for_n_and_3n_workers(client, django_assert_num_queries):
    """12 queries (session, user, agency, request, its dates, the workers with everything matching reads of
    them and the region's law and eligibility rules, the hour sums, the assignments, the client's closures,
    registration and authorisations, the history), none per worker: with N then 3N located workers with
    eligibility bases, planned hours under the agency's own (lower) cap, absences and refusals."""
    from utilisateurs.models import Utilisateur

    n = 4
    s = ready()  # with one worker already
    type(s.agence).objects.filter(pk=s.agence.pk).update(plafond_mensuel=40)
    Utilisateur.objects.filter(pk=s.utilisateur.pk).update(latitude=50.566, longitude=4.7, geocodage="trouvee")
    demande = demande_for(s, days=(datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)))
    client.force_login(s.staff)
    url = reverse("prestations:matching", args=[demande.pk])
    for i in range(n):
        _located_worker(s, demande, i)
    with django_assert_num_queries(12):
        few = client.get(url)
    for i in range(n, 3 * n):
        _located_worker(s, demande, i)
    with django_assert_num_queries(12):
        many = client.get(url)
    assert len(few.context["candidates"]) == n + 1 and len(many.context["candidates"]) == 3 * n + 1
    # The packed reads are really used: minutes on foot, the absence, the planned hours under the 40 h cap.
    text = unescape(many.text)
    assert "min à pied" in text and "Absent·e pour 1 date." in text and "37 h restantes sous les plafonds." in text
    assert "Pas éligible" not in text


def test_dates_the_client_cannot_receive_warn_but_do_not_block_the_other_dates(client):
    s = ready()
    worker = good_worker(s, nom="Lejeune")
    # Two Mondays, the second one in a year without registration nor authorisation.
    demande = demande_for(s, days=(datetime.date(2026, 3, 2), datetime.date(2027, 1, 4)))
    client.force_login(s.staff)
    page = unescape(client.get(reverse("prestations:matching", args=[demande.pk])).text)
    assert "1 date ne pourra pas être planifiée" in page and "pour 2027 n'est pas en ordre" in page
    assert "Attribuer les prestataires choisi·es" in page
    client.post(reverse("prestations:assign", args=[demande.pk]), {"prestataire": [worker.pk]})
    assert Affectation.objects.filter(demande=demande, prestataire=worker).exists()


def test_a_weekly_date_the_client_cancelled_is_not_planned(client):
    from utilisateurs.services import cancel_creneau

    s = ready()
    user = UserFactory(role="client")
    s.utilisateur.compte = user
    s.utilisateur.save()
    worker = good_worker(s)
    first = datetime.date(2026, 12, 14)  # Mondays, this year
    demande = demande_for(s, days=(first, first + datetime.timedelta(days=7)))
    demande.recurrente, demande.jours, demande.intervalle_semaines = True, [0], 1
    demande.periode_debut, demande.periode_fin = first, first + datetime.timedelta(days=7)
    demande.save()
    cancel_creneau(creneau=demande.creneaux.get(date=first), acting_user=user)
    Affectation.objects.create(demande=demande, prestataire=worker)
    client.force_login(s.staff)
    response = client.post(reverse("prestations:plan", args=[demande.pk]), follow=True)
    assert list(Prestation.objects.filter(demande=demande).values_list("date", flat=True)) == [
        first + datetime.timedelta(days=7)
    ]
    assert "14/12/2026 non planifié : Annulée par le client." in unescape(response.text)
