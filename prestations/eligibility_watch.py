"""Work dated after the end of the worker's eligibility: found before it is paid.

A slot planned while the worker was eligible survives the end of their basis (the federal limitation of
unemployment benefits ends bases in waves from 1.1.2026 to 1.7.2027, levif.be). The services refuse to confirm or
validate such hours (`services.checks.ensure_eligible`); this module lists them for staff as soon as the basis
has an end date (the dashboard and the worker's file), with the next step, and flags them on the ALE 4 and the
payment body's statement, which do not count them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from prestataires import eligibility
from prestataires.models import BaseEligibilite, SituationEligibilite

from .models import Prestation

# Steps still ahead of these hours: planned, or worked and not yet validated (validated ones are flagged on the
# ALE 4 and the statement instead).
PENDING = [Prestation.Statut.PLANIFIEE, Prestation.Statut.EFFECTUEE]


class Judge:
    """Eligibility of workers on dates, each region's rules and each worker's situations read once."""

    def __init__(self):
        self._rules: dict[str, list] = {}
        self._situations: dict[int, list] = {}
        self._referrals: dict[int, list] = {}

    def rules(self, region: str) -> list:
        if region not in self._rules:
            self._rules[region] = eligibility.rules_of(region)
        return self._rules[region]

    def situations(self, prestataire) -> list:
        if prestataire.pk not in self._situations:
            self._situations[prestataire.pk] = list(prestataire.situations.all())
        return self._situations[prestataire.pk]

    def referrals(self, prestataire) -> list:
        if prestataire.pk not in self._referrals:
            self._referrals[prestataire.pk] = eligibility.referral_dates(prestataire)
        return self._referrals[prestataire.pk]

    def problem(self, prestataire, on: datetime.date) -> str | None:
        """None when eligible on `on`; else why not (the bases' reasons, in French)."""
        situations = self.situations(prestataire)
        rules = self.rules(prestataire.agence.region)
        needs_referral = {r.base for r in rules if r.adressage_requis} & {s.base for s in situations}
        result = eligibility.explain(
            prestataire,
            on,
            regles=rules,
            situations=situations,
            referrals=self.referrals(prestataire) if needs_referral else (),
        )
        if result.ok:
            return None
        reasons = "; ".join(f"{v.base_label} : {' '.join(v.failures)}" for v in result.verdicts)
        return f"{result.summary} {reasons}".strip()

    def next_step(self, prestataire, on: datetime.date) -> str:
        """What staff can do: record another basis open on that date (the 2026 Walloon 12-month route first),
        or cancel or reassign the prestation."""
        held = {s.base for s in self.situations(prestataire)}
        open_bases = [r for r in self.rules(prestataire.agence.region) if r.in_force(on) and r.base not in held]
        if any(r.base == BaseEligibilite.FOREM_12_MOIS for r in open_bases):
            return _(
                "Si la personne est inscrite au Forem depuis au moins 12 mois, enregistrez cette base (voie (a) de "
                "2026, décret wallon du 11.12.2025) ; sinon, annulez la prestation ou confiez-la à un·e autre "
                "prestataire."
            )
        if open_bases:
            labels = ", ".join(sorted({str(BaseEligibilite(r.base).label) for r in open_bases}))
            return _(
                "Enregistrez une autre base d'éligibilité si la personne y a droit (%(bases)s) ; sinon, annulez la "
                "prestation ou confiez-la à un·e autre prestataire."
            ) % {"bases": labels}
        return _("Annulez la prestation ou confiez-la à un·e autre prestataire.")


@dataclass(frozen=True)
class WorkAtRisk:
    prestation: Prestation
    reason: str
    next_step: str


def _after_an_ended_basis(queryset):
    ended_before = SituationEligibilite.objects.filter(
        prestataire_id=OuterRef("prestataire_id"), jusqu_au__lt=OuterRef("date")
    )
    return (
        queryset.filter(statut__in=PENDING)
        .filter(Exists(ended_before))
        .select_related("prestataire__agence", "utilisateur", "activite")
        .prefetch_related(Prefetch("prestataire__situations"))
        .order_by("date", "debut")
    )


def work_after_eligibility(*, agence=None, prestataire=None, between=None) -> list[WorkAtRisk]:
    """The planned or unvalidated prestations dated after the end of one of the worker's bases on which the
    worker is not eligible (another basis may still cover the date), with the reason and the next step;
    `between`: (first day, last day), e.g. the month being closed."""
    queryset = Prestation.objects.all()
    if agence is not None:
        queryset = queryset.filter(agence=agence)
    if prestataire is not None:
        queryset = queryset.filter(prestataire=prestataire)
    if between is not None:
        queryset = queryset.filter(date__range=between)
    judge = Judge()
    found = []
    for p in _after_an_ended_basis(queryset):
        reason = judge.problem(p.prestataire, p.date)
        if reason:
            found.append(WorkAtRisk(p, reason, judge.next_step(p.prestataire, p.date)))
    return found
