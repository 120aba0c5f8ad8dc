"""A second client reaches none of the first one's pages or files, even by guessing ids."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Role
from tests.factories import UserFactory, UtilisateurFactory
from utilisateurs.models import Creneau

from .factories import DemandeFactory

pytestmark = pytest.mark.django_db


def test_second_client_guessing_ids_gets_404_and_changes_nothing(world, as_user):
    demande = DemandeFactory(utilisateur=world.utilisateur_a)
    creneau = Creneau.objects.create(
        demande=demande,
        date=timezone.localdate() + datetime.timedelta(days=20),
        debut=datetime.time(9),
        fin=datetime.time(10),
    )
    other_user = UserFactory(role=Role.CLIENT)
    UtilisateurFactory(agence=world.agence_a, compte=other_user)
    other = as_user(other_user)
    for pk in range(max(demande.pk - 3, 1), demande.pk + 4):
        assert other.get(reverse("utilisateurs:demande", args=[pk])).status_code == 404
        assert other.post(reverse("utilisateurs:demande_annuler", args=[pk])).status_code == 404
    assert other.post(reverse("utilisateurs:creneau_annuler", args=[creneau.pk])).status_code == 404
    # Staff pages are closed to clients.
    assert other.get(reverse("utilisateurs:detail", args=[world.utilisateur_a.pk])).status_code == 403
    demande.refresh_from_db()
    creneau.refresh_from_db()
    assert demande.statut == "nouvelle" and not creneau.annule
    # The first client still sees their request.
    assert as_user(world.users["client"]).get(reverse("utilisateurs:demande", args=[demande.pk])).status_code == 200
