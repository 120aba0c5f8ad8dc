"""Rule: the minimum voucher price is the law of the prestation's date (news.belgium.be: €5.95 since 1.1.2009), not
the law of the day the voucher is typed."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from prestations.models import RegleLegale
from prestations.rulebook.law import SEED, seed_law
from prestations.services import record_cheque

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_minimum_voucher_price_is_the_law_of_the_prestations_date():
    seed_law(RegleLegale)
    walloon = [law for law in SEED if law.region == "wallonie"][-1]
    raised = replace(walloon, en_vigueur_du=D(2026, 12, 1), prix_minimum_cheque=Decimal("6.50"))
    values = {k: v for k, v in raised.__dict__.items() if k not in ("region", "en_vigueur_du")}
    values["types_utilisateurs_majores"] = list(values["types_utilisateurs_majores"])
    values["types_utilisateurs_agricoles"] = list(values["types_utilisateurs_agricoles"])
    RegleLegale.objects.create(region="wallonie", en_vigueur_du=D(2026, 12, 1), **values)
    s = ready()
    november = rec(s, 1, D(2026, 11, 20))
    cheque = record_cheque(
        agence=s.agence,
        numero="1234567890",
        utilisateur=s.utilisateur,
        acting_user=s.staff,
        valeur="6.00",
        prestation=november,
    )
    assert cheque.valeur == Decimal("6.00")  # November's law: €5.95
    with pytest.raises(ValidationError) as exc:
        record_cheque(
            agence=s.agence, numero="1234567891", utilisateur=s.utilisateur, acting_user=s.staff, valeur="6.00"
        )
    assert "minimum légal de 6,50 €" in messages(exc)  # no prestation: today's law
