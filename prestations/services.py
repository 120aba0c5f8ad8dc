"""Writes of the prestations app. `record_prestation` / `update_hours` are THE only ways hours are written.

Every cap is computed inside one transaction after locking the worker's row (`select_for_update()`), so two
collaborators recording at the same moment are serialised: the second one sees the first one's hours and is
refused if the sum would pass a cap. Errors are `ValidationError`s keyed by form field, with French messages
that name the rule and by how much it is broken. See docs/prestations.md.
"""

import datetime
import math
import re
from decimal import Decimal

import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform import numbers
from ale_platform.models import Activite
from ale_platform.notifications import CANCELLATION, CAP_NEARLY_REACHED, agency_staff, notify
from prestataires.models import Prestataire
from utilisateurs.selectors import service_blockers

from .meters import hour_meters
from .models import (
    NUMERO_CHEQUE_REGEX,
    PRIX_MINIMUM_CHEQUE,
    STATUTS_COUVRANTS,
    TRANSITIONS,
    ChequeALE,
    Prestation,
    StatutCheque,
    TransitionCheque,
)

QUARTER = Decimal("0.25")
ZERO = Decimal("0")
COUNTING = [Prestation.Statut.PLANIFIEE, Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE]


class AvertissementPrestation(ValidationError):
    """A warning staff may override by giving a reason (`override_reason`). Caps are never warnings."""


def fmt_h(value) -> str:
    """45 → "45", 2.50 → "2,5": the platform's one Belgian format for hours (ale_platform.numbers)."""
    return numbers.heures(value)


def belgian_holiday(day: datetime.date) -> str | None:
    return holidays.Belgium(years=day.year, language="fr").get(day)


# --------------------------------------------------------------------------------------------------- checks


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
            % {"fin": fin.strftime("%H:%M"), "debut": debut.strftime("%H:%M")}
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
                    "debut": debut.strftime("%H:%M"),
                    "fin": fin.strftime("%H:%M"),
                    "over": fmt_h((heures - span).quantize(Decimal("0.01"))),
                }
            )
    if statut in (Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE):
        now = timezone.localtime()
        if date > now.date():
            errors.setdefault("date", []).append(
                _("Des heures ne peuvent pas être encodées comme prestées pour une date future (%(date)s).")
                % {"date": date.strftime("%d/%m/%Y")}
            )
        elif date == now.date() and fin > now.time():
            errors.setdefault("fin", []).append(
                _(
                    "Cette plage n'est pas encore terminée (fin à %(fin)s, il est %(now)s) : les heures réellement "
                    "prestées s'encodent après la fin."
                )
                % {"fin": fin.strftime("%H:%M"), "now": now.strftime("%H:%M")}
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
    if not activite.allows(utilisateur.type):
        errors.setdefault("activite", []).append(
            _("L'activité « %(a)s » n'est pas proposée aux utilisateurs de type « %(t)s ».")
            % {"a": activite, "t": utilisateur.get_type_display()}
        )
    for problem in service_blockers(utilisateur, activite, date):
        errors.setdefault("utilisateur", []).append(problem)
    return errors


def _cap_errors(*, prestataire, activite, date, heures, exclude_pk=None) -> list[str]:
    """Every cap the month and year of `date` would pass with `heures` more in `activite`. Caller holds the lock."""
    agence = prestataire.agence
    qs = Prestation.objects.filter(prestataire=prestataire, statut__in=COUNTING, date__year=date.year)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    month = Q(date__month=date.month)
    cat = Activite.Categorie
    totals = qs.aggregate(
        generale=Sum("heures", filter=month & Q(activite__categorie=cat.GENERALE), default=ZERO),
        majoree=Sum("heures", filter=month & Q(activite__categorie=cat.MAJOREE), default=ZERO),
        agricole=Sum("heures", filter=month & Q(activite__categorie=cat.AGRICOLE), default=ZERO),
        annee=Sum("heures", default=ZERO),
    )
    heures = Decimal(heures)
    generale, majoree, agricole = totals["generale"], totals["majoree"], totals["agricole"]
    if activite.categorie == cat.AGRICOLE:
        agricole += heures
    elif activite.categorie == cat.MAJOREE:
        majoree += heures
    else:
        generale += heures
    annee = totals["annee"] + heures
    hors_agricole = generale + majoree
    errors = []

    def over(label, cap, used):
        if used > cap:
            errors.append(
                label % {"cap": fmt_h(cap)}
                + " "
                + _("dépassé de %(over)s h (%(used)s h avec cette prestation).")
                % {"over": fmt_h(used - cap), "used": fmt_h(used)}
            )

    over(_("Plafond mensuel de %(cap)s h"), agence.plafond_mensuel, generale)
    if agricole:
        over(_("Plafond de %(cap)s h hors agriculture sur le mois"), agence.plafond_hors_agricole, hors_agricole)
        over(
            _("Plafond mensuel de %(cap)s h en agriculture/horticulture"),
            agence.plafond_mensuel_agricole,
            hors_agricole + agricole,
        )
    else:
        over(
            _("Plafond mensuel de %(cap)s h (activités à plafond majoré)"), agence.plafond_mensuel_majore, hors_agricole
        )
    over(_("Plafond annuel de %(cap)s h"), agence.plafond_annuel, annee)
    return errors


def _overlap_errors(*, prestataire, date, debut, fin, exclude_pk=None) -> list[str]:
    qs = Prestation.objects.filter(
        prestataire=prestataire, date=date, statut__in=COUNTING, debut__lt=fin, fin__gt=debut
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
            "d": other.debut.strftime("%H:%M"),
            "f": other.fin.strftime("%H:%M"),
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
                % {"date": date.strftime("%d/%m/%Y"), "nom": name}
            ]
        }
    return {}


def _merge(*dicts) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for d in dicts:
        for key, messages in d.items():
            merged.setdefault(key, []).extend(messages)
    return merged


def _lock_worker(prestataire) -> Prestataire:
    """The worker's row, locked until the end of the transaction: recordings for one worker are serialised."""
    return Prestataire.objects.select_for_update().select_related("agence").get(pk=prestataire.pk)


def _check_all(
    *, prestataire, utilisateur, activite, date, debut, fin, heures, statut, override_reason, exclude_pk=None
):
    errors = _merge(
        _shape_errors(date=date, debut=debut, fin=fin, heures=heures, statut=statut),
        _party_errors(prestataire=prestataire, utilisateur=utilisateur, activite=activite, date=date),
    )
    if statut in COUNTING and "fin" not in errors:
        errors = _merge(
            errors,
            {"debut": _overlap_errors(prestataire=prestataire, date=date, debut=debut, fin=fin, exclude_pk=exclude_pk)},
        )
    if statut in COUNTING and heures and heures > 0:
        caps = _cap_errors(prestataire=prestataire, activite=activite, date=date, heures=heures, exclude_pk=exclude_pk)
        errors = _merge(errors, {"heures": caps})
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)
    warnings = _warnings(date=date)
    if warnings and not (override_reason or "").strip():
        raise AvertissementPrestation(warnings)
    return (override_reason or "").strip() if warnings else ""


# ----------------------------------------------------------------------------------------------- prestations


@transaction.atomic
def record_prestation(
    *,
    prestataire,
    utilisateur,
    activite,
    date,
    debut,
    fin,
    heures,
    acting_user,
    demande=None,
    statut=Prestation.Statut.EFFECTUEE,
    override_reason=None,
) -> Prestation:
    """Records a prestation (planned slot or hours worked) after checking every rule; the only way to add hours."""
    heures = Decimal(str(heures)) if heures is not None else None
    worker = _lock_worker(prestataire)
    motif = _check_all(
        prestataire=worker,
        utilisateur=utilisateur,
        activite=activite,
        date=date,
        debut=debut,
        fin=fin,
        heures=heures,
        statut=statut,
        override_reason=override_reason,
    )
    prestation = Prestation(
        agence=worker.agence,
        prestataire=worker,
        utilisateur=utilisateur,
        activite=activite,
        demande=demande,
        date=date,
        debut=debut,
        fin=fin,
        heures=heures,
        statut=statut,
        created_by=acting_user,
        motif_derogation=motif,
    )
    if statut == Prestation.Statut.VALIDEE:
        prestation.validee_le, prestation.validee_par = timezone.now(), acting_user
    before = _near_caps(worker, date)
    prestation._history_user = acting_user
    prestation.save()
    crossed = [m for m in _near_caps(worker, date) if m.label not in {b.label for b in before}]
    if crossed:
        notify(
            CAP_NEARLY_REACHED.code,
            recipients=agency_staff(worker.agence),
            context={
                "title": str(worker),
                "lines": [
                    _("%(label)s : %(used)s h sur %(cap)s h")
                    % {"label": m.label, "used": fmt_h(m.used), "cap": fmt_h(m.cap)}
                    for m in crossed
                ],
                "path": reverse("prestataires:detail", args=[worker.pk]),
            },
        )
    return prestation


def _near_caps(worker, date) -> list:
    """The worker's meters (month, outside agriculture, year) at ≥ 80 % of their cap in the period of `date`."""
    m = hour_meters([worker], on=date)[worker.pk]
    return [meter for meter in (m.month, m.outside_agriculture, m.year) if meter.near or meter.over]


def _notify_cancellation(prestation, what: str) -> None:
    p = prestation
    context = {
        "title": f"{p.activite.nom}, {p.date:%d/%m/%Y} {p.debut:%H:%M}-{p.fin:%H:%M}",
        "lines": [what, f"{p.prestataire} — {p.utilisateur}"],
    }
    notify(
        CANCELLATION.code,
        recipients=[p.prestataire.compte],
        context={**context, "path": reverse("prestations:mes_prestations")},
    )
    notify(
        CANCELLATION.code, recipients=[p.utilisateur.compte], context={**context, "path": reverse("prestations:client")}
    )


@transaction.atomic
def update_hours(
    *,
    prestation,
    acting_user,
    heures,
    debut=None,
    fin=None,
    date=None,
    statut=Prestation.Statut.EFFECTUEE,
    override_reason=None,
    reason="",
) -> Prestation:
    """Writes the real hours of a slot (or moves it, with statut planifiée), with every check of a new recording."""
    worker = _lock_worker(prestation.prestataire)
    prestation = Prestation.objects.select_for_update().select_related("utilisateur", "activite").get(pk=prestation.pk)
    if prestation.statut == Prestation.Statut.VALIDEE:
        raise ValidationError(
            {"heures": [_("Cette prestation est déjà validée : ses heures ne peuvent plus changer.")]}
        )
    heures = Decimal(str(heures)) if heures is not None else None
    date = date or prestation.date
    debut = debut or prestation.debut
    fin = fin or prestation.fin
    motif = _check_all(
        prestataire=worker,
        utilisateur=prestation.utilisateur,
        activite=prestation.activite,
        date=date,
        debut=debut,
        fin=fin,
        heures=heures,
        statut=statut,
        override_reason=override_reason,
        exclude_pk=prestation.pk,
    )
    prestation.date, prestation.debut, prestation.fin, prestation.heures = date, debut, fin, heures
    prestation.statut = statut
    if motif:
        prestation.motif_derogation = motif
    prestation._history_user = acting_user
    prestation._change_reason = reason[:100]
    prestation.save()
    return prestation


@transaction.atomic
def move_prestation(*, prestation, date, debut, fin, acting_user, heures=None, reason="", override_reason=None):
    """Moves a planned slot; its history keeps the old date and times. The worker and the client are told."""
    if prestation.statut != Prestation.Statut.PLANIFIEE:
        raise ValidationError({"date": [_("Seule une prestation planifiée peut être déplacée.")]})
    old = f"{prestation.date:%d/%m/%Y} {prestation.debut:%H:%M}-{prestation.fin:%H:%M}"
    moved = update_hours(
        prestation=prestation,
        acting_user=acting_user,
        heures=heures or prestation.heures,
        date=date,
        debut=debut,
        fin=fin,
        statut=Prestation.Statut.PLANIFIEE,
        override_reason=override_reason,
        reason=reason,
    )
    _notify_cancellation(moved, _("Déplacée ; elle était prévue le %(old)s.") % {"old": old})
    return moved


@transaction.atomic
def validate_prestation(*, prestation, acting_user) -> Prestation:
    """Staff validate hours recorded (statut effectuée): they become final and due to be covered by vouchers."""
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if prestation.statut != Prestation.Statut.EFFECTUEE:
        raise ValidationError(
            _("Seule une prestation aux heures encodées peut être validée (statut actuel : %(s)s).")
            % {"s": prestation.get_statut_display()}
        )
    prestation.statut = Prestation.Statut.VALIDEE
    prestation.validee_le, prestation.validee_par = timezone.now(), acting_user
    prestation._history_user = acting_user
    prestation.save()
    if prestation.demande_id:
        from utilisateurs.services import finish_if_done

        finish_if_done(demande=prestation.demande, acting_user=acting_user)
    return prestation


@transaction.atomic
def confirm_hours(*, prestation, acting_user) -> Prestation:
    """The client confirms online the hours of a past slot (planned hours become the hours worked)."""
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if prestation.statut not in (Prestation.Statut.PLANIFIEE, Prestation.Statut.EFFECTUEE):
        raise ValidationError(
            _("Ces heures ne peuvent plus être confirmées (statut : %(s)s).") % {"s": prestation.get_statut_display()}
        )
    if prestation.date > timezone.localdate():
        raise ValidationError(_("Une prestation future ne peut pas encore être confirmée."))
    prestation.statut = Prestation.Statut.EFFECTUEE
    prestation.confirmee_le = timezone.now()
    prestation._history_user = acting_user
    prestation._change_reason = "Confirmée par l'utilisateur"
    prestation.save()
    return prestation


@transaction.atomic
def cancel_prestation(*, prestation, acting_user, reason) -> Prestation:
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if prestation.statut not in (Prestation.Statut.PLANIFIEE, Prestation.Statut.EFFECTUEE):
        raise ValidationError(_("Cette prestation ne peut plus être annulée."))
    if not (reason or "").strip():
        raise ValidationError({"motif": [_("Indiquez le motif de l'annulation.")]})
    prestation.statut = Prestation.Statut.ANNULEE
    prestation._history_user = acting_user
    prestation._change_reason = reason.strip()[:100]
    prestation.save()
    _notify_cancellation(prestation, _("Annulée. Motif : %(motif)s") % {"motif": reason.strip()})
    return prestation


@transaction.atomic
def record_no_show(*, prestation, acting_user, absence_de, reason="") -> Prestation:
    """A worker or a client did not show up: recorded as such, the hours stop counting."""
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if absence_de not in ("prestataire", "utilisateur"):
        raise ValidationError({"absence_de": [_("Précisez qui était absent·e.")]})
    if prestation.statut != Prestation.Statut.PLANIFIEE:
        raise ValidationError(_("Seule une prestation planifiée peut être marquée comme absence."))
    prestation.statut = Prestation.Statut.ABSENCE
    prestation.absence_de = absence_de
    prestation._history_user = acting_user
    prestation._change_reason = (reason or "Absence").strip()[:100]
    prestation.save()
    return prestation


# -------------------------------------------------------------------------------------------------- vouchers


def validate_numero(numero: str) -> str:
    numero = (numero or "").strip().replace(" ", "").replace(".", "")
    if not re.fullmatch(NUMERO_CHEQUE_REGEX, numero):
        raise ValidationError(
            {"numero": [_("Numéro de chèque « %(n)s » mal formé : 10 chiffres attendus.") % {"n": numero}]}
        )
    return numero


def _log(cheque, de, vers, acting_user, motif=""):
    TransitionCheque.objects.create(cheque=cheque, de=de, vers=vers, par=acting_user, motif=motif[:300])


@transaction.atomic
def enregistrer_cheque(
    *, agence, numero, utilisateur, acting_user, nominatif=True, valeur=None, prestation=None, statut="remis"
) -> ChequeALE:
    """Adds a paper voucher to the register. A number can be used once (DB constraint); a concurrent double
    entry fails cleanly with a French message for the second one."""
    numero = validate_numero(numero)
    valeur = Decimal(str(valeur)) if valeur not in (None, "") else agence.prix_cheque
    errors = {}
    if valeur < PRIX_MINIMUM_CHEQUE:
        errors["valeur"] = [
            _("Valeur de %(v)s € inférieure au minimum légal de 5,95 € (%(d)s € de moins).")
            % {"v": numbers.euros(valeur), "d": numbers.euros(PRIX_MINIMUM_CHEQUE - valeur)}
        ]
    if utilisateur.agence_id != agence.pk:
        errors["utilisateur"] = [_("Cet·te utilisateur·rice ne relève pas de l'agence.")]
    if statut not in ("remis", "rentre", "transmis", "paye", "annule", "conteste"):
        errors["statut"] = [_("État « %(s)s » inconnu pour un chèque papier.") % {"s": statut}]
    if errors:
        raise ValidationError(errors)
    if ChequeALE.objects.filter(numero=numero).exists():
        raise _already_used(numero)
    cheque = ChequeALE(
        agence=agence,
        type=ChequeALE.Type.PAPIER,
        numero=numero,
        nominatif=nominatif,
        utilisateur=utilisateur,
        prestation=prestation,
        valeur=valeur,
        statut=statut,
        created_by=acting_user,
    )
    cheque._history_user = acting_user
    try:
        with transaction.atomic():
            cheque.save()
    except IntegrityError as exc:
        # Another collaborator entered the same number at the same moment: the unique constraint decided.
        raise _already_used(numero) from exc
    _log(cheque, "", statut, acting_user)
    return cheque


def _already_used(numero):
    return ValidationError(
        {"numero": [_("Le chèque n° %(n)s est déjà enregistré : un numéro ne sert qu'une fois.") % {"n": numero}]}
    )


def covered_hours(prestation) -> int:
    return ChequeALE.objects.filter(prestation=prestation, statut__in=STATUTS_COUVRANTS).aggregate(
        n=Sum("quantite", default=0)
    )["n"]


def voucher_cover_problems(prestation, count: int | None = None) -> list[str]:
    """Why vouchers cannot cover `prestation` (empty if they can): only worked hours are covered, and never by more
    vouchers than hours worked or started. `count`: how many more paper vouchers; None: just whether any is missing.

    The one check of every path that attaches vouchers (the prestation page, the CSV import); call it with the
    prestation locked (select_for_update) when the vouchers are then written.
    """
    if prestation.statut not in (Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE):
        return [
            _("Des chèques ne couvrent que des heures prestées (statut : %(s)s).")
            % {"s": prestation.get_statut_display()}
        ]
    due = math.ceil(prestation.heures)
    missing = due - covered_hours(prestation)
    if missing <= 0:
        return [
            ngettext(
                "Cette prestation est déjà couverte par %(n)s chèque.",
                "Cette prestation est déjà couverte par %(n)s chèques.",
                due,
            )
            % {"n": due}
        ]
    if count is not None and count > missing:
        return [
            ngettext(
                "%(n)s chèques pour %(m)s heure encore à couvrir (%(h)s h prestées) : %(x)s de trop.",
                "%(n)s chèques pour %(m)s heures encore à couvrir (%(h)s h prestées) : %(x)s de trop.",
                missing,
            )
            % {"n": count, "m": missing, "h": fmt_h(prestation.heures), "x": count - missing}
        ]
    return []


@transaction.atomic
def attach_vouchers(*, prestation, acting_user, numeros=(), electronique=False, nominatif=True) -> list[ChequeALE]:
    """Covers a prestation with vouchers: one per hour worked or started (ceil(hours)).

    Paper: each number is taken from the register (entered earlier for this client, not yet attached) or added
    to it. Electronic: one record with the prestation's reference covering the hours still due. All or nothing.
    """
    prestation = Prestation.objects.select_for_update().select_related("utilisateur", "agence").get(pk=prestation.pk)
    problems = voucher_cover_problems(prestation)
    if problems:
        raise ValidationError({"numeros": problems})
    missing = math.ceil(prestation.heures) - covered_hours(prestation)
    if electronique:
        cheque = ChequeALE(
            agence=prestation.agence,
            type=ChequeALE.Type.ELECTRONIQUE,
            numero=None,
            nominatif=True,
            utilisateur=prestation.utilisateur,
            prestation=prestation,
            quantite=missing,
            valeur=prestation.agence.prix_cheque,
            statut=StatutCheque.VALIDEE,
            created_by=acting_user,
        )
        cheque._history_user = acting_user
        try:
            with transaction.atomic():
                cheque.save()
        except IntegrityError as exc:
            raise ValidationError({"numeros": [_("Cette prestation a déjà une référence électronique.")]}) from exc
        _log(cheque, "", cheque.statut, acting_user)
        return [cheque]
    numeros = [n for n in numeros if str(n).strip()]
    if not numeros:
        raise ValidationError({"numeros": [_("Indiquez au moins un numéro de chèque.")]})
    problems = voucher_cover_problems(prestation, len(numeros))
    if problems:
        raise ValidationError({"numeros": problems})
    cleaned = []
    problems = []
    for raw in numeros:
        try:
            cleaned.append(validate_numero(raw))
        except ValidationError as e:
            problems.extend(e.message_dict["numero"])
    if len(set(cleaned)) != len(cleaned):
        problems.append(_("Le même numéro apparaît deux fois."))
    if problems:
        raise ValidationError({"numeros": problems})
    attached = []
    for numero in cleaned:
        existing = ChequeALE.objects.select_for_update().filter(numero=numero).first()
        if existing is None:
            cheque = enregistrer_cheque(
                agence=prestation.agence,
                numero=numero,
                utilisateur=prestation.utilisateur,
                acting_user=acting_user,
                nominatif=nominatif,
                prestation=prestation,
            )
        elif existing.prestation_id is None and existing.utilisateur_id == prestation.utilisateur_id:
            if existing.statut not in STATUTS_COUVRANTS:
                raise ValidationError(
                    {
                        "numeros": [
                            _("Le chèque n° %(n)s est %(s)s.")
                            % {"n": numero, "s": existing.get_statut_display().lower()}
                        ]
                    }
                )
            existing.prestation = prestation
            existing._history_user = acting_user
            existing.save(update_fields=["prestation"])
            cheque = existing
        else:
            raise _already_used(numero)
        attached.append(cheque)
    return attached


@transaction.atomic
def change_cheque_statut(*, cheque, statut, acting_user, motif="") -> ChequeALE:
    cheque = ChequeALE.objects.select_for_update().get(pk=cheque.pk)
    if statut not in TRANSITIONS.get(cheque.statut, set()):
        raise ValidationError(
            {
                "statut": [
                    _("Un chèque « %(de)s » ne peut pas passer à « %(vers)s ».")
                    % {
                        "de": cheque.get_statut_display(),
                        "vers": StatutCheque(statut).label if statut in StatutCheque.values else statut,
                    }
                ]
            }
        )
    if statut in ("annule", "conteste", "contestee") and not motif.strip():
        raise ValidationError({"motif": [_("Indiquez le motif (annulation ou contestation).")]})
    de = cheque.statut
    cheque.statut = statut
    cheque._history_user = acting_user
    cheque.save(update_fields=["statut"])
    _log(cheque, de, statut, acting_user, motif)
    return cheque
