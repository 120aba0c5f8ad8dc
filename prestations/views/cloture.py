"""Staff close the month on one screen: each worker's prestations by state and what blocks them, one action that
validates everything confirmed, the month's forms; declaring or confirming for people who are not online; paper
vouchers by number range; the worker's printable monthly sheet."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ale_platform.access import prestataire_required, require_agence, staff_required
from ale_platform.pdf import render_pdf
from ale_platform.scoping import get_object_for, scoped
from prestataires.models import Prestataire

from .. import cloture as reads
from .. import services
from ..forms import ChequesParPlageForm, MoisForm, add_service_errors
from ..models import AuNomDe, Prestation
from ..selectors import month_bounds
from .month import apply_declaration, render_declarations


def _month(request, agence, data=None):
    form = MoisForm(data if data is not None else (request.GET or None))
    if form.is_valid():
        return form, form.cleaned_data["mois"]
    # By default the month being closed: until the agency's closing day, last month; then this one.
    today = timezone.localdate()
    mois = today.replace(day=1)
    if today.day <= agence.jour_cloture:
        mois = (mois - datetime.timedelta(days=1)).replace(day=1)
    return MoisForm(initial={"mois": mois.strftime("%Y-%m")}), mois


def _cloture_url(mois) -> str:
    return f"{reverse('prestations:cloture')}?mois={mois:%Y-%m}"


@staff_required
def cloture(request):
    agence = require_agence(request)
    form, mois = _month(request, agence)
    workers = reads.month_overview(agence, mois.year, mois.month)
    confirmed = sum(w.counts[Prestation.Statut.EFFECTUEE] for w in workers)
    refused = request.session.pop("cloture_refus", [])
    return render(
        request,
        "prestations/cloture.html",
        {
            "form": form,
            "mois": mois,
            "workers": workers,
            "confirmed": confirmed,
            "refused": refused,
            "progress": reads.month_progress(agence, mois.year, mois.month),
            "states": reads.SHOWN,
            "cheques_form": ChequesParPlageForm(agence=agence, initial={"mois": mois}),
        },
    )


@staff_required
@require_POST
def cloture_valider(request):
    """Validates every confirmed prestation of the month, each through the rule book; lists those refused."""
    agence = require_agence(request)
    form, mois = _month(request, agence, request.POST)
    debut, fin = month_bounds(mois.year, mois.month)
    rows = Prestation.objects.for_staff(request).filter(
        agence=agence, date__range=(debut, fin), statut=Prestation.Statut.EFFECTUEE
    )
    validated, refused = services.validate_confirmed(rows.order_by("date", "debut"), acting_user=request.user)
    messages.success(request, _("%(n)d prestation(s) validée(s).") % {"n": len(validated)})
    request.session["cloture_refus"] = [
        {"pk": r.prestation.pk, "label": str(r.prestation), "raison": r.raison} for r in refused
    ]
    return redirect(_cloture_url(mois))


@staff_required
def cloture_prestataire(request, pk):
    """One worker's past slots to declare for them (a worker who is not online), and their month's rows."""
    prestataire = get_object_for(request, Prestataire, pk)
    qs = Prestation.objects.for_staff(request).filter(prestataire=prestataire)
    return render_declarations(
        request, qs, template="prestations/declarer_pour.html", extra={"prestataire": prestataire}
    )


@staff_required
@require_POST
def declarer_pour(request, pk, prestation):
    prestataire = get_object_for(request, Prestataire, pk)
    qs = Prestation.objects.for_staff(request).filter(prestataire=prestataire)
    row = qs.filter(pk=prestation).first()
    if row is None:
        raise Http404
    form = apply_declaration(request, row, au_nom_de=AuNomDe.PRESTATAIRE)
    if form.errors:
        return render_declarations(
            request, qs, failed=form, template="prestations/declarer_pour.html", extra={"prestataire": prestataire}
        )
    messages.success(request, _("Déclarée au nom de %(w)s.") % {"w": prestataire})
    return redirect("prestations:cloture_prestataire", pk=prestataire.pk)


@staff_required
@require_POST
def confirmer_pour(request, pk):
    """Staff confirm the hours for a client who is not online (by phone, on paper): marked as such."""
    prestation = get_object_for(request, Prestation, pk)
    try:
        services.confirm_hours(
            prestation=prestation,
            acting_user=request.user,
            motif=_("Confirmée par l'agence au nom de l'utilisateur·rice"),
            au_nom_de=AuNomDe.UTILISATEUR,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Heures confirmées au nom de %(u)s.") % {"u": prestation.utilisateur})
    return redirect(request.POST.get("next") or reverse("prestations:detail", args=[pk]))


@staff_required
def cheques_par_plage(request):
    agence = require_agence(request)
    form = ChequesParPlageForm(request.POST or None, agence=agence)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attached = services.attach_voucher_range(
                utilisateur=data["utilisateur"],
                year=data["mois"].year,
                month=data["mois"].month,
                du=data["du"],
                au=data["au"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(n)d chèque(s) attaché(s) aux prestations de %(u)s.")
                % {"n": len(attached), "u": data["utilisateur"]},
            )
            return redirect(_cloture_url(data["mois"]))
    return render(
        request, "prestations/cheques_par_plage.html", {"cheques_form": form}, status=400 if form.errors else 200
    )


def _feuille(prestataire, year, month) -> HttpResponse:
    debut, fin = month_bounds(year, month)
    rows = (
        Prestation.objects.filter(prestataire=prestataire, date__range=(debut, fin))
        .exclude(statut=Prestation.Statut.ANNULEE)
        .select_related("utilisateur", "activite")
        .order_by("date", "debut")
    )
    content = render_pdf(
        "prestations/pdf/feuille.html",
        {"prestataire": prestataire, "agence": prestataire.agence, "rows": rows, "debut": debut, "blank": range(6)},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feuille-{year}-{month:02d}-{prestataire.pk}.pdf"'
    return response


@staff_required
def feuille_pdf(request, pk, year, month):
    if not 1 <= month <= 12:
        raise Http404
    return _feuille(get_object_for(request, Prestataire.objects.select_related("agence"), pk), year, month)


@prestataire_required
def ma_feuille(request):
    prestataire = scoped(request, Prestataire).select_related("agence").first()
    if prestataire is None:
        raise PermissionDenied
    today = timezone.localdate()
    return _feuille(prestataire, today.year, today.month)
