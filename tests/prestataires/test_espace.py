"""The worker's own space: invitation by e-mail, read-only profile except phone/e-mail/availability, meters."""

import datetime
import re
from decimal import Decimal

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Role, User
from prestataires.services import invite_prestataire
from tests.factories import (
    ActiviteFactory,
    AdressageFactory,
    PrestataireFactory,
    PrestationFactory,
    UtilisateurFactory,
)


def test_invitation_leaves_only_once_the_account_is_committed(world, django_capture_on_commit_callbacks):
    p = PrestataireFactory(agence=world.agence_a, email="luc.hardy@example.be")
    with django_capture_on_commit_callbacks() as callbacks:
        invite_prestataire(prestataire=p, acting_user=world.users["collab_a"], base_url="http://testserver")
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["luc.hardy@example.be"]


def test_invitation_creates_the_account_and_the_link_sets_a_password(staff, world, django_capture_on_commit_callbacks):
    p = PrestataireFactory(agence=world.agence_a, email="marie.noel@example.be", prenom="Marie")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("prestataires:inviter", kwargs={"pk": p.pk}))
    assert response.status_code == 302
    p.refresh_from_db()
    user = p.compte
    assert user.role == Role.PRESTATAIRE and not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["marie.noel@example.be"]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    client = Client()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"password1": "Un-mot-de-passe-2026!", "password2": "Un-mot-de-passe-2026!"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Un-mot-de-passe-2026!")
    # A second invitation is refused with a French message.
    again = staff.post(reverse("prestataires:inviter", kwargs={"pk": p.pk}), follow=True)
    assert "déjà un compte" in again.text
    assert User.objects.filter(email="marie.noel@example.be").count() == 1


def test_worker_sees_their_meters_upcoming_work_and_nothing_else(world):
    p = world.prestataire_a
    AdressageFactory(agence=world.agence_a, prestataire=p)  # referred: the Forem's 45 h line applies
    today = timezone.localdate()
    PrestationFactory(prestataire=p, heures=Decimal("3"), date=today + datetime.timedelta(days=1), statut="planifiee")
    other = PrestataireFactory(agence=world.agence_a, nom="Quelquun", prenom="Dautre")
    PrestationFactory(
        prestataire=other, heures=Decimal("2"), date=today + datetime.timedelta(days=1), statut="planifiee"
    )
    client = Client()
    client.force_login(world.users["prestataire"])
    page = client.get(reverse("prestataires:espace"))
    assert "Mes prestations à venir" in page.text
    assert len(page.context["prestations"]) == 1
    assert "Dautre" not in page.text
    assert "<meter" in page.text
    assert "Seuil Forem de 45 h non atteint" in page.text


def test_worker_edits_only_phone_email_and_availability(world):
    p = world.prestataire_a
    client = Client()
    client.force_login(world.users["prestataire"])
    url = reverse("prestataires:espace_edit")
    response = client.post(
        url,
        {
            "form": "contact",
            "telephone": "0488 77 66 55",
            "email": "moi@example.be",
            "nom": "Pirate",
            "statut": "actif",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.telephone == "0488 77 66 55" and p.email == "moi@example.be"
    assert p.nom != "Pirate" and p.statut == "inscrit"
    client.post(url, {"form": "semaine", "disponibilites": ["1-matin"]})
    assert [(d.jour, d.demi_journee) for d in p.disponibilites.all()] == [(1, "matin")]
    bad = client.post(url, {"form": "contact", "telephone": "x", "email": "pas-un-email"})
    assert bad.status_code == 200 and bad.context["contact_form"].errors["email"]


def _meters_page(staff, p):
    return staff.get(reverse("prestataires:detail", kwargs={"pk": p.pk})).text


def test_each_cap_is_shown_and_flagged(staff, world):
    a = world.agence_a
    today = timezone.localdate()
    general = ActiviteFactory(agence=a, categorie="generale")
    majoree = ActiviteFactory(agence=a, categorie="majoree")
    agricole = ActiviteFactory(agence=a, categorie="agricole")
    ferme = UtilisateurFactory(agence=a, type="agricole")  # the 150 h are for work at farms (couvin.be)

    p45 = PrestataireFactory(agence=a)
    PrestationFactory(prestataire=p45, activite=general, heures=Decimal("20"), date=today)
    PrestationFactory(prestataire=p45, activite=general, heures=Decimal("20"), date=today, statut="planifiee")
    text = _meters_page(staff, p45)
    assert "40 h / 45 h (dont 20 h effectuées)" in text and "proche du plafond" in text

    p70 = PrestataireFactory(agence=a)
    AdressageFactory(agence=a, prestataire=p70)  # the Forem's 45 h line shows for a referred person only
    for _ in range(3):
        PrestationFactory(prestataire=p70, activite=majoree, heures=Decimal("24"), date=today)
    text = _meters_page(staff, p70)
    assert "72 h / 70 h" in text and "plafond dépassé" in text
    assert "Seuil Forem de 45 h atteint ce mois" in text

    p150 = PrestataireFactory(agence=a)
    for _ in range(4):
        PrestationFactory(prestataire=p150, activite=agricole, utilisateur=ferme, heures=Decimal("24"), date=today)
    for _ in range(2):
        PrestationFactory(prestataire=p150, activite=general, heures=Decimal("24"), date=today)
    text = _meters_page(staff, p150)
    assert "144 h / 150 h" in text
    assert "48 h / 45 h" in text  # outside agriculture, over its 45 h

    p630 = PrestataireFactory(agence=a)
    for month in [m for m in range(1, 13) if m != today.month][:10]:
        for _ in range(4):
            day = datetime.date(today.year, month, 10)
            PrestationFactory(prestataire=p630, activite=agricole, utilisateur=ferme, heures=Decimal("20"), date=day)
    text = _meters_page(staff, p630)
    assert "800 h / 630 h" in text and "plafond dépassé" in text
