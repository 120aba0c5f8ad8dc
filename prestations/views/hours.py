"""Staff pages of the register: the list, recording hours, a prestation's page and its actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ale_platform import undo
from ale_platform.access import require_agence, staff_required
from ale_platform.confirm import ask_first
from ale_platform.exports import FORMATS, Column, export_response
from ale_platform.history import history_entries
from ale_platform.paging import paginate
from ale_platform.scoping import get_object_for

from .. import frais, services
from ..filters import PrestationFilter
from ..forms import (
    AbsenceForm,
    AnnulerForm,
    AttacherChequesForm,
    DeplacerForm,
    DistanceForm,
    HeuresForm,
    PrestationForm,
    add_service_errors,
)
from ..matching import availability_warning
from ..models import Prestation
from ..rulebook import hour_meters, vouchers_due


def _prestation_for_staff(request, pk):
    related = ("prestataire", "utilisateur", "activite", "agence", "created_by", "validee_par")
    return get_object_for(request, Prestation.objects.select_related(*related), pk)


@staff_required
def prestation_list(request):
    agence, qs = require_agence(request), Prestation.objects.for_staff(request)
    filterset = PrestationFilter(
        request.GET, queryset=qs.select_related("prestataire", "utilisateur", "activite"), request=request
    )
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Référence"), lambda p: p.reference),
            Column(_("Date"), lambda p: p.date),
            Column(_("Début"), lambda p: p.debut),
            Column(_("Fin"), lambda p: p.fin),
            Column(_("Prestataire"), lambda p: str(p.prestataire)),
            Column(_("Utilisateur"), lambda p: str(p.utilisateur)),
            Column(_("Activité"), lambda p: p.activite.nom),
            Column(_("Heures"), lambda p: float(p.heures) if p.heures is not None else ""),
            Column(_("Statut"), lambda p: p.get_statut_display()),
        ]
        return export_response(filterset.qs.order_by("-date", "-debut"), columns, "prestations", request.GET["format"])
    paging = paginate(request, filterset.qs.order_by("-date", "-debut"))
    return render(
        request,
        "prestations/list.html",
        {"filter": filterset, "prestations": paging["page"].object_list, "agence": agence, **paging},
    )


@staff_required
def prestation_create(request):
    agence = require_agence(request)
    form = PrestationForm(request.POST or None, agence=agence, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prestation = services.record_prestation(
                prestataire=data["prestataire"],
                utilisateur=data["utilisateur"],
                activite=data["activite"],
                date=data["date"],
                debut=data["debut"],
                fin=data["fin"],
                heures=data["heures"],
                statut=data["statut"],
                override_reason=data["motif_derogation"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Prestation enregistrée."))
            return redirect("prestations:detail", pk=prestation.pk)
    return render(request, "prestations/form.html", {"form": form})


def _detail_context(request, prestation, **forms):
    meters = hour_meters([prestation.prestataire], on=prestation.date)[prestation.prestataire.pk]
    context = {
        "prestation": prestation,
        "meters": meters.meters,
        "history": history_entries(prestation),
        "cheques": prestation.cheques.order_by("numero"),
        "couverts": services.covered_hours(prestation),
        "heures_form": HeuresForm(
            initial={"debut": prestation.debut, "fin": prestation.fin, "heures": prestation.heures}
        ),
        "cheques_form": AttacherChequesForm(),
        "deplacer_form": DeplacerForm(
            initial={"date": prestation.date, "debut": prestation.debut, "fin": prestation.fin}
        ),
        "annuler_form": AnnulerForm(),
        "absence_form": AbsenceForm(),
        "today": timezone.localdate(),
        # A declared or disputed slot: staff see the planned version next to the declared one.
        "prevu": prestation.history.filter(statut=Prestation.Statut.PLANIFIEE).first()
        if prestation.statut in (Prestation.Statut.DECLAREE, Prestation.Statut.CONTESTEE)
        else None,
        **_frais_context(prestation),
        "cheques_dus": vouchers_due(prestation.heures),
    }
    context.update(forms)
    return context


def _frais_context(prestation) -> dict:
    """The travel costs section: the distance (typed, else suggested from the coordinates) and what it gives."""
    suggestion = None
    if prestation.distance_km is None:
        suggestion = frais.distance_suggeree(prestation.prestataire, frais.place_of_prestation(prestation))
    return {
        "distance_form": DistanceForm(initial={"distance_km": prestation.distance_km or suggestion}),
        "distance_suggeree": suggestion,
        "frais": frais.frais(prestation, frais.Regles(prestation.agence)),
    }


@staff_required
def prestation_detail(request, pk):
    prestation = _prestation_for_staff(request, pk)
    return render(request, "prestations/detail.html", _detail_context(request, prestation))


def _action(request, pk, form_class, form_name, call, success, ask=None):
    prestation = _prestation_for_staff(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        if ask and (page := ask_first(request, back_url=reverse("prestations:detail", args=[pk]), **ask)):
            return page
        try:
            call(prestation, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("prestations:detail", pk=pk)
    return render(
        request, "prestations/detail.html", _detail_context(request, prestation, **{form_name: form}), status=400
    )


@staff_required
@require_POST
def prestation_hours(request, pk):
    def call(prestation, form):
        services.update_hours(
            prestation=prestation,
            acting_user=request.user,
            heures=form.cleaned_data["heures"],
            debut=form.cleaned_data["debut"],
            fin=form.cleaned_data["fin"],
            override_reason=form.cleaned_data["motif_derogation"],
            motif=_("Heures encodées"),
        )

    return _action(request, pk, HeuresForm, "heures_form", call, _("Heures enregistrées."))


@staff_required
@require_POST
def prestation_move(request, pk):
    def call(prestation, form):
        services.move_prestation(
            prestation=prestation,
            acting_user=request.user,
            date=form.cleaned_data["date"],
            debut=form.cleaned_data["debut"],
            fin=form.cleaned_data["fin"],
            motif=form.cleaned_data["motif"],
            override_reason=form.cleaned_data["motif_derogation"],
        )

    response = _action(request, pk, DeplacerForm, "deplacer_form", call, _("Prestation déplacée."))
    if response.status_code == 302:
        moved = Prestation.objects.select_related("prestataire").get(pk=pk)
        warning = availability_warning(moved.prestataire, moved.date, moved.debut, moved.fin)
        if warning:
            messages.warning(request, warning)
    return response


@staff_required
@require_POST
def prestation_cancel(request, pk):
    def call(prestation, form):
        cancelled = services.cancel_prestation(
            prestation=prestation, acting_user=request.user, motif=form.cleaned_data["motif"]
        )
        undo.offer(request, url=reverse("prestations:cancel_undo", args=[pk]), state=cancelled.undo_state)

    ask = {
        "question": _("Annuler la prestation ?"),
        "consequences": [
            _("La prestation ne compte plus dans les heures du ou de la prestataire ni dans celles de l'utilisateur."),
            _(
                "Le motif est gardé dans l'historique ; vous pourrez revenir en arrière pendant 15 minutes, "
                "tant que rien d'autre n'a changé."
            ),
        ],
        "confirm_label": _("Oui, annuler la prestation"),
        "keep_label": _("Non, la garder"),
    }
    return _action(request, pk, AnnulerForm, "annuler_form", call, _("Prestation annulée."), ask=ask)


@staff_required
@require_POST
def prestation_cancel_undo(request, pk):
    prestation = _prestation_for_staff(request, pk)
    undo.perform(
        request,
        lambda state: services.undo_cancellation(
            prestation=prestation, transition_id=state["t"], acting_user=request.user
        ),
        success=_("Annulation annulée : la prestation est rétablie."),
    )
    return redirect("prestations:detail", pk=pk)


@staff_required
@require_POST
def prestation_no_show(request, pk):
    def call(prestation, form):
        services.record_no_show(
            prestation=prestation,
            acting_user=request.user,
            absence_de=form.cleaned_data["absence_de"],
            motif=form.cleaned_data["motif"],
        )

    return _action(request, pk, AbsenceForm, "absence_form", call, _("Absence enregistrée."))


@staff_required
@require_POST
def prestation_attach(request, pk):
    def call(prestation, form):
        services.attach_vouchers(
            prestation=prestation,
            acting_user=request.user,
            numeros=form.numeros_list(),
            electronique=form.cleaned_data["electronique"],
            nominatif=form.cleaned_data["nominatif"],
        )

    return _action(request, pk, AttacherChequesForm, "cheques_form", call, _("Chèques attachés à la prestation."))


@staff_required
@require_POST
def prestation_validate(request, pk):
    prestation = _prestation_for_staff(request, pk)
    try:
        services.validate_prestation(prestation=prestation, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Prestation validée."))
    return redirect("prestations:detail", pk=pk)


@staff_required
@require_POST
def prestation_distance(request, pk):
    def call(prestation, form):
        frais.set_distance(
            prestation=prestation, distance_km=form.cleaned_data["distance_km"], acting_user=request.user
        )

    return _action(request, pk, DistanceForm, "distance_form", call, _("Distance enregistrée."))
