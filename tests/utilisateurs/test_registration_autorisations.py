"""Annual registration with the agency's fee; authorisations per activity allowed for the client type."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import TypeUtilisateur
from tests.factories import ActiviteFactory, UtilisateurFactory
from utilisateurs.models import Autorisation, Inscription
from utilisateurs.selectors import autorisations_expiring, registration_blocker

from .factories import AutorisationFactory, InscriptionFactory

pytestmark = pytest.mark.django_db


def test_staff_record_registration_with_the_agency_fee(world, as_user):
    world.agence_a.cotisation_annuelle = "6.20"
    world.agence_a.save()
    client = as_user(world.users["collab_a"])
    page = client.get(reverse("utilisateurs:inscription_add", args=[world.utilisateur_a.pk]))
    assert 'value="6.20"' in page.text
    year = timezone.localdate().year
    response = client.post(
        reverse("utilisateurs:inscription_add", args=[world.utilisateur_a.pk]),
        {"annee": year, "cotisation": "6.20", "payee_le": "", "validee": "on"},
    )
    assert response.status_code == 302
    inscription = Inscription.objects.get(utilisateur=world.utilisateur_a, annee=year)
    assert inscription.validee and inscription.payee_le is None and not inscription.payee
    response = client.post(
        reverse("utilisateurs:inscription_add", args=[world.utilisateur_a.pk]),
        {"annee": year, "cotisation": "6.20", "validee": "on"},
    )
    assert "Ce client a déjà une inscription pour cette année." in response.text


def test_validate_a_pending_registration_as_paid(world, as_user):
    inscription = InscriptionFactory(utilisateur=world.utilisateur_a, validee=False, payee_le=None)
    assert "attend la validation" in registration_blocker(world.utilisateur_a)
    client = as_user(world.users["collab_a"])
    client.post(reverse("utilisateurs:inscription_validate", args=[inscription.pk]), {"payee": "1"})
    inscription.refresh_from_db()
    assert inscription.validee and inscription.payee_le == timezone.localdate()
    assert registration_blocker(world.utilisateur_a) is None


def test_last_year_registration_has_expired(world):
    InscriptionFactory(utilisateur=world.utilisateur_a, annee=timezone.localdate().year - 1)
    assert "expiré" in registration_blocker(world.utilisateur_a)


def test_authorisation_only_for_activities_allowed_for_the_type(world, as_user):
    school_only = ActiviteFactory(
        agence=world.agence_a, nom="Surveillance de midi", types_utilisateurs=["enseignement"]
    )
    garden = ActiviteFactory(agence=world.agence_a, nom="Jardinage", types_utilisateurs=["particulier"])
    client = as_user(world.users["collab_a"])
    url = reverse("utilisateurs:autorisation_add", args=[world.utilisateur_a.pk])
    page = client.get(url)
    assert "Jardinage" in page.text and "Surveillance de midi" not in page.text
    today = timezone.localdate()
    data = {"activite": school_only.pk, "numero": "1234567890", "debut": today, "fin": today}
    response = client.post(url, data)
    assert "Sélectionnez un choix valide" in response.text
    response = client.post(url, data | {"activite": garden.pk, "numero": "12345"})
    assert "exactement 10 chiffres" in response.text
    response = client.post(url, data | {"activite": garden.pk, "fin": today - datetime.timedelta(days=1)})
    assert "La fin doit suivre le début." in response.text
    response = client.post(url, data | {"activite": garden.pk, "fin": today + datetime.timedelta(days=365)})
    assert response.status_code == 302
    assert Autorisation.objects.get(numero="1234567890").activite == garden
    # A number is unique across clients and agencies: the same one again is refused next to the field.
    other = AutorisationFactory(utilisateur=world.utilisateur_b)
    response = client.post(url, data | {"activite": garden.pk, "numero": other.numero, "fin": today})
    assert response.status_code == 200
    assert "Ce numéro d&#x27;autorisation existe déjà." in response.text
    assert Autorisation.objects.filter(numero=other.numero).count() == 1


def test_a_legal_person_may_hold_two_authorisations_for_the_same_activity(world):
    commune = UtilisateurFactory(agence=world.agence_a, type=TypeUtilisateur.AUTORITE_LOCALE, prenom="")
    first = AutorisationFactory(utilisateur=commune)
    AutorisationFactory(utilisateur=commune, activite=first.activite)
    assert commune.autorisations.filter(activite=first.activite).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        AutorisationFactory(utilisateur=commune, activite=first.activite, numero=first.numero)
    with pytest.raises(IntegrityError), transaction.atomic():
        AutorisationFactory(utilisateur=commune, numero="12345abcde")


def test_expiring_authorisations_are_listed_30_days_ahead(world, as_user):
    today = timezone.localdate()
    soon = AutorisationFactory(utilisateur=world.utilisateur_a, fin=today + datetime.timedelta(days=29))
    AutorisationFactory(utilisateur=world.utilisateur_a, fin=today + datetime.timedelta(days=31))
    AutorisationFactory(utilisateur=world.utilisateur_b, fin=today + datetime.timedelta(days=5))
    assert list(autorisations_expiring(world.agence_a)) == [soon]
    page = as_user(world.users["collab_a"]).get(reverse("utilisateurs:expirant"))
    assert soon.numero in page.text and "1 autorisation" in page.text
