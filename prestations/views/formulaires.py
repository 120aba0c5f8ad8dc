"""The monthly ALE 4 forms, the payment bodies' statements and the background generation."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from ale_platform.access import require_agence, staff_required
from ale_platform.scoping import get_object_for
from prestataires.models import OrganismePaiement, Prestataire
from prestataires.paiement import with_organisme_au

from .. import pdf, selectors
from ..forms import (
    MoisForm,
)
from ..models import GenerationFormulaires
from ..selectors import month_bounds
from ..tasks import generate_monthly_forms

# In a statement's address: the workers whose file names no payment body.
UNKNOWN_BODY = "non_renseigne"


def _month_from(request):
    form = MoisForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["mois"]
    today = timezone.localdate()
    return MoisForm(initial={"mois": today.strftime("%Y-%m")}), today.replace(day=1)


@staff_required
def formulaires(request):
    agence = require_agence(request)
    form, mois = _month_from(request)
    workers = pdf.workers_of_month(agence, mois.year, mois.month)
    releves = selectors.releves(agence, mois.year, mois.month)
    generations = GenerationFormulaires.objects.filter(agence=agence)[:5]
    return render(
        request,
        "prestations/formulaires.html",
        {"form": form, "mois": mois, "workers": workers, "releves": releves, "generations": generations},
    )


@staff_required
def formulaire_pdf(request, pk, year, month):
    if not 1 <= month <= 12:
        raise Http404
    _debut, fin = month_bounds(year, month)
    # The payment body in force at the end of the month comes with the file (one read, not two).
    prestataire = get_object_for(request, with_organisme_au(Prestataire.objects.select_related("agence"), fin), pk)
    content = pdf.formulaire_pdf(prestataire, year, month)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.formulaire_filename(prestataire, year, month)}"'
    return response


@staff_required
def releve_pdf(request, organisme, year, month):
    agence = require_agence(request)
    if organisme not in [*OrganismePaiement.values, UNKNOWN_BODY] or not 1 <= month <= 12:
        raise Http404
    code = "" if organisme == UNKNOWN_BODY else organisme
    cpas = request.GET.get("cpas", "")
    response = HttpResponse(pdf.releve_pdf(agence, code, year, month, cpas), content_type="application/pdf")
    suffix = f"-{slugify(cpas)}" if cpas else ""
    response["Content-Disposition"] = f'inline; filename="releve-{organisme}{suffix}-{year}-{month:02d}.pdf"'
    return response


@staff_required
@require_POST
def generation_start(request):
    agence = require_agence(request)
    form = MoisForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("mois", [])))
        return redirect("prestations:formulaires")
    generation = GenerationFormulaires.objects.create(
        agence=agence, mois=form.cleaned_data["mois"], created_by=request.user
    )
    generate_monthly_forms.enqueue(generation.pk)
    return redirect("prestations:generation", pk=generation.pk)


@staff_required
def generation_detail(request, pk):
    generation = get_object_for(request, GenerationFormulaires, pk)
    template = "prestations/_generation.html" if request.htmx else "prestations/generation.html"
    return render(request, template, {"generation": generation})


@staff_required
def generation_zip(request, pk):
    generation = get_object_for(request, GenerationFormulaires, pk)
    if generation.statut != GenerationFormulaires.Statut.TERMINEE or not generation.fichier:
        raise Http404
    return FileResponse(
        default_storage.open(generation.fichier, "rb"),
        as_attachment=True,
        filename=f"formulaires-ALE4-{generation.mois:%Y-%m}.zip",
    )
