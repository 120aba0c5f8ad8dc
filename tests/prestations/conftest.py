"""The law's rows come from data migrations (prestations 0008, 0009, 0014); a transactional test that ran before
(the browser tests, the load test) flushed them, and a region without law rows now refuses instead of borrowing
constants (docs/regles.md): put the migrations' rows back before each test of this folder."""

import datetime
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def _law_rows(db):
    from prestations.models import RegleFraisDeplacement, RegleLegale
    from prestations.rulebook.law import seed_law

    seed_law(RegleLegale)
    RegleFraisDeplacement.objects.get_or_create(
        agence=None,
        region="wallonie",
        en_vigueur_du=datetime.date(2002, 6, 5),
        defaults={
            "seuil_km": Decimal("5.0"),
            "taux_km": Decimal("0.15"),
            "a_charge_de": "ale",
            "taux_min_utilisateur": Decimal("0.30"),
            "source": "AR 5.6.2002 : au-delà de 5 km, au moins 0,15 €/km, sauf si l'ALE les facture à l'utilisateur"
            " ; facturés à l'utilisateur, au moins 0,30 €/km (theux.be)",
        },
    )
