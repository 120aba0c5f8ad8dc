"""The month without retyping: the worker declares a past slot, the client confirms or disputes it, staff settle
disputes and validate the month's confirmed prestations in one action. Every write goes through the lifecycle's
services (`update_hours`, `record_no_show`, `confirm_hours`, `validate_prestation`), so a declaration meets the
same rules as a recording by staff (caps, eligibility, overlap, holidays). See docs/prestations.md."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform.notifications import DECLARATION, DISPUTE, agency_staff, notify, notify_address

from ..models import AuNomDe, Prestation
from .checks import fmt_h
from .lifecycle import move_to, record_no_show, save_moved, update_hours, validate_prestation

COMME_PREVU, AUTRES_HEURES, PAS_EU_LIEU = "comme_prevu", "autres_heures", "pas_eu_lieu"
S = Prestation.Statut


def span_hours(debut: datetime.time, fin: datetime.time) -> Decimal:
    """The hours between two times, as the staff form counts them (the rules then require quarter hours)."""
    minutes = datetime.datetime.combine(datetime.date.min, fin) - datetime.datetime.combine(datetime.date.min, debut)
    return (Decimal(minutes.total_seconds()) / 3600).quantize(Decimal("0.01"))


def declared_absence_by_worker(prestation) -> bool:
    """A "not held" the worker declared (not staff's no-show): the worker may still correct it."""
    last = prestation.transitions.filter(vers=S.ABSENCE).order_by("-le", "-pk").first()
    return last is not None and (
        last.au_nom_de == AuNomDe.PRESTATAIRE
        or (last.par_id is not None and last.par_id == prestation.prestataire.compte_id)
    )


def can_declare(prestation) -> bool:
    """Past (or today's), and not yet confirmed, disputed or validated."""
    if prestation.date > timezone.localdate():
        return False
    if prestation.statut in (S.PLANIFIEE, S.DECLAREE):
        return True
    return prestation.statut == S.ABSENCE and declared_absence_by_worker(prestation)


@transaction.atomic
def declare_prestation(
    *, prestation, acting_user, kind, debut=None, fin=None, absence_de="", motif="", au_nom_de=""
) -> Prestation:
    """The worker (or staff for them, `au_nom_de`) says what happened on a past slot. Correctable until confirmed."""
    prestation = Prestation.objects.select_related("prestataire", "utilisateur__compte").get(pk=prestation.pk)
    if not can_declare(prestation):
        raise ValidationError(
            _("Cette prestation ne peut plus être déclarée (%(s)s).") % {"s": prestation.get_statut_display()}
        )
    who = _("par l'agence au nom du·de la prestataire") if au_nom_de else _("par le·la prestataire")
    if kind == PAS_EU_LIEU:
        if not (motif or "").strip():
            raise ValidationError({"motif": [_("Dites en quelques mots pourquoi elle n'a pas eu lieu.")]})
        if prestation.statut == S.ABSENCE:  # already declared so: a new reason only
            locked = Prestation.objects.select_for_update().get(pk=prestation.pk)
            locked.absence_de = absence_de or locked.absence_de
            return save_moved(locked, acting_user, reason=motif)
        declared = record_no_show(
            prestation=prestation,
            acting_user=acting_user,
            absence_de=absence_de,
            motif=_("N'a pas eu lieu, déclaré %(who)s : %(m)s") % {"who": who, "m": motif.strip()},
            au_nom_de=au_nom_de,
        )
    elif kind in (COMME_PREVU, AUTRES_HEURES):
        if kind == AUTRES_HEURES:
            if debut is None or fin is None:
                raise ValidationError({"debut": [_("Indiquez l'heure de début et l'heure de fin.")]})
            if fin <= debut:
                raise ValidationError({"fin": [_("La fin doit être après le début.")]})
            heures, label = span_hours(debut, fin), _("autres heures")
        else:
            debut, fin, heures, label = prestation.debut, prestation.fin, prestation.heures, _("faite comme prévu")
        declared = update_hours(
            prestation=prestation,
            acting_user=acting_user,
            heures=heures,
            debut=debut,
            fin=fin,
            statut=S.DECLAREE,
            motif=_("Déclarée %(who)s : %(what)s") % {"who": who, "what": label},
            au_nom_de=au_nom_de,
        )
    else:
        raise ValidationError(_("Choix inconnu."))
    _notify_client(declared)
    return declared


def _notify_client(prestation) -> None:
    """One e-mail after each declaration, with a no-login link to confirm or dispute it."""
    from .liens import create_link

    p = prestation
    if p.statut == S.ABSENCE:  # nothing to confirm: the client is told, and calls the agency if it is wrong
        path = reverse("prestations:client")
        line = _("N'a pas eu lieu selon le·la prestataire.")
    else:
        path = create_link(p.utilisateur, [p])
        line = _("%(h)s h, de %(d)s à %(f)s.") % {
            "h": fmt_h(p.heures),
            "d": p.debut.strftime("%H:%M"),
            "f": p.fin.strftime("%H:%M"),
        }
    context = {"title": f"{p.activite.nom}, {p.date:%d/%m/%Y} — {p.prestataire}", "lines": [line], "path": path}
    compte = p.utilisateur.compte
    if compte is not None and compte.email:
        notify(DECLARATION.code, recipients=[compte], context=context)
    elif p.utilisateur.email:
        notify_address(DECLARATION.code, email=p.utilisateur.email, context=context)


@transaction.atomic
def dispute_prestation(*, prestation, acting_user, motif, via="", au_nom_de="") -> Prestation:
    """The client says the declared (or planned) slot is wrong; staff get both versions and settle it."""
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if not (motif or "").strip():
        raise ValidationError({"motif": [_("Expliquez ce qui ne va pas (heures, absence…).")]})
    if prestation.date > timezone.localdate():
        raise ValidationError(_("Une prestation future ne peut pas être contestée."))
    reason = " — ".join(x for x in (_("Contestée par l'utilisateur·rice"), via, motif.strip()) if x)
    move_to(prestation, S.CONTESTEE, acting_user=acting_user, motif=reason, au_nom_de=au_nom_de, field="motif")
    prestation.motif_contestation = motif.strip()
    save_moved(prestation, acting_user, reason=reason)
    p = prestation
    notify(
        DISPUTE.code,
        recipients=agency_staff(p.agence),
        context={
            "title": f"{p.utilisateur} — {p.date:%d/%m/%Y}",
            "lines": [
                _("Déclaré : %(h)s h, de %(d)s à %(f)s (%(w)s)")
                % {
                    "h": fmt_h(p.heures),
                    "d": p.debut.strftime("%H:%M"),
                    "f": p.fin.strftime("%H:%M"),
                    "w": p.prestataire,
                },
                _("Contestation : %(m)s") % {"m": p.motif_contestation},
            ],
            "path": reverse("prestations:detail", args=[p.pk]),
        },
    )
    return prestation


@dataclass(frozen=True)
class Refus:
    prestation: Prestation
    raison: str


def validate_confirmed(prestations, *, acting_user) -> tuple[list[Prestation], list[Refus]]:
    """Validates each confirmed prestation through `validate_prestation` (its own transaction, the rule book's
    checks); returns those validated and those refused with the reason. One refusal does not stop the others."""
    validated, refused = [], []
    for prestation in prestations:
        if prestation.statut != S.EFFECTUEE:
            continue
        try:
            validated.append(validate_prestation(prestation=prestation, acting_user=acting_user))
        except ValidationError as exc:
            refused.append(Refus(prestation, " ".join(exc.messages)))
    return validated, refused
