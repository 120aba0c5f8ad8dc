import datetime
import itertools
import uuid

import factory
from django.utils import timezone

from tests.factories import ActiviteFactory, UserFactory, UtilisateurFactory  # noqa: F401
from utilisateurs.models import Autorisation, Demande, Inscription, Site

_numbers = itertools.count(1)


class InscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inscription

    utilisateur = factory.SubFactory(UtilisateurFactory)
    annee = factory.LazyFunction(lambda: timezone.localdate().year)
    cotisation = factory.LazyAttribute(lambda o: o.utilisateur.agence.cotisation_annuelle)
    payee_le = factory.LazyFunction(timezone.localdate)
    validee = True


class AutorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Autorisation

    utilisateur = factory.SubFactory(UtilisateurFactory)
    activite = factory.SubFactory(ActiviteFactory, agence=factory.SelfAttribute("..utilisateur.agence"))
    numero = factory.LazyFunction(lambda: f"{3_000_000_000 + next(_numbers):010d}")
    debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    fin = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    utilisateur = factory.SubFactory(UtilisateurFactory)
    nom = factory.Sequence(lambda n: f"Implantation {n}")
    rue = "Rue de l'École 3"
    code_postal = "5031"
    commune = "Grand-Leez"


class DemandeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demande

    utilisateur = factory.SubFactory(UtilisateurFactory)
    agence = factory.SelfAttribute("utilisateur.agence")
    activite = factory.SubFactory(ActiviteFactory, agence=factory.SelfAttribute("..agence"))
    description = "Tonte de la pelouse"
    cle_idempotence = factory.LazyFunction(uuid.uuid4)


def bookable_client(agence, **kwargs):
    """A client registered for this year and authorised for one activity: (utilisateur, activite)."""
    utilisateur = UtilisateurFactory(agence=agence, **kwargs)
    InscriptionFactory(utilisateur=utilisateur)
    autorisation = AutorisationFactory(utilisateur=utilisateur)
    return utilisateur, autorisation.activite
