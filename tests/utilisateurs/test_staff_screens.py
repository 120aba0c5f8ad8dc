"""Staff screens about clients: the file speaks to staff, the timeline names who sent, sign-ups get a tile."""

import datetime
import uuid
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from utilisateurs import services

from .factories import ActiviteFactory, AutorisationFactory, InscriptionFactory

pytestmark = pytest.mark.django_db


def test_the_staff_client_file_speaks_to_staff_not_to_the_client(world, as_user):
    u = world.utilisateur_a
    InscriptionFactory(utilisateur=u, validee=False)
    page = unescape(as_user(world.users["collab_a"]).get(reverse("utilisateurs:detail", args=[u.pk])).text)
    assert "Votre inscription" not in page and "vous pourrez réserver" not in page
    assert "de ce client attend votre validation" in page


def test_the_request_timeline_says_the_client_sent_it_to_staff_and_you_to_the_client(world, as_user):
    u = world.utilisateur_a
    InscriptionFactory(utilisateur=u)
    activite = ActiviteFactory(agence=u.agence)
    AutorisationFactory(utilisateur=u, activite=activite)
    day = timezone.localdate() + datetime.timedelta(days=5)
    demande = services.create_demande(
        utilisateur=u,
        activite=activite,
        description="Tonte",
        nombre_prestataires=1,
        creneaux=[(day, datetime.time(9), datetime.time(11))],
        cle_idempotence=uuid.uuid4(),
        acting_user=world.users["client"],
    )
    staff_page = as_user(world.users["collab_a"]).get(reverse("utilisateurs:staff_demande", args=[demande.pk])).text
    assert "par le client" in staff_page and "par vous" not in staff_page
    client_page = as_user(world.users["client"]).get(reverse("utilisateurs:demande", args=[demande.pk])).text
    assert "par vous" in client_page and "par le client" not in client_page


def test_the_dashboard_counts_online_sign_ups_waiting_for_validation(world, as_user):
    InscriptionFactory(utilisateur=world.utilisateur_a, validee=False)
    InscriptionFactory(utilisateur=world.utilisateur_b, validee=False)  # another agency
    response = as_user(world.users["collab_a"]).get(reverse("dashboard"))
    tile = {t.key: t for t in response.context["tiles"]}["signups"]
    assert tile.value == 1 and tile.alert and "inscription=en_attente" in tile.url
    listing = as_user(world.users["collab_a"]).get(tile.url)
    assert str(world.utilisateur_a.nom) in listing.text
