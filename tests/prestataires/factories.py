import datetime

import factory

from prestataires.models import Absence, ContratALE, SituationEligibilite
from tests.factories import PrestataireFactory  # noqa: F401 (re-exported for the app's tests)


class SituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SituationEligibilite

    prestataire = factory.SubFactory(PrestataireFactory)
    base = "forem_12_mois"
    depuis = datetime.date(2024, 6, 1)
    preuve = "Attestation d'inscription du Forem"
    date_preuve = datetime.date(2025, 11, 3)


class ContratFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContratALE

    prestataire = factory.SubFactory(PrestataireFactory)
    date_debut = datetime.date(2026, 11, 1)


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    prestataire = factory.SubFactory(PrestataireFactory)
    debut = datetime.date(2026, 12, 1)
    fin = datetime.date(2026, 12, 5)
