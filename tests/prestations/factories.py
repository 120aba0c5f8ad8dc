"""Factories of the prestations tests: a worker and a client ready to work together (registration, authorisation)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from ale_platform.models import Activite, Agence
from prestataires.models import Prestataire
from tests.factories import ActiviteFactory, AgenceFactory, CollaborateurFactory, PrestataireFactory, UtilisateurFactory
from utilisateurs.models import Autorisation, Inscription, Utilisateur

_numbers = iter(range(1_000_000_000, 9_999_999_999, 7))


def authorise(utilisateur, activite, year: int) -> None:
    Inscription.objects.get_or_create(utilisateur=utilisateur, annee=year, defaults={"validee": True})
    Autorisation.objects.create(
        utilisateur=utilisateur,
        activite=activite,
        numero=f"{next(_numbers):010d}",
        debut=datetime.date(year, 1, 1),
        fin=datetime.date(year, 12, 31),
    )


@dataclass
class Setup:
    agence: Agence
    prestataire: Prestataire
    utilisateur: Utilisateur
    generale: Activite
    majoree: Activite
    agricole: Activite
    ferme: Utilisateur
    staff: object


def ready(year: int | None = None, agence=None, **worker) -> Setup:
    """A worker and two clients registered and authorised for `year` (the test's year: tests/conftest.py)."""
    year = year or timezone.localdate().year
    agence = agence or AgenceFactory()
    generale = ActiviteFactory(agence=agence, nom="Aide administrative", categorie=Activite.Categorie.GENERALE)
    majoree = ActiviteFactory(agence=agence, nom="Petit jardinage", categorie=Activite.Categorie.MAJOREE)
    agricole = ActiviteFactory(agence=agence, nom="Travaux agricoles", categorie=Activite.Categorie.AGRICOLE)
    prestataire = PrestataireFactory(agence=agence, statut="actif", organisme_paiement="capac", **worker)
    utilisateur = UtilisateurFactory(agence=agence, nom="Dupont", prenom="Anne")
    ferme = UtilisateurFactory(agence=agence, type="agricole", nom="Ferme de la Sarthe", prenom="")
    for activite in (generale, majoree, agricole):
        authorise(utilisateur, activite, year)
        authorise(ferme, activite, year)
    staff = CollaborateurFactory(agence=agence)
    return Setup(agence, prestataire, utilisateur, generale, majoree, agricole, ferme, staff)
