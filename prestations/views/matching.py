"""Staff pages: find workers for a request, assign them, plan the series; declining an assignment."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ale_platform import undo
from ale_platform.access import prestataire_required, staff_required
from ale_platform.confirm import ask_first
from ale_platform.dates import short_date
from ale_platform.history import history_entries
from ale_platform.models import ServicePublicEmploi
from ale_platform.scoping import get_object_for, scoped
from prestataires.models import Prestataire
from utilisateurs.models import Demande

from ..distance import place_of
from ..filters import CandidatFilter
from ..matching import candidates, demande_slots
from ..models import Affectation
from ..planning import (
    assign_prestataires,
    decline_affectation,
    demande_client_check,
    plan_demande,
    record_prior_interview,
    series_slots,
    undo_decline,
    with_declinable,
)
from ..rulebook.law import prior_interview_required


def _demande(request, pk):
    return get_object_for(request, Demande.objects.select_related("utilisateur", "activite", "site"), pk)


@staff_required
def demande_matching(request, pk):
    demande = _demande(request, pk)
    wished = demande_slots(demande)
    place = place_of(demande)
    filterset = CandidatFilter(request.GET or None, queryset=Prestataire.objects.for_staff(request), place=place)
    within = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    ranked = candidates(demande, wished, within=within)
    affectations = list(
        with_declinable(demande.affectations.select_related("prestataire", "entretien_prealable_par"))
        .annotate(
            entretien_requis=prior_interview_required(OuterRef("demande__agence__region"), timezone.localdate()),
            # The region's public employment service, named in the decline form's help: read with the assignments.
            service_emploi=Subquery(
                ServicePublicEmploi.objects.filter(region=OuterRef("demande__agence__region")).values("nom_court")[:1]
            ),
        )
        .order_by("-created_at")
    )
    slots, skipped = series_slots(demande, wished)
    return render(
        request,
        "prestations/matching.html",
        {
            "demande": demande,
            "candidates": ranked,
            "filter": filterset,
            "place": place,
            "affectations": affectations,
            "slots": slots,
            "skipped": skipped,
            "client_check": demande_client_check(demande, slots),
            "history": history_entries(demande),
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_POST
def affectation_entretien(request, pk):
    """The prior interview of an assignment (date; by the collaborator recording it), where the region requires it."""
    affectation = get_object_for(request, Affectation, pk, write=True)
    try:
        le = datetime.date.fromisoformat(request.POST.get("le", ""))
    except ValueError:
        le = None
    try:
        record_prior_interview(affectation=affectation, le=le, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'entretien préalable est enregistré : la série peut être planifiée."))
    return redirect("prestations:matching", pk=affectation.demande_id)


@staff_required
@require_POST
def demande_assign(request, pk):
    demande = _demande(request, pk)
    ids = [int(x) for x in request.POST.getlist("prestataire") if x.isdigit()]
    workers = list(Prestataire.objects.for_staff(request).filter(pk__in=ids))
    try:
        created = assign_prestataires(demande=demande, prestataires=workers, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        n = len(created)
        messages.success(
            request,
            ngettext(
                "%(n)s prestataire attribué·e ; le client et le ou la prestataire sont prévenus.",
                "%(n)s prestataires attribué·es ; le client et les prestataires sont prévenus.",
                n,
            )
            % {"n": n},
        )
    return redirect("prestations:matching", pk=demande.pk)


@staff_required
@require_POST
def demande_plan(request, pk):
    demande = _demande(request, pk)
    try:
        report = plan_demande(demande=demande, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("prestations:matching", pk=demande.pk)
    if report.planned:
        n = len(report.planned)
        messages.success(
            request, ngettext("%(n)s prestation planifiée.", "%(n)s prestations planifiées.", n) % {"n": n}
        )
    else:
        messages.warning(request, _("Aucune prestation planifiée : %(why)s") % {"why": _nothing_planned_reason(report)})
    for day, reason in report.skipped:
        messages.info(request, _("%(d)s non planifié : %(r)s.") % {"d": short_date(day), "r": reason})
    for worker, slot, reason in report.refused:
        messages.warning(
            request,
            _("%(d)s refusé pour %(p)s : %(r)s") % {"d": short_date(slot.date), "p": worker, "r": reason},
        )
    return redirect("utilisateurs:staff_demande", pk=demande.pk)


def _nothing_planned_reason(report) -> str:
    if report.refused:
        reasons = sorted({reason for _worker, _slot, reason in report.refused})
        return _("chaque date a été refusée (%(r)s).") % {"r": " ; ".join(reasons)}
    if report.skipped:
        return _("toutes les dates tombent un jour férié, un congé ou une fermeture.")
    return _("toutes les dates sont déjà planifiées, ou la demande n'en a plus à venir.")


def _ask_before_declining(request, back_url):
    return ask_first(
        request,
        question=_("Décliner cette affectation ?"),
        consequences=[
            _("L'agence cherchera un·e autre prestataire pour cette demande."),
            _(
                "Le motif est transmis à l'agence (et, après relecture, à votre service de l'emploi s'il vous a "
                "adressé·e)."
            ),
        ],
        confirm_label=_("Oui, décliner"),
        keep_label=_("Non, garder l'affectation"),
        back_url=back_url,
    )


def _decline(request, pk, success: str, undo_url: str) -> Affectation:
    affectation = get_object_for(request, Affectation, pk, write=True)
    try:
        declined = decline_affectation(
            affectation=affectation, motif=request.POST.get("motif", ""), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
        undo.offer(request, url=reverse(undo_url, args=[pk]), state=declined.undo_state)
    return affectation


def _undo_decline(request, pk) -> Affectation:
    affectation = get_object_for(request, Affectation, pk, write=True)
    undo.perform(
        request,
        lambda state: undo_decline(affectation=affectation, state=state, acting_user=request.user),
        success=_("Refus annulé : l'affectation est rétablie."),
    )
    return affectation


@staff_required
@require_POST
def affectation_decline(request, pk):
    affectation = get_object_for(request, Affectation, pk, write=True)
    if page := _ask_before_declining(request, reverse("prestations:matching", args=[affectation.demande_id])):
        return page
    affectation = _decline(request, pk, _("Le refus est enregistré."), "prestations:decline_undo")
    return redirect("prestations:matching", pk=affectation.demande_id)


@staff_required
@require_POST
def affectation_decline_undo(request, pk):
    affectation = _undo_decline(request, pk)
    return redirect("prestations:matching", pk=affectation.demande_id)


@prestataire_required
def mes_affectations(request):
    affectations = with_declinable(
        scoped(request, Affectation).select_related("demande__utilisateur", "demande__activite")
    )
    return render(request, "prestations/mes_affectations.html", {"affectations": affectations})


@prestataire_required
@require_POST
def mon_refus(request, pk):
    get_object_for(request, Affectation, pk, write=True)
    if page := _ask_before_declining(request, reverse("prestations:mes_affectations")):
        return page
    _decline(request, pk, _("Votre refus est transmis à l'agence."), "prestations:mon_refus_undo")
    return redirect("prestations:mes_affectations")


@prestataire_required
@require_POST
def mon_refus_undo(request, pk):
    _undo_decline(request, pk)
    return redirect("prestations:mes_affectations")
