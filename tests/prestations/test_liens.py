"""The client's no-login link, tested like a password: guessing, reuse after use or expiry, another client's
prestation, replay after the prestation changed; and the page itself (no log-in, only its prestations)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prestations.models import LienConfirmation, Prestation
from prestations.services import COMME_PREVU, declare_prestation, update_hours
from prestations.services.liens import answer_link, create_link
from tests.factories import UtilisateurFactory

from .factories import authorise
from .test_month import days_ago, planned, ready_online

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture
def s():
    return ready_online()


def declared(s, day_offset=2, start=9, utilisateur=None):
    slot = planned(s, days_ago(day_offset), start=start, utilisateur=utilisateur)
    declare_prestation(prestation=slot, acting_user=s.prestataire.compte, kind=COMME_PREVU)
    slot.refresh_from_db()
    return slot


def mailed_link(s, django_capture_on_commit_callbacks, **kw):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        slot = declared(s, **kw)
    path = re.search(r"(/confirmer/[^/\s]+/)", mail.outbox[-1].body).group(1)
    return slot, path


def test_the_client_confirms_from_the_e_mail_without_logging_in_and_only_once(
    client, s, django_capture_on_commit_callbacks
):
    slot, path = mailed_link(s, django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200 and "no-store" in page.get("Cache-Control", "")
    assert s.prestataire.prenom in page.content.decode()
    response = client.post(path, {f"r{slot.pk}": "confirmer"})
    assert "vos réponses sont enregistrées" in response.content.decode()
    slot.refresh_from_db()
    assert slot.statut == "effectuee" and slot.confirmee_le
    step = slot.transitions.get(vers="effectuee")
    assert step.par == s.utilisateur.compte and "lien reçu par e-mail" in step.motif
    # Reuse after use: the same link is dead, for reading and for writing.
    assert client.get(path).status_code == 404
    assert client.post(path, {f"r{slot.pk}": "contester", f"m{slot.pk}": "x"}).status_code == 404
    slot.refresh_from_db()
    assert slot.statut == "effectuee"


def test_guessing_a_link_finds_nothing_and_the_table_holds_no_usable_token(
    client, s, django_capture_on_commit_callbacks
):
    slot, path = mailed_link(s, django_capture_on_commit_callbacks)
    token = path.split("/")[2]
    assert len(token) >= 43  # 256 random bits
    assert not LienConfirmation.objects.filter(jeton_hash=token).exists()
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:20], "1", token.upper()):
        assert client.get(reverse("prestations:lien", args=[guess])).status_code == 404
        client.post(reverse("prestations:lien", args=[guess]), {f"r{slot.pk}": "confirmer"})
    slot.refresh_from_db()
    assert slot.statut == "declaree"


def test_an_expired_link_is_refused(client, s, django_capture_on_commit_callbacks):
    slot, path = mailed_link(s, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15), tick=False):
        assert client.get(path).status_code == 404
        assert client.post(path, {f"r{slot.pk}": "confirmer"}).status_code == 404
    slot.refresh_from_db()
    assert slot.statut == "declaree"


def test_a_link_cannot_answer_another_clients_prestation(client, s, django_capture_on_commit_callbacks):
    voisin = UtilisateurFactory(agence=s.agence, nom="Voisin")
    for year in {timezone.localdate().year, days_ago(10).year}:
        authorise(voisin, s.generale, year)
    other = declared(s, day_offset=3, utilisateur=voisin)
    slot, path = mailed_link(s, django_capture_on_commit_callbacks)
    page = client.get(path).content.decode()
    assert "Voisin" not in page
    client.post(path, {f"r{other.pk}": "confirmer"})
    other.refresh_from_db()
    assert other.statut == "declaree"
    # Even forged in the service's input, another client's prestation is refused and nothing is saved.
    token = path.split("/")[2]
    with pytest.raises(ValidationError, match="ne concerne pas"):
        answer_link(token, {slot.pk: ("confirmer", ""), other.pk: ("confirmer", "")})
    slot.refresh_from_db()
    other.refresh_from_db()
    assert (slot.statut, other.statut) == ("declaree", "declaree")
    # A link built for one client with another's prestation simply leaves it out.
    path_forged = create_link(s.utilisateur, [other])
    assert client.get(path_forged).content.decode().count("<fieldset") == 0


def test_replaying_a_link_after_the_prestation_changed_is_refused(client, s, django_capture_on_commit_callbacks):
    slot, path = mailed_link(s, django_capture_on_commit_callbacks)
    update_hours(prestation=slot, acting_user=s.staff, heures=2, debut=T(9), fin=T(11), statut="declaree")
    page = client.get(path).content.decode()
    assert "a changé depuis l'envoi du lien" in page
    client.post(path, {f"r{slot.pk}": "confirmer"})
    slot.refresh_from_db()
    assert slot.statut == "declaree" and not slot.confirmee_le
    with pytest.raises(ValidationError, match="a changé depuis l'envoi"):
        answer_link(path.split("/")[2], {slot.pk: ("confirmer", "")})


def test_a_dispute_from_the_link_needs_a_comment_and_keeps_the_link_until_it_is_sent(
    client, s, django_capture_on_commit_callbacks
):
    slot, path = mailed_link(s, django_capture_on_commit_callbacks)
    refused = client.post(path, {f"r{slot.pk}": "contester", f"m{slot.pk}": ""})
    assert refused.status_code == 400 and "Expliquez ce qui ne va pas" in refused.content.decode()
    assert client.post(path, {f"r{slot.pk}": "contester", f"m{slot.pk}": "Arrivé à 10 h"}).status_code == 200
    slot.refresh_from_db()
    assert (slot.statut, slot.motif_contestation) == (Prestation.Statut.CONTESTEE, "Arrivé à 10 h")
