"""The checks every recording of hours goes through, in the order a collaborator reads them.

The caller holds the person's lock (`rulebook.lock_person`): the caps are read once per recording from the
rule book (`HourMeters`), so two collaborators recording for the same person, in one agency or two, are
serialised and the second one sees the first one's hours. Errors are `ValidationError`s keyed by form field,
with French messages that name the rule and by how much it is broken.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform.dates import short_date, short_time
from prestataires import eligibility
from prestataires.models import Prestataire
from utilisateurs.calendrier import jours_feries
from utilisateurs.selectors import service_blockers

from ..models import QUARTER, STATUTS_COMPTES, Prestation
from ..rulebook import HourMeters, caps_for, effective_category, hour_meters
from ..rulebook.caps import fmt_h

COUNTING = STATUTS_COMPTES


class AvertissementPrestation(ValidationError):
    """A warning staff may override by giving a reason (`override_reason`). Caps are never warnings."""


def belgian_holiday(day: datetime.date) -> str | None:
    return jours_feries(day, day).get(day)


def _shape_errors(*, date, debut, fin, heures, statut) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if heures is None or heures <= 0:
        errors.setdefault("heures", []).append(_("Le nombre d'heures doit être positif."))
        return errors
    heures = Decimal(heures)
    if heures % QUARTER:
        lower = (heures // QUARTER) * QUARTER
        errors.setdefault("heures", []).append(
            _(
                "Les heures se comptent par quarts d'heure (0,25 h) : "
                "%(h)s h n'en est pas un multiple (%(a)s h ou %(b)s h ?)."
            )
            % {"h": fmt_h(heures), "a": fmt_h(lower), "b": fmt_h(lower + QUARTER)}
        )
    if fin <= debut:
        errors.setdefault("fin", []).append(
            _("L'heure de fin (%(fin)s) doit être après l'heure de début (%(debut)s).")
            % {"fin": short_time(fin), "debut": short_time(debut)}
        )
    else:
        span = Decimal(
            (datetime.datetime.combine(date, fin) - datetime.datetime.combine(date, debut)).seconds
        ) / Decimal(3600)
        if heures > span:
            errors.setdefault("heures", []).append(
                _("%(h)s h encodées pour une plage de %(span)s h (de %(debut)s à %(fin)s) : %(over)s h de trop.")
                % {
                    "h": fmt_h(heures),
                    "span": fmt_h(span.quantize(Decimal("0.01"))),
                    "debut": short_time(debut),
                    "fin": short_time(fin),
                    "over": fmt_h((heures - span).quantize(Decimal("0.01"))),
                }
            )
    if statut in (Prestation.Statut.DECLAREE, Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE):
        now = timezone.localtime()
        if date > now.date():
            errors.setdefault("date", []).append(
                _("Des heures ne peuvent pas être encodées comme prestées pour une date future (%(date)s).")
                % {"date": short_date(date)}
            )
        elif date == now.date() and fin > now.time():
            errors.setdefault("fin", []).append(
                _(
                    "Cette plage n'est pas encore terminée (fin à %(fin)s, il est %(now)s) : les heures réellement "
                    "prestées s'encodent après la fin."
                )
                % {"fin": short_time(fin), "now": short_time(now)}
            )
    return errors


def _party_errors(*, prestataire, utilisateur, activite, date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if prestataire.statut != Prestataire.Statut.ACTIF:
        errors.setdefault("prestataire", []).append(
            _("%(p)s n'est pas actif·ve (statut : %(s)s) : pas de prestation sans contrat de travail ALE signé.")
            % {"p": prestataire, "s": prestataire.get_statut_display()}
        )
    if not (prestataire.agence_id == utilisateur.agence_id == activite.agence_id):
        errors.setdefault("utilisateur", []).append(
            _("Le ou la prestataire, l'utilisateur·rice et l'activité doivent relever de la même agence.")
        )
    if not activite.allows(*utilisateur.types_du_lieu):
        errors.setdefault("activite", []).append(
            _("L'activité « %(a)s » n'est pas proposée aux utilisateurs de type « %(t)s ».")
            % {"a": activite, "t": utilisateur.get_type_display()}
        )
    for problem in service_blockers(utilisateur, activite, date):
        errors.setdefault("utilisateur", []).append(problem)
    refused = eligibility_problem(prestataire, date)
    if refused:
        errors.setdefault("prestataire", []).append(refused)
    return errors


def eligibility_problem(prestataire, date) -> str | None:
    """Why the worker may not be paid for work on `date` (None when eligible): the one eligibility check of every
    step that leads to money (record, move, confirm, validate, declare…), so no step can be added without it."""
    return eligibility.refusal(prestataire, date)


def ensure_eligible(prestation, *, acting_user=None) -> None:
    """Refuses the step when the worker is not eligible on the prestation's date (a basis ended after the slot was
    planned: the federal limitation waves of 2026–2027). Staff read the rule and the reason; a client or a worker
    reads that the ALE must check first (a client never reads why another person's benefits stopped)."""
    refused = eligibility_problem(prestation.prestataire, prestation.date)
    if refused is None:
        return
    if acting_user is not None and (acting_user.is_client or acting_user.is_prestataire):
        refused = _(
            "Ces heures ne peuvent pas être confirmées pour l'instant : l'ALE doit d'abord vérifier que le ou la "
            "prestataire pouvait travailler le %(date)s. L'ALE vous contactera."
        ) % {"date": prestation.date.strftime("%d/%m/%Y")}
    raise ValidationError({"prestataire": [refused]})


def _overlap_errors(*, prestataire, date, debut, fin, exclude_pk=None) -> list[str]:
    same_person = Q(prestataire__niss=prestataire.niss) if prestataire.niss else Q(prestataire=prestataire)
    qs = Prestation.objects.filter(
        same_person, date=date, statut__in=COUNTING, debut__lt=fin, fin__gt=debut
    ).select_related("utilisateur")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    other = qs.first()
    if other is None:
        return []
    return [
        _("%(p)s travaille déjà de %(d)s à %(f)s ce jour-là (chez %(u)s).")
        % {
            "p": prestataire,
            "d": short_time(other.debut),
            "f": short_time(other.fin),
            "u": other.utilisateur,
        }
    ]


def _warnings(*, date) -> dict[str, list[str]]:
    name = belgian_holiday(date)
    if name:
        return {
            "date": [
                _(
                    "Le %(date)s est un jour férié (%(nom)s) : "
                    "indiquez un motif de dérogation pour l'encoder quand même."
                )
                % {"date": short_date(date), "nom": name}
            ]
        }
    return {}


def _merge(*dicts) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for d in dicts:
        for key, messages in d.items():
            merged.setdefault(key, []).extend(messages)
    return merged


@dataclass(frozen=True)
class Checked:
    """What the checks found out and the recording needs: the derogation reason, the person's meters before
    this prestation (one aggregation per recording) and the cap category the prestation counts in."""

    motif: str
    meters: HourMeters
    categorie: str


def check_all(
    *, prestataire, utilisateur, activite, date, debut, fin, heures, statut, override_reason, exclude_pk=None
) -> Checked:
    """Every rule for one prestation; `prestataire` is the locked file. Raises ValidationError (all errors at
    once, by field) or AvertissementPrestation (a warning without a reason)."""
    errors = _merge(
        _shape_errors(date=date, debut=debut, fin=fin, heures=heures, statut=statut),
        _party_errors(prestataire=prestataire, utilisateur=utilisateur, activite=activite, date=date),
    )
    if statut in COUNTING and "fin" not in errors:
        errors = _merge(
            errors,
            {"debut": _overlap_errors(prestataire=prestataire, date=date, debut=debut, fin=fin, exclude_pk=exclude_pk)},
        )
    meters = hour_meters([prestataire], on=date, exclude_pk=exclude_pk)[prestataire.pk]
    categorie = effective_category(activite, utilisateur, meters.caps)
    if statut in COUNTING and heures and heures > 0:
        errors = _merge(errors, {"heures": meters.errors_for(categorie, heures)})
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)
    warnings = _warnings(date=date)
    if warnings and not (override_reason or "").strip():
        raise AvertissementPrestation(warnings)
    return Checked((override_reason or "").strip() if warnings else "", meters, categorie)


__all__ = [
    "COUNTING",
    "AvertissementPrestation",
    "Checked",
    "belgian_holiday",
    "caps_for",
    "check_all",
    "eligibility_problem",
    "ensure_eligible",
    "fmt_h",
]
