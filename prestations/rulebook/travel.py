"""The travel-cost law (AR 5.6.2002) and the agencies' own rules: which applies on a date, and what an agency may
set. Data: `RegleFraisDeplacement` (no agency: the law; an agency: its own rule, only more generous to the worker).
The costs of a prestation are computed from it in `prestations.frais`.
"""

import datetime

from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from ale_platform.numbers import euros
from prestations.models import PayeurFrais, RegleFraisDeplacement


def travel_law_in_force(region: str, day: datetime.date) -> RegleFraisDeplacement | None:
    """The region's travel-cost law on `day` (AR 5.6.2002: beyond 5 km, at least €0.15/km unless charged to the
    user); never another region's."""
    return RegleFraisDeplacement.objects.filter(agence__isnull=True, region=region, en_vigueur_du__lte=day).first()


class Regles:
    """Every rule of an agency and of the law, loaded once; `on(day)` is the one in force that day."""

    def __init__(self, agence):
        rows = list(
            RegleFraisDeplacement.objects.filter(Q(agence=agence) | Q(agence__isnull=True, region=agence.region))
        )
        self.agence_rules = sorted((r for r in rows if r.agence_id), key=lambda r: r.en_vigueur_du, reverse=True)
        self.law = sorted((r for r in rows if not r.agence_id), key=lambda r: r.en_vigueur_du, reverse=True)

    def on(self, day: datetime.date) -> RegleFraisDeplacement | None:
        for rules in (self.agence_rules, self.law):
            rule = next((r for r in rules if r.en_vigueur_du <= day), None)
            if rule:
                return rule
        return None


def with_regle(queryset, agence):
    """The queryset form of `Regles(agence).on`: each prestation is read with the rule in force on its date (the
    agency's latest from that date back, else the law's), so a form needs no separate read of the rules."""
    rules = RegleFraisDeplacement.objects.filter(
        Q(agence=agence) | Q(agence__isnull=True, region=agence.region), en_vigueur_du__lte=OuterRef("date")
    ).order_by(F("agence").asc(nulls_last=True), "-en_vigueur_du")
    return queryset.annotate(
        regle_frais_id=Subquery(rules.values("pk")[:1]),
        regle_frais_seuil_km=Subquery(rules.values("seuil_km")[:1]),
        regle_frais_taux_km=Subquery(rules.values("taux_km")[:1]),
        regle_frais_a_charge_de=Subquery(rules.values("a_charge_de")[:1]),
    )


def agency_rule_problems(rule) -> dict[str, str]:
    """{field: why} an agency's rule may not be set: it may only be more generous to the worker than the law in
    force on its date (a lower threshold; charged to the ALE, at least the law's rate), and charged to the user, not
    below the law's floor per km (`taux_min_utilisateur`, theux.be: at least 0,30 €/km). The service
    (`services.set_travel_rule`), the settings form and the admin call it."""
    if rule.agence_id is None or not rule.en_vigueur_du:
        return {}
    loi = travel_law_in_force(rule.agence.region, rule.en_vigueur_du)
    errors = {}
    if loi and rule.seuil_km is not None and rule.seuil_km > loi.seuil_km:
        errors["seuil_km"] = _("La loi impose les frais dès %(km)s km : le seuil ne peut pas être plus élevé.") % {
            "km": loi.seuil_km
        }
    if loi and rule.a_charge_de == PayeurFrais.ALE and rule.taux_km is not None and rule.taux_km < loi.taux_km:
        errors["taux_km"] = _("À charge de l'ALE, le montant légal minimum est de %(t)s € par km.") % {
            "t": euros(loi.taux_km)
        }
    floor = loi.taux_min_utilisateur if loi else None
    if rule.a_charge_de == PayeurFrais.UTILISATEUR and floor is not None and rule.taux_km is not None:
        if rule.taux_km < floor:
            errors["taux_km"] = _(
                "Facturés à l'utilisateur, les frais de déplacement sont d'au moins %(t)s € par km."
            ) % {"t": euros(floor)}
    return errors
