"""Undo after the four destructive actions (ale_platform/undo.py): the page after the action offers "Annuler cette
action"; the undo restores the previous state as a logged step back; it is refused to anyone else (404), after
15 minutes and after a later change (a French message, nothing restored).

Cancelling a request (client), cancelling a prestation (staff), withdrawing a referral (adviser), declining an
assignment (worker, and staff for the worker).
"""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forem_liaison.models import Adressage
from prestations.models import Affectation, Prestation
from prestations.planning import assign_prestataires, plan_demande
from tests.factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    UserFactory,
    UtilisateurFactory,
)
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker
from utilisateurs.models import Creneau, Demande, StatutDemande

pytestmark = pytest.mark.django_db

NEXT_MONDAY = datetime.date(2026, 12, 7)  # the Monday after the tests' day (tests/conftest.py), a worker's day
EXPIRED = "le délai de 15 minutes est dépassé"
CHANGED = "le dossier a changé depuis"


@pytest.fixture
def s():
    """A request planned for next Monday: a worker (with an account) assigned and one session planned."""
    s = ready()
    s.worker = good_worker(s, compte=UserFactory(role="prestataire"))
    s.utilisateur.compte = UserFactory(role="client")
    s.utilisateur.save()
    s.demande = demande_for(s, days=(NEXT_MONDAY,))
    (s.affectation,) = assign_prestataires(demande=s.demande, prestataires=[s.worker], acting_user=s.staff)
    (s.session,) = plan_demande(demande=s.demande, acting_user=s.staff).planned
    return s


def act(client, url, data, undo_url) -> str:
    """Posts the confirmed action; the next page offers the undo (to `undo_url`): its token."""
    response = client.post(url, {**data, "confirme": "1"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Annuler cette action" in page and f'action="{undo_url}"' in page
    return re.search(r'name="jeton" value="([^"]+)"', page).group(1)


def undo(client, url, token, *, status=200):
    response = client.post(url, {"jeton": token}, follow=True)
    assert response.status_code == status
    return html.unescape(response.content.decode()) if status == 200 else ""


def later(minutes=16):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


# --- Cancelling a prestation (staff) ----------------------------------------------------------------------------


def test_undoing_a_prestations_cancellation_plans_it_again_as_a_logged_step(client, s):
    client.force_login(s.staff)
    url, undo_url = (reverse(n, args=[s.session.pk]) for n in ("prestations:cancel", "prestations:cancel_undo"))
    token = act(client, url, {"annuler-motif": "Erreur d'encodage"}, undo_url)
    assert Prestation.objects.get(pk=s.session.pk).statut == "annulee"
    page = undo(client, undo_url, token)
    assert "la prestation est rétablie" in page
    session = Prestation.objects.get(pk=s.session.pk)
    assert session.statut == "planifiee"
    cancel, back = session.transitions.order_by("-pk")[:2][::-1]
    assert (cancel.de, cancel.vers) == ("planifiee", "annulee")  # the cancellation stays in the log
    assert (back.de, back.vers, back.par) == ("annulee", "planifiee", s.staff)


def test_a_prestations_undo_is_refused_to_anyone_else(client, s):
    client.force_login(s.staff)
    url, undo_url = (reverse(n, args=[s.session.pk]) for n in ("prestations:cancel", "prestations:cancel_undo"))
    token = act(client, url, {"annuler-motif": "Erreur d'encodage"}, undo_url)
    client.force_login(CollaborateurFactory(agence=AgenceFactory()))  # another agency: the prestation is not theirs
    undo(client, undo_url, token, status=404)
    client.force_login(CollaborateurFactory(agence=s.agence))  # a colleague: the offer was not made to them
    undo(client, undo_url, token, status=404)
    assert Prestation.objects.get(pk=s.session.pk).statut == "annulee"


def test_a_prestations_undo_is_refused_after_the_window_and_after_a_later_change(client, s):
    client.force_login(s.staff)
    url, undo_url = (reverse(n, args=[s.session.pk]) for n in ("prestations:cancel", "prestations:cancel_undo"))
    token = act(client, url, {"annuler-motif": "Erreur d'encodage"}, undo_url)
    with later():
        assert EXPIRED in undo(client, undo_url, token)
    assert Prestation.objects.get(pk=s.session.pk).statut == "annulee"
    undo(client, undo_url, token)
    act(client, url, {"annuler-motif": "Le client a téléphoné"}, undo_url)  # cancelled again since the first undo
    assert CHANGED in undo(client, undo_url, token)  # the first token names a step that is no longer the last
    assert Prestation.objects.get(pk=s.session.pk).statut == "annulee"


# --- Cancelling a request (client) ------------------------------------------------------------------------------


def _cancel_request(client, s):
    client.force_login(s.utilisateur.compte)
    url = reverse("utilisateurs:demande_annuler", args=[s.demande.pk])
    undo_url = reverse("utilisateurs:demande_annuler_undo", args=[s.demande.pk])
    return act(client, url, {"motif": "Nous déménageons."}, undo_url), url, undo_url


def test_undoing_a_requests_cancellation_brings_back_its_status_dates_and_sessions(client, s):
    before = Demande.objects.get(pk=s.demande.pk).statut
    token, _url, undo_url = _cancel_request(client, s)
    assert Demande.objects.get(pk=s.demande.pk).statut == StatutDemande.ANNULEE
    assert Prestation.objects.get(pk=s.session.pk).statut == "annulee"
    page = undo(client, undo_url, token)
    assert "votre demande est rétablie" in page
    demande = Demande.objects.get(pk=s.demande.pk)
    assert demande.statut == before == StatutDemande.PLANIFIEE
    back = demande.changements.order_by("-pk").first()
    assert (back.de, back.vers, back.par) == ("annulee", before, s.utilisateur.compte)
    assert not Creneau.objects.filter(demande=demande, annule=True).exists()
    assert Prestation.objects.get(pk=s.session.pk).statut == "planifiee"


def test_a_requests_undo_is_refused_to_another_client(client, s):
    token, _url, undo_url = _cancel_request(client, s)
    client.force_login(UtilisateurFactory(agence=s.agence, compte=UserFactory(role="client")).compte)
    undo(client, undo_url, token, status=404)
    assert Demande.objects.get(pk=s.demande.pk).statut == StatutDemande.ANNULEE


def test_a_requests_undo_is_refused_after_the_window_and_after_a_later_change(client, s):
    token, _url, undo_url = _cancel_request(client, s)
    with later():
        assert EXPIRED in undo(client, undo_url, token)
    assert Demande.objects.get(pk=s.demande.pk).statut == StatutDemande.ANNULEE
    undo(client, undo_url, token)
    _cancel_request(client, s)
    assert CHANGED in undo(client, undo_url, token)
    assert Demande.objects.get(pk=s.demande.pk).statut == StatutDemande.ANNULEE


# --- Withdrawing a referral (adviser) ---------------------------------------------------------------------------


@pytest.fixture
def adressage():
    return AdressageFactory(conseiller=ConseillerFactory())


def _withdraw(client, adressage):
    client.force_login(adressage.conseiller.user)
    url = reverse("forem_liaison:withdraw", args=[adressage.pk])
    undo_url = reverse("forem_liaison:withdraw_undo", args=[adressage.pk])
    return act(client, url, {"motif": "Doublon"}, undo_url), undo_url


def test_undoing_a_withdrawal_brings_the_referral_back_as_a_logged_step(client, adressage):
    token, undo_url = _withdraw(client, adressage)
    assert Adressage.objects.get(pk=adressage.pk).etat == "retire"
    assert "l'adressage est rétabli" in undo(client, undo_url, token)
    adressage.refresh_from_db()
    assert adressage.etat == "recu"
    back = adressage.transitions.order_by("-pk").first()
    assert (back.de, back.vers, back.par) == ("retire", "recu", adressage.conseiller.user)


def test_a_withdrawals_undo_is_refused_to_another_adviser(client, adressage):
    token, undo_url = _withdraw(client, adressage)
    client.force_login(ConseillerFactory(bureau=adressage.bureau).user)
    undo(client, undo_url, token, status=404)
    assert Adressage.objects.get(pk=adressage.pk).etat == "retire"


def test_a_withdrawals_undo_is_refused_after_the_window_and_after_a_later_change(client, adressage):
    token, undo_url = _withdraw(client, adressage)
    with later():
        assert EXPIRED in undo(client, undo_url, token)
    undo(client, undo_url, token)
    _withdraw(client, adressage)
    assert CHANGED in undo(client, undo_url, token)
    assert Adressage.objects.get(pk=adressage.pk).etat == "retire"


# --- Declining an assignment (worker; staff for the worker) -----------------------------------------------------


def _decline_as_worker(client, s):
    client.force_login(s.worker.compte)
    url = reverse("prestations:mon_refus", args=[s.affectation.pk])
    undo_url = reverse("prestations:mon_refus_undo", args=[s.affectation.pk])
    return act(client, url, {"motif": "Malade"}, undo_url), undo_url


def test_undoing_a_decline_gives_the_assignment_and_its_sessions_back(client, s):
    token, undo_url = _decline_as_worker(client, s)
    assert Affectation.objects.get(pk=s.affectation.pk).statut == "declinee"
    assert Prestation.objects.get(pk=s.session.pk).statut == "annulee"
    assert "l'affectation est rétablie" in undo(client, undo_url, token)
    affectation = Affectation.objects.get(pk=s.affectation.pk)
    assert (affectation.statut, affectation.motif_refus, affectation.declinee_le) == ("attribuee", "", None)
    assert affectation.history.first().history_change_reason == "Refus annulé"
    assert Prestation.objects.get(pk=s.session.pk).statut == "planifiee"


def test_undoing_a_decline_by_staff_puts_the_request_back_to_assigned(client, s):
    demande = demande_for(s, days=(NEXT_MONDAY + datetime.timedelta(days=7),))
    (affectation,) = assign_prestataires(demande=demande, prestataires=[s.worker], acting_user=s.staff)
    client.force_login(s.staff)
    url, undo_url = (reverse(n, args=[affectation.pk]) for n in ("prestations:decline", "prestations:decline_undo"))
    token = act(client, url, {"motif": "Le prestataire a téléphoné : malade"}, undo_url)
    assert Demande.objects.get(pk=demande.pk).statut == StatutDemande.EN_RECHERCHE
    undo(client, undo_url, token)
    assert Demande.objects.get(pk=demande.pk).statut == StatutDemande.ATTRIBUEE
    assert Affectation.objects.get(pk=affectation.pk).statut == "attribuee"


def test_a_declines_undo_is_refused_to_another_worker_and_another_agency(client, s):
    token, undo_url = _decline_as_worker(client, s)
    client.force_login(good_worker(s, compte=UserFactory(role="prestataire")).compte)
    undo(client, undo_url, token, status=404)
    client.force_login(CollaborateurFactory(agence=AgenceFactory()))
    undo(client, reverse("prestations:decline_undo", args=[s.affectation.pk]), token, status=404)
    assert Affectation.objects.get(pk=s.affectation.pk).statut == "declinee"


def test_a_declines_undo_is_refused_after_the_window_and_after_a_later_change(client, s):
    token, undo_url = _decline_as_worker(client, s)
    with later():
        assert EXPIRED in undo(client, undo_url, token)
    assert Affectation.objects.get(pk=s.affectation.pk).statut == "declinee"
    assign_prestataires(demande=s.demande, prestataires=[s.worker], acting_user=s.staff)  # staff assigned again
    assert CHANGED in undo(client, undo_url, token)
    assert Affectation.objects.get(pk=s.affectation.pk).statut == "declinee"
