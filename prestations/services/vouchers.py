"""The agency's voucher register: paper vouchers by number, electronic ones by prestation, and their states.

Vouchers due on a prestation come from the rule book (`rulebook.vouchers_due`: one per hour worked or started).
Where a voucher goes (to the worker, then with the ALE 4 to the payment body) is described in docs/regles.md.
"""

import calendar
import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform import numbers
from ale_platform.history import save_as
from ale_platform.states import check_transition

from ..models import (
    NUMERO_CHEQUE_REGEX,
    STATUTS_COUVRANTS,
    STATUTS_ELECTRONIQUE,
    STATUTS_MOTIVES,
    STATUTS_PAPIER,
    TRANSITIONS_CHEQUE,
    ChequeALE,
    Prestation,
    StatutCheque,
    TransitionCheque,
)
from ..rulebook import law_in_force, voucher_price, vouchers_due
from ..rulebook.law import voucher_price_problem
from .checks import fmt_h


def validate_numero(numero: str) -> str:
    numero = (numero or "").strip().replace(" ", "").replace(".", "")
    if not re.fullmatch(NUMERO_CHEQUE_REGEX, numero):
        raise ValidationError(
            {"numero": [_("Numéro de chèque « %(n)s » mal formé : 10 chiffres attendus.") % {"n": numero}]}
        )
    return numero


def _log(cheque, de, vers, acting_user, motif=""):
    TransitionCheque.objects.create(cheque=cheque, de=de, vers=vers, par=acting_user, motif=motif)


@transaction.atomic
def record_cheque(
    *,
    agence,
    numero,
    utilisateur,
    acting_user,
    nominatif=True,
    valeur=None,
    prestation=None,
    statut="remis",
    reason="",
    emis_le=None,
    valable_jusqu_au=None,
) -> ChequeALE:
    """Adds a paper voucher to the register. A number can be used once (DB constraint); a concurrent double
    entry fails cleanly with a French message for the second one. `reason` goes into the voucher's history
    (e.g. the import that brought it)."""
    numero = validate_numero(numero)
    agricole = prestation is not None and prestation.is_agricole
    valeur = Decimal(str(valeur)) if valeur not in (None, "") else voucher_price(agence, agricole=agricole)
    errors = {}
    problem = value_problem(agence, valeur, on=prestation.date if prestation is not None else None, agricole=agricole)
    if problem:
        errors["valeur"] = [problem]
    if utilisateur.agence_id != agence.pk:
        errors["utilisateur"] = [_("Cet·te utilisateur·rice ne relève pas de l'agence.")]
    if statut not in STATUTS_PAPIER:
        errors["statut"] = [_("État « %(s)s » inconnu pour un chèque papier.") % {"s": statut}]
    if emis_le and valable_jusqu_au and valable_jusqu_au < emis_le:
        errors["valable_jusqu_au"] = [_("La fin de validité précède la date d'émission.")]
    elif valable_jusqu_au:
        problem = validity_problem(numero, valable_jusqu_au, prestation.date if prestation else timezone.localdate())
        if problem:
            errors["valable_jusqu_au"] = [problem]
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
        emis_le=emis_le,
        valable_jusqu_au=valable_jusqu_au,
        created_by=acting_user,
    )
    try:
        with transaction.atomic():
            save_as(cheque, acting_user, reason=reason)
    except IntegrityError as exc:
        # Another collaborator entered the same number at the same moment: the unique constraint decided.
        raise _already_used(numero) from exc
    _log(cheque, "", statut, acting_user, reason)
    return cheque


def validity_problem(numero, valable_jusqu_au, on) -> str | None:
    """Why a paper voucher valid until `valable_jusqu_au` cannot pay work of `on` (None if it can): the issuer's
    printed end of validity (alebru.zendesk.com)."""
    if valable_jusqu_au is None or on <= valable_jusqu_au:
        return None
    return _("Le chèque n° %(n)s n'était plus valable le %(on)s (valable jusqu'au %(end)s).") % {
        "n": numero,
        "on": on.strftime("%d/%m/%Y"),
        "end": valable_jusqu_au.strftime("%d/%m/%Y"),
    }


def value_problem(agence, valeur: Decimal, *, on=None, agricole: bool = False) -> str | None:
    """Why `valeur` cannot be a voucher's unit value in the agency (None if it can): the legal minimum in force on
    `on` – the prestation's date for a voucher that pays one (the law of the work, not of the day it is typed),
    else today – for work of that kind (`agricole`: agricultural/horticultural work, theux.be: 6,20 €); the
    region's price itself where it fixes one (Brussels)."""
    law = law_in_force(agence.region, on or timezone.localdate())
    if law.prix_cheque_fixe or not agricole:
        return voucher_price_problem(law, valeur)
    minimum = law.prix_minimum(agricole=True)
    if valeur < minimum:
        return _(
            "Valeur de %(v)s € inférieure au minimum légal de %(m)s € pour une activité agricole ou horticole "
            "(%(d)s € de moins)."
        ) % {"v": numbers.euros(valeur), "m": numbers.euros(minimum), "d": numbers.euros(minimum - valeur)}
    return None


def parse_value(raw: str, agence) -> tuple[Decimal | None, str | None]:
    """A typed unit value ("6,20"; empty: the agency's price) within the register's column and the legal minimum:
    (value, None) or (value or None, the French reason)."""
    raw = (raw or "").strip().replace("€", "").strip()
    if not raw:
        return agence.prix_cheque, None
    try:
        valeur = ChequeALE._meta.get_field("valeur").clean(raw.replace(",", "."), None)
    except ValidationError:
        return None, _("Valeur « %(v)s » illisible ou hors limites (par ex. 6,20).") % {"v": raw}
    return valeur, value_problem(agence, valeur)


@transaction.atomic
def record_electronic_cheque(
    *, prestation, acting_user, valeur=None, statut=StatutCheque.VALIDEE, reason=""
) -> ChequeALE:
    """The electronic voucher of a prestation: one record, by the prestation's reference, covering the hours still
    due. The prestation is locked; the same cover rules as every other path (`voucher_cover_problems`)."""
    prestation = Prestation.objects.select_for_update().select_related("utilisateur", "agence").get(pk=prestation.pk)
    problems = voucher_cover_problems(prestation)
    if problems:
        raise ValidationError({"numeros": problems})
    agricole = prestation.is_agricole
    valeur = Decimal(str(valeur)) if valeur not in (None, "") else voucher_price(prestation.agence, agricole=agricole)
    problem = value_problem(prestation.agence, valeur, on=prestation.date, agricole=agricole)
    if problem:
        raise ValidationError({"valeur": [problem]})
    if statut not in STATUTS_ELECTRONIQUE:
        raise ValidationError({"statut": [_("État « %(s)s » inconnu pour un chèque électronique.") % {"s": statut}]})
    cheque = ChequeALE(
        agence=prestation.agence,
        type=ChequeALE.Type.ELECTRONIQUE,
        numero=None,
        nominatif=True,
        utilisateur=prestation.utilisateur,
        prestation=prestation,
        quantite=vouchers_due(prestation.heures) - covered_hours(prestation),
        valeur=valeur,
        statut=statut,
        created_by=acting_user,
    )
    try:
        with transaction.atomic():
            save_as(cheque, acting_user, reason=reason)
    except IntegrityError as exc:
        raise ValidationError({"numeros": [_("Cette prestation a déjà une référence électronique.")]}) from exc
    _log(cheque, "", cheque.statut, acting_user, reason)
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

    The one check of every path that attaches vouchers (the prestation page, the import of vouchers); call it with the
    prestation locked (select_for_update) when the vouchers are then written.
    """
    if prestation.statut not in (Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE):
        return [
            _("Des chèques ne couvrent que des heures prestées (statut : %(s)s).")
            % {"s": prestation.get_statut_display()}
        ]
    due = vouchers_due(prestation.heures)
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
    if electronique:
        return [record_electronic_cheque(prestation=prestation, acting_user=acting_user)]
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
            cheque = record_cheque(
                agence=prestation.agence,
                numero=numero,
                utilisateur=prestation.utilisateur,
                acting_user=acting_user,
                nominatif=nominatif,
                prestation=prestation,
            )
        elif existing.prestation_id is None and existing.utilisateur_id == prestation.utilisateur_id:
            expired = validity_problem(numero, existing.valable_jusqu_au, prestation.date)
            if expired:
                raise ValidationError({"numeros": [expired]})
            too_low = value_problem(
                prestation.agence, existing.valeur, on=prestation.date, agricole=prestation.is_agricole
            )
            if too_low:
                raise ValidationError({"numeros": [_("Chèque n° %(n)s : %(why)s") % {"n": numero, "why": too_low}]})
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
            save_as(existing, acting_user, update_fields=["prestation"])
            cheque = existing
        else:
            raise _already_used(numero)
        attached.append(cheque)
    return attached


@transaction.atomic
def change_cheque_statut(*, cheque, statut, acting_user, motif="") -> ChequeALE:
    cheque = ChequeALE.objects.select_for_update().get(pk=cheque.pk)
    check_transition(
        TRANSITIONS_CHEQUE,
        cheque.statut,
        statut,
        {
            "statut": [
                _("Un chèque « %(de)s » ne peut pas passer à « %(vers)s ».")
                % {
                    "de": cheque.get_statut_display(),
                    "vers": StatutCheque(statut).label if statut in StatutCheque.values else statut,
                }
            ]
        },
    )
    if statut in STATUTS_MOTIVES and not motif.strip():
        raise ValidationError({"motif": [_("Indiquez le motif (annulation ou contestation).")]})
    de = cheque.statut
    cheque.statut = statut
    save_as(cheque, acting_user, reason=motif, update_fields=["statut"])
    _log(cheque, de, statut, acting_user, motif)
    return cheque


MAX_RANGE = 500  # a client's month is never this many vouchers: a typo in a number


@transaction.atomic
def attach_voucher_range(*, utilisateur, year: int, month: int, du: str, au: str, acting_user) -> list[ChequeALE]:
    """Paper vouchers handed in by a client, numbered from `du` to `au`, attached in date order to that client's
    worked prestations of the month still missing vouchers, through `attach_vouchers` (the register's unique-use
    rules). All or nothing; a range larger than what is due is refused with the excess."""
    errors = {}
    for field, raw in (("du", du), ("au", au)):
        try:
            validate_numero(raw)
        except ValidationError as exc:
            errors[field] = exc.message_dict["numero"]
    if errors:
        raise ValidationError(errors)
    first, last = int(du.strip()), int(au.strip())
    if last < first:
        raise ValidationError({"au": [_("Le dernier numéro doit suivre le premier.")]})
    count = last - first + 1
    if count > MAX_RANGE:
        raise ValidationError(
            {"au": [_("%(n)s chèques : vérifiez les numéros (au plus %(m)s).") % {"n": count, "m": MAX_RANGE}]}
        )
    prestations = (
        Prestation.objects.select_for_update()
        .filter(
            utilisateur=utilisateur,
            statut__in=[Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE],
            date__range=(
                datetime.date(year, month, 1),
                datetime.date(year, month, calendar.monthrange(year, month)[1]),
            ),
        )
        .order_by("date", "debut", "pk")
    )
    plan, numbers_left = [], [f"{n:010d}" for n in range(first, last + 1)]
    for prestation in prestations:
        missing = max(vouchers_due(prestation.heures) - covered_hours(prestation), 0)
        if missing and numbers_left:
            plan.append((prestation, numbers_left[:missing]))
            numbers_left = numbers_left[missing:]
    if numbers_left:
        due = count - len(numbers_left)
        raise ValidationError(
            {
                "au": [
                    _("%(n)s chèques pour %(d)s encore dus ce mois-là par cet·te utilisateur·rice : %(x)s de trop.")
                    % {"n": count, "d": due, "x": len(numbers_left)}
                ]
            }
        )
    attached = []
    for prestation, chunk in plan:
        try:
            attached += attach_vouchers(prestation=prestation, acting_user=acting_user, numeros=chunk)
        except ValidationError as exc:
            raise ValidationError({"du": exc.messages}) from exc
    return attached
