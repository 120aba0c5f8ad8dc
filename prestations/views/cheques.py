"""The register of chèques ALE: list, entry, a voucher's page, import, prestations to regularise."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ale_platform.access import require_agence, staff_required
from ale_platform.exports import FORMATS, Column, export_response
from ale_platform.paging import paginate
from ale_platform.scoping import get_object_for

from .. import selectors, services
from ..filters import ARegulariserFilter, ChequeFilter
from ..forms import (
    ChequeForm,
    ChequeStatutForm,
    add_service_errors,
)
from ..models import ChequeALE, Prestation


@staff_required
def cheque_list(request):
    qs = ChequeALE.objects.for_staff(request).select_related("utilisateur", "prestation")
    filterset = ChequeFilter(request.GET, queryset=qs, request=request)
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Numéro"), lambda c: c.numero or ""),
            Column(_("Type"), lambda c: c.get_type_display()),
            Column(_("Nominatif"), lambda c: c.nominatif),
            Column(_("Utilisateur"), lambda c: str(c.utilisateur) if c.utilisateur_id else ""),
            Column(_("Valeur"), lambda c: c.valeur),
            Column(_("Quantité"), lambda c: c.quantite),
            Column(_("Statut"), lambda c: c.get_statut_display()),
            Column(_("Prestation"), lambda c: c.prestation.reference if c.prestation else ""),
        ]
        return export_response(filterset.qs, columns, "cheques-ale", request.GET["format"])
    paging = paginate(request, filterset.qs)
    return render(
        request, "prestations/cheques.html", {"filter": filterset, "cheques": paging["page"].object_list, **paging}
    )


@staff_required
def cheque_create(request):
    agence = require_agence(request)
    form = ChequeForm(request.POST or None, agence=agence)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cheque = services.record_cheque(
                agence=agence,
                numero=data["numero"],
                utilisateur=data["utilisateur"],
                nominatif=data["nominatif"],
                valeur=data["valeur"],
                statut=data["statut"],
                emis_le=data["emis_le"],
                valable_jusqu_au=data["valable_jusqu_au"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Chèque n° %(n)s enregistré.") % {"n": cheque.numero})
            return redirect("prestations:cheque_create")
    return render(request, "prestations/cheque_form.html", {"form": form})


@staff_required
def cheque_detail(request, pk):
    cheque = get_object_for(request, ChequeALE.objects.select_related("utilisateur", "prestation"), pk)
    form = ChequeStatutForm(request.POST or None, cheque=cheque)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_cheque_statut(
                cheque=cheque,
                statut=form.cleaned_data["statut"],
                motif=form.cleaned_data["motif"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("État du chèque mis à jour."))
            return redirect("prestations:cheque_detail", pk=pk)
    return render(
        request,
        "prestations/cheque_detail.html",
        {"cheque": cheque, "form": form, "transitions": cheque.transitions.select_related("par")},
    )


@staff_required
def a_regulariser(request):
    qs = Prestation.objects.for_staff(request)
    filterset = ARegulariserFilter(request.GET, queryset=qs, request=request)
    rows = selectors.prestations_a_regulariser(filterset.qs)
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Référence"), lambda p: p.reference),
            Column(_("Date"), lambda p: p.date),
            Column(_("Prestataire"), lambda p: str(p.prestataire)),
            Column(_("Utilisateur"), lambda p: str(p.utilisateur)),
            Column(_("Heures"), lambda p: float(p.heures)),
            Column(_("Chèques dus"), lambda p: p.dus),
            Column(_("Chèques couverts"), lambda p: p.couverts),
        ]
        return export_response(rows, columns, "prestations-a-regulariser", request.GET["format"])
    return render(
        request,
        "prestations/a_regulariser.html",
        {"filter": filterset, "prestations": rows, "clients": selectors.clients_debiteurs(filterset.qs)},
    )
