"""An agency's own travel-cost rule from a date (the law's bounds in `rulebook.travel.agency_rule_problems`)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ale_platform.history import save_as

from ..models import RegleFraisDeplacement
from ..rulebook.travel import agency_rule_problems


@transaction.atomic
def set_travel_rule(*, agence, en_vigueur_du, seuil_km, taux_km, a_charge_de, acting_user) -> RegleFraisDeplacement:
    """Saves the agency's rule in force from `en_vigueur_du` (a change is a new dated rule; the old one stays).
    Refused when it is less generous to the worker than the law of its date, or charges the user less than the
    law's floor (theux.be: at least 0,30 €/km), each reason under its field."""
    rule = RegleFraisDeplacement.objects.select_for_update().filter(
        agence=agence, en_vigueur_du=en_vigueur_du
    ).first() or RegleFraisDeplacement(agence=agence, en_vigueur_du=en_vigueur_du)
    rule.seuil_km, rule.taux_km, rule.a_charge_de, rule.region = seuil_km, taux_km, a_charge_de, agence.region
    problems = agency_rule_problems(rule)
    if problems:
        raise ValidationError({name: [problem] for name, problem in problems.items()})
    save_as(rule, acting_user)
    return rule
