"""Online sign-up → profile → registration request → staff validation; staff invite a known client to claim a file."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ale_platform.identifiers import build_niss
from ale_platform.models import Role, User
from tests.factories import UserFactory, UtilisateurFactory
from utilisateurs.models import Inscription, Invitation, Utilisateur

pytestmark = pytest.mark.django_db

NISS = build_niss(datetime.date(1988, 9, 14), 52)


def _sign_up(email="claire.nouvelle@example.be"):
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": "Un-mot-de-passe-2026", "password2": "Un-mot-de-passe-2026"},
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    client.post(path)
    client.login(username=email, password="Un-mot-de-passe-2026")
    return client


def test_new_client_signs_up_completes_profile_and_staff_validate(world, as_user):
    client = _sign_up()
    user = User.objects.get(email="claire.nouvelle@example.be")
    assert user.role == Role.CLIENT
    espace = client.get(reverse("utilisateurs:espace"))
    assert "Compléter mon profil" in espace.text
    assert client.get(reverse("utilisateurs:reserver"))["Location"] == reverse("utilisateurs:profil")
    data = {
        "agence": world.agence_a.pk,
        "type": "particulier",
        "nom": "Nouvelle",
        "prenom": "Claire",
        "niss": "123",
        "bce": "",
        "rue": "Rue Haute 2",
        "code_postal": "5030",
        "commune": "Gembloux",
        "telephone": "",
        "email": user.email,
    }
    response = client.post(reverse("utilisateurs:profil"), data)
    assert "Le NISS compte 11 chiffres" in response.text and 'value="Rue Haute 2"' in response.text
    response = client.post(reverse("utilisateurs:profil"), data | {"niss": NISS}, follow=True)
    assert "Votre demande d&#x27;inscription est envoyée" in response.text
    utilisateur = Utilisateur.objects.get(compte=user)
    inscription = Inscription.objects.get(utilisateur=utilisateur)
    assert not inscription.validee and inscription.cotisation == world.agence_a.cotisation_annuelle
    assert "attend la validation" in client.get(reverse("utilisateurs:espace")).text
    # Staff find it among registrations to validate, and validate it.
    staff = as_user(world.users["collab_a"])
    listing = staff.get(reverse("utilisateurs:list"), {"inscription": "en_attente"})
    assert "Nouvelle" in listing.text
    staff.post(reverse("utilisateurs:inscription_validate", args=[inscription.pk]), {"payee": "1"})
    assert "Réserver un service" in client.get(reverse("utilisateurs:espace")).text


def test_staff_invite_a_known_client_who_claims_the_file(world, as_user, django_capture_on_commit_callbacks):
    offline = UtilisateurFactory(agence=world.agence_a, nom="Warnier", email="j.warnier@example.be")
    staff = as_user(world.users["collab_a"])
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("utilisateurs:invite", args=[offline.pk]), {"email": "j.warnier@example.be"})
    invitation = Invitation.objects.get(utilisateur=offline)
    assert invitation.created_by == world.users["collab_a"]
    message = mail.outbox[-1]
    assert message.to == ["j.warnier@example.be"] and invitation.token in message.body
    # Someone else's account cannot use the link.
    intruder = as_user(UserFactory(role=Role.CLIENT))
    assert intruder.get(reverse("utilisateurs:invitation", args=[invitation.token])).status_code == 404
    client = _sign_up("j.warnier@example.be")
    page = client.get(reverse("utilisateurs:invitation", args=[invitation.token]))
    assert "Warnier" in page.text
    client.post(reverse("utilisateurs:invitation", args=[invitation.token]))
    offline.refresh_from_db()
    assert offline.compte.email == "j.warnier@example.be"
    invitation.refresh_from_db()
    assert invitation.utilisee_le is not None
    # Used once only.
    again = client.post(reverse("utilisateurs:invitation", args=[invitation.token]))
    assert "expiré ou a déjà été utilisée" in again.text


def test_expired_invitation(world):
    offline = UtilisateurFactory(agence=world.agence_a)
    user = UserFactory(role=Role.CLIENT)
    invitation = Invitation.objects.create(
        utilisateur=offline, email=user.email, expire_le=timezone.now() + datetime.timedelta(days=1)
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15),
        expire_le=timezone.now() - datetime.timedelta(minutes=1),
    )
    client = Client()
    client.force_login(user)
    page = client.get(reverse("utilisateurs:invitation", args=[invitation.token]))
    assert "expiré" in page.text
    client.post(reverse("utilisateurs:invitation", args=[invitation.token]))
    offline.refresh_from_db()
    assert offline.compte is None


def test_a_dutch_speaking_client_is_invited_in_dutch_and_the_account_takes_the_language(
    world, as_user, django_capture_on_commit_callbacks
):
    """A Brussels agency writes to a Dutch-speaking client in Dutch: the invitation's subject and body, then the
    account made from it keeps Dutch (its pages and e-mails)."""
    world.agence_a.region = "bruxelles"
    world.agence_a.save(update_fields=["region"])
    staff = as_user(world.users["collab_a"])
    # A new file of a Brussels agency starts in French (bilingual region); the staff choose Dutch.
    form = staff.get(reverse("utilisateurs:create"))
    assert re.search(r'<option value="fr" selected>', form.text)
    offline = UtilisateurFactory(agence=world.agence_a, nom="Peeters", email="lies.peeters@example.be", langue="nl")
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("utilisateurs:invite", args=[offline.pk]), {"email": "lies.peeters@example.be"})
    message = mail.outbox[-1]
    assert message.subject.endswith(f"Uw online ruimte bij {world.agence_a.nom}")
    assert f"{world.agence_a.nom} nodigt u uit om uw dossier online te raadplegen." in message.body
    assert "Votre espace" not in message.subject and "vous invite" not in message.body
    invitation = Invitation.objects.get(utilisateur=offline)
    client = _sign_up("lies.peeters@example.be")
    user = User.objects.get(email="lies.peeters@example.be")
    assert user.langue == "fr"  # signed up on a French page
    client.post(reverse("utilisateurs:invitation", args=[invitation.token]))
    user.refresh_from_db()
    assert user.langue == "nl"
    assert 'lang="nl"' in client.get(reverse("utilisateurs:espace")).text


def test_a_german_speaking_agency_s_new_file_starts_in_german(world, as_user):
    world.agence_a.region = "germanophone"
    world.agence_a.save(update_fields=["region"])
    staff = as_user(world.users["collab_a"])
    assert '<option value="de" selected>' in staff.get(reverse("utilisateurs:create")).text
    staff.post(
        reverse("utilisateurs:create"),
        {
            "type": "particulier",
            "nom": "Schmitz",
            "prenom": "Anna",
            "niss": NISS,
            "rue": "Klosterstraße 5",
            "code_postal": "4700",
            "commune": "Eupen",
            "email": "anna.schmitz@example.be",
        },
    )
    assert Utilisateur.objects.get(niss=NISS).langue == "de"


def test_a_client_s_own_file_takes_the_language_of_their_account(world):
    client = _sign_up("wim.claes@example.be")
    client.post(reverse("language_switch"), {"language": "nl", "next": "/"})
    assert User.objects.get(email="wim.claes@example.be").langue == "nl"
    data = {
        "agence": world.agence_a.pk,
        "type": "particulier",
        "nom": "Claes",
        "prenom": "Wim",
        "niss": NISS,
        "rue": "Rue Haute 2",
        "code_postal": "5030",
        "commune": "Gembloux",
        "email": "wim.claes@example.be",
    }
    client.post(reverse("utilisateurs:profil"), data)
    assert Utilisateur.objects.get(compte__email="wim.claes@example.be").langue == "nl"
