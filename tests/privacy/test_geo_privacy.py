"""A person's coordinates are personal data: in their GDPR export, erased with their file (row, history, cache),
and never shown to a client or an adviser."""

import datetime
import json
from decimal import Decimal

import pytest

from ale_platform.geo.addresses import address_of
from ale_platform.geo.models import AdresseConnue, Itineraire
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.reach import export_rows
from ale_platform.privacy.services import Candidate, anonymise
from prestataires.models import Prestataire
from tests.factories import PrestataireFactory, UtilisateurFactory
from utilisateurs.models import Site, Utilisateur

pytestmark = pytest.mark.django_db


def located_worker():
    p = PrestataireFactory(rue="Rue du Moulin 8")
    p.latitude, p.longitude, p.geocodage = Decimal("50.560000"), Decimal("4.695000"), "trouvee"
    p.save()  # through the ORM: the history keeps a row with the point
    AdresseConnue.objects.create(adresse=address_of(p), latitude=p.latitude, longitude=p.longitude, source="geocodeur")
    Itineraire.objects.create(
        depart_latitude=Decimal("50.56000"),
        depart_longitude=Decimal("4.69500"),
        arrivee_latitude=Decimal("50.57000"),
        arrivee_longitude=Decimal("4.70000"),
        mode="pied",
        minutes=20,
        km=Decimal("1.5"),
    )
    return p


def test_worker_export_holds_the_coordinates():
    p = located_worker()
    exported = json.loads(export_rows(TypePersonne.PRESTATAIRE, p)["prestataire.json"])
    assert exported[0]["fields"]["latitude"] == "50.560000" and exported[0]["fields"]["longitude"] == "4.695000"


def test_anonymising_a_worker_erases_the_point_its_history_its_cached_address_and_routes():
    p = located_worker()
    anonymise(Candidate(TypePersonne.PRESTATAIRE, p, datetime.date(2019, 1, 1)))
    p = Prestataire.objects.get(pk=p.pk)
    assert (p.latitude, p.longitude, p.geocodage_adresse) == (None, None, "")
    assert not p.history.filter(latitude__isnull=False).exists()
    assert not p.history.exclude(geocodage_adresse="").exists()
    assert not AdresseConnue.objects.exists() and not Itineraire.objects.exists()


def test_anonymising_a_client_erases_the_points_of_their_home_and_sites():
    u = UtilisateurFactory()
    Utilisateur.objects.filter(pk=u.pk).update(latitude=Decimal("50.5"), longitude=Decimal("4.7"), geocodage="trouvee")
    site = Site.objects.create(utilisateur=u, nom="Jardin", rue="Rue Haute 3", code_postal="5030", commune="Gembloux")
    Site.objects.filter(pk=site.pk).update(latitude=Decimal("50.51"), longitude=Decimal("4.71"), geocodage="trouvee")
    anonymise(Candidate(TypePersonne.UTILISATEUR, Utilisateur.objects.get(pk=u.pk), datetime.date(2019, 1, 1)))
    assert Utilisateur.objects.get(pk=u.pk).latitude is None
    assert Site.objects.get(pk=site.pk).latitude is None


def test_clients_and_advisers_never_see_a_worker_point(client):
    from django.urls import reverse

    from tests.factories import AdressageFactory, PrestationFactory, UserFactory

    p = located_worker()
    compte = UserFactory(role="client")
    u = UtilisateurFactory(agence=p.agence, compte=compte)
    PrestationFactory(prestataire=p, utilisateur=u)
    adressage = AdressageFactory(agence=p.agence, prestataire=p, etat="actif")
    for user, url in (
        (compte, reverse("prestations:client")),
        (adressage.conseiller.user, reverse("forem_liaison:detail", args=[adressage.pk])),
    ):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert p.prenom in text or adressage.nom in text  # the page is about them
        assert "50.56" not in text and "50,56" not in text and "4,695" not in text and "4.695" not in text
