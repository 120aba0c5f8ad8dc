"""Assigning workers to a request and turning the assigned work into dated `Prestation` slots.

Planning is partial with a report: each slot goes through `record_prestation()` in its own savepoint; a slot the
rules refuse (a cap, an overlap, the client's authorisation…) is reported with its reason and the others are kept.
Dates are the request's recurrence (public holidays and, if asked, school holidays skipped by
`utilisateurs.calendrier.occurrences`) or its wished dates; the client's closures (`Fermeture`) are skipped too.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform.history import save_as
from ale_platform.notifications import ASSIGNMENT, notify
from ale_platform.undo import changed_since
from utilisateurs.calendrier import Recurrence, jours_feries, occurrences
from utilisateurs.models import Demande, StatutDemande
from utilisateurs.selectors import ClientCheck, client_check
from utilisateurs.services import change_statut, last_change_id

from .matching import Slot, demande_slots
from .models import Affectation, Fermeture, Prestation
from .services import cancel_prestation, record_prestation, undo_cancellations


def demande_client_check(demande, slots: list[Slot] | None = None) -> ClientCheck:
    """What on the client's side stops the request's dates from being served (registration, authorisation)."""
    slots = series_slots(demande)[0] if slots is None else slots
    return client_check(demande.utilisateur, demande.activite, [s.date for s in slots])


@transaction.atomic
def assign_prestataires(*, demande, prestataires, acting_user) -> list[Affectation]:
    """Assigns workers to the request (status → attribuée) and notifies them and the client."""
    demande = Demande.objects.select_for_update(of=("self",)).select_related("utilisateur__compte").get(pk=demande.pk)
    if not prestataires:
        raise ValidationError(_("Choisissez au moins un·e prestataire."))
    check = demande_client_check(demande)
    if check.blocks_all:
        raise ValidationError(
            [_("Impossible d'attribuer un·e prestataire tant que le dossier du client bloque :"), *check.problems]
        )
    if any(p.agence_id != demande.agence_id for p in prestataires):
        raise ValidationError(_("Ce ou cette prestataire n'appartient pas à l'agence de la demande."))
    already = set(demande.affectations.actives().values_list("prestataire_id", flat=True))
    created = [
        Affectation.objects.create(demande=demande, prestataire=p, created_by=acting_user)
        for p in prestataires
        if p.pk not in already
    ]
    if not created:
        raise ValidationError(_("Ce ou ces prestataires sont déjà affecté·es à cette demande."))
    # The client reads this in their request's timeline: the worker by first name, as everywhere in the client's pages.
    names = ", ".join(a.prestataire.prenom for a in created)
    if demande.statut in (StatutDemande.NOUVELLE, StatutDemande.EN_RECHERCHE):
        change_statut(
            demande=demande,
            statut=StatutDemande.ATTRIBUEE,
            motif=ngettext("Prestataire attribué·e : %(n)s.", "Prestataires attribué·es : %(n)s.", len(created))
            % {"n": names},
            acting_user=acting_user,
        )
    # No names: each reads who and where on the platform (docs/privacy.md).
    context = {"title": _("Prestation attribuée : %(a)s") % {"a": demande.activite.nom}, "lines": []}
    workers = [a.prestataire.compte for a in created if a.prestataire.compte_id]
    notify(ASSIGNMENT.code, recipients=workers, context={**context, "path": reverse("prestations:mes_affectations")})
    if demande.utilisateur.compte_id:
        notify(
            ASSIGNMENT.code,
            recipients=[demande.utilisateur.compte],
            context={**context, "path": reverse("utilisateurs:demande", args=[demande.pk])},
        )
    return created


@transaction.atomic
def record_prior_interview(*, affectation, le, acting_user, par=None) -> Affectation:
    """Records the prior interview between the worker and an ALE adviser (`par`, by default the one typing it) on
    `le`: the step a Brussels assignment starts with (alepwabru.be "ALE cheques"); planning is refused before it."""
    affectation = Affectation.objects.select_for_update().get(pk=affectation.pk)
    if affectation.statut != Affectation.Statut.ATTRIBUEE:
        raise ValidationError(_("Cette affectation a été déclinée : pas d'entretien préalable à enregistrer."))
    if le is None:
        raise ValidationError({"entretien_prealable_le": [_("Indiquez la date de l'entretien préalable.")]})
    if le > timezone.localdate():
        raise ValidationError(
            {"entretien_prealable_le": [_("L'entretien préalable ne peut pas être enregistré avant d'avoir eu lieu.")]}
        )
    affectation.entretien_prealable_le = le
    affectation.entretien_prealable_par = par or acting_user
    save_as(affectation, acting_user, reason=_("Entretien préalable enregistré"))
    return affectation


DONE = (Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE)


def with_declinable(affectations):
    """Annotates `declinable`: still assigned, and work is left (nothing done yet, or a planned session to come).

    An assignment whose work is already done or validated has nothing left to decline.
    """
    own = Prestation.objects.filter(demande=OuterRef("demande"), prestataire=OuterRef("prestataire"))
    return affectations.annotate(
        declinable=Q(statut=Affectation.Statut.ATTRIBUEE)
        & (~Exists(own.filter(statut__in=DONE)) | Exists(own.filter(statut=Prestation.Statut.PLANIFIEE)))
    )


@transaction.atomic
def decline_affectation(*, affectation, motif, acting_user) -> Affectation:
    """The worker declines an assignment: the reason is kept and counts in their history."""
    affectation = Affectation.objects.select_for_update().get(pk=affectation.pk)
    if affectation.statut != Affectation.Statut.ATTRIBUEE:
        raise ValidationError(_("Cette affectation a déjà été déclinée."))
    if not with_declinable(Affectation.objects.filter(pk=affectation.pk)).get().declinable:
        raise ValidationError(
            _("La prestation de cette affectation est déjà effectuée ou validée : il n'y a plus rien à décliner.")
        )
    if not (motif or "").strip():
        raise ValidationError({"motif": [_("Indiquez le motif du refus.")]})
    affectation.statut = Affectation.Statut.DECLINEE
    affectation.motif_refus = motif.strip()
    affectation.declinee_le = timezone.now()
    save_as(affectation, acting_user)
    demande = affectation.demande
    # Planned, not yet worked slots of this worker for this request are cancelled (history and notifications).
    planned = demande.prestations.filter(prestataire=affectation.prestataire, statut=Prestation.Statut.PLANIFIEE)
    cancelled = []
    for prestation in planned.select_related("prestataire__compte", "utilisateur__compte", "activite"):
        cancelled.append(
            cancel_prestation(
                prestation=prestation,
                acting_user=acting_user,
                motif=_("Le ou la prestataire a décliné l'affectation : %(motif)s")
                % {"motif": affectation.motif_refus},
            ).undo_state["t"]
        )
    changement = None
    if demande.statut == StatutDemande.ATTRIBUEE and not demande.affectations.actives().exists():
        changement = last_change_id(
            change_statut(
                demande=demande,
                statut=StatutDemande.EN_RECHERCHE,
                motif=_("Le ou la prestataire a décliné : recherche d'un·e autre prestataire."),
                acting_user=acting_user,
            )
        )
    # What an undo checks is still the last step of each record (ale_platform/undo.py).
    affectation.undo_state = {"h": _last_history_id(affectation), "p": cancelled, "c": changement}
    return affectation


def _last_history_id(affectation) -> int | None:
    return affectation.history.order_by("-history_id").values_list("history_id", flat=True).first()


@transaction.atomic
def undo_decline(*, affectation, state, acting_user) -> Affectation:
    """Undoes a decline while nothing changed since (ale_platform/undo.py): the assignment is active again, the
    sessions the decline cancelled are planned again (their rules checked again, worker and client told) and the
    request goes back to "attribuée" if the decline had sent it back to the search."""
    affectation = Affectation.objects.select_for_update().select_related("demande").get(pk=affectation.pk)
    demande = Demande.objects.select_for_update().get(pk=affectation.demande_id)
    if affectation.statut != Affectation.Statut.DECLINEE or _last_history_id(affectation) != state["h"]:
        raise changed_since()
    if state["c"] is not None and (
        demande.statut != StatutDemande.EN_RECHERCHE or last_change_id(demande) != state["c"]
    ):
        raise changed_since()
    if demande.affectations.actives().filter(prestataire_id=affectation.prestataire_id).exists():
        raise changed_since()
    affectation.statut = Affectation.Statut.ATTRIBUEE
    affectation.motif_refus = affectation.motif_transmis = ""
    affectation.declinee_le = None
    save_as(affectation, acting_user, reason=_("Refus annulé"))
    undo_cancellations(demande=demande, transition_ids=state["p"], acting_user=acting_user)
    if state["c"] is not None:
        change_statut(
            demande=demande,
            statut=StatutDemande.ATTRIBUEE,
            motif=_("Refus annulé : le ou la prestataire reprend la demande."),
            acting_user=acting_user,
        )
    return affectation


@transaction.atomic
def review_shared_decline_reason(*, affectation, texte, acting_user) -> Affectation:
    """Staff set the wording of a decline's reason that a Forem adviser reads (the worker's words stay as typed,
    for the agency). Scoping is the caller's: the referral's file, in the staff member's agency."""
    affectation = Affectation.objects.select_for_update().get(pk=affectation.pk)
    if affectation.statut != Affectation.Statut.DECLINEE:
        raise ValidationError(_("Seule une affectation déclinée a un motif à transmettre."))
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"motif_transmis": [_("Indiquez le motif transmis au service de l'emploi.")]})
    affectation.motif_transmis = texte
    save_as(affectation, acting_user, reason=_("Motif du refus relu pour le service de l'emploi"))
    return affectation


@dataclass
class PlanningReport:
    planned: list[Prestation] = field(default_factory=list)
    refused: list[tuple[object, Slot, str]] = field(default_factory=list)  # (prestataire, slot, reason)
    skipped: list[tuple[datetime.date, str]] = field(default_factory=list)  # holidays and closures


def series_slots(demande, wished: list[Slot] | None = None) -> tuple[list[Slot], list[tuple[datetime.date, str]]]:
    """The dated slots of a request and the dates skipped (public holidays, school holidays, client closures).

    `wished`: the request's wished dates when the caller already has them (`demande_slots`).
    """
    wished = demande_slots(demande) if wished is None else wished
    skipped = []
    if demande.recurrente and demande.periode_debut and demande.periode_fin and demande.jours and wished:
        occ = occurrences(
            Recurrence(
                debut=demande.periode_debut,
                fin=demande.periode_fin,
                jours=list(demande.jours),
                intervalle=demande.intervalle_semaines,
                semaines_scolaires=demande.semaines_scolaires,
            )
        )
        skipped += [(d, name) for d, name in occ.feries]
        skipped += [(d, _("Congé scolaire")) for d in occ.conges]
        debut, fin = wished[0].debut, wished[0].fin
        # A date the client cancelled is not planned, even though the recurrence still produces it.
        cancelled = set(demande.creneaux.filter(annule=True).values_list("date", flat=True))
        skipped += [(d, _("Annulée par le client")) for d in occ.dates if d in cancelled]
        slots = [Slot(d, debut, fin) for d in occ.dates if d not in cancelled]
    else:
        slots = wished
        if slots:
            feries = jours_feries(slots[0].date, slots[-1].date)
            skipped += [(s.date, feries[s.date]) for s in slots if s.date in feries]
            slots = [s for s in slots if s.date not in feries]
    if slots:
        closures = list(
            Fermeture.objects.filter(
                utilisateur_id=demande.utilisateur_id, debut__lte=slots[-1].date, fin__gte=slots[0].date
            )
        )
        closed = {s.date: f.motif for s in slots for f in closures if f.debut <= s.date <= f.fin}
        skipped += sorted(closed.items())
        slots = [s for s in slots if s.date not in closed]
    return slots, sorted(skipped)


def plan_demande(*, demande, acting_user) -> PlanningReport:
    """Creates the planned prestations of every assigned worker; refused slots are reported, the others kept."""
    report = PlanningReport()
    with transaction.atomic():
        demande = Demande.objects.select_for_update().select_related("utilisateur", "activite").get(pk=demande.pk)
        workers = [a.prestataire for a in demande.affectations.actives().select_related("prestataire")]
        if not workers:
            raise ValidationError(_("Attribuez d'abord un·e prestataire à la demande."))
        slots, report.skipped = series_slots(demande)
        existing = set(
            demande.prestations.exclude(statut=Prestation.Statut.ANNULEE).values_list("prestataire_id", "date", "debut")
        )
        for worker in workers:
            for slot in slots:
                if (worker.pk, slot.date, slot.debut) in existing:
                    continue
                try:
                    with transaction.atomic():
                        report.planned.append(
                            record_prestation(
                                prestataire=worker,
                                utilisateur=demande.utilisateur,
                                activite=demande.activite,
                                date=slot.date,
                                debut=slot.debut,
                                fin=slot.fin,
                                heures=slot.heures,
                                statut=Prestation.Statut.PLANIFIEE,
                                demande=demande,
                                acting_user=acting_user,
                            )
                        )
                except ValidationError as exc:
                    report.refused.append((worker, slot, " ".join(exc.messages)))
        if report.planned and demande.statut in (
            StatutDemande.NOUVELLE,
            StatutDemande.EN_RECHERCHE,
            StatutDemande.ATTRIBUEE,
        ):
            change_statut(
                demande=demande,
                statut=StatutDemande.PLANIFIEE,
                motif=ngettext("%(n)s prestation planifiée.", "%(n)s prestations planifiées.", len(report.planned))
                % {"n": len(report.planned)},
                acting_user=acting_user,
            )
    return report
