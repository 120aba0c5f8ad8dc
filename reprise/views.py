"""The import wizard: deposit → columns → preview → confirm → progress and report. Agency admins only."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from ale_platform.access import staff_required
from ale_platform.agences import current_agence

from . import fichiers, services
from .forms import CorrespondanceForm, DepotForm, ValeursForm
from .importeurs import IMPORTEURS, Resultat
from .lecture import FichierIllisible
from .models import Entite, Reprise, agences_pour

PAGE_SIZE = 100


def importer_required(view):
    """Staff who may import something into at least one agency: its administrators (the superuser administers
    every agency), or its collaborators for the vouchers (`agences_pour`)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        entite = kwargs.get("entite")
        if not agences_pour(request.user, entite if entite in Entite.values else None).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _reprise(request, pk) -> Reprise:
    return get_object_or_404(Reprise.objects.for_user(request.user).select_related("agence"), pk=pk)


def _entite(code) -> str:
    if code not in Entite.values:
        raise Http404
    return code


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@importer_required
def index(request):
    form = DepotForm(request.POST or None, request.FILES or None, user=request.user)
    agence = current_agence(request)
    if agence is not None and form.fields["agence"].queryset.filter(pk=agence.pk).exists():
        form.fields["agence"].initial = agence.pk
    if request.GET.get("entite") in Entite.values:
        form.fields["entite"].initial = request.GET["entite"]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        try:
            reprise = services.deposit(
                agence=form.cleaned_data["agence"],
                entite=form.cleaned_data["entite"],
                name=upload.name,
                content=upload.read(),
                acting_user=request.user,
            )
        except (FichierIllisible, ValidationError) as exc:
            form.add_error("fichier", exc.messages)
        else:
            return redirect("reprise:correspondance", pk=reprise.pk)
    reprises = Reprise.objects.for_user(request.user).select_related("agence", "created_by")[:20]
    status = 400 if form.errors else 200
    return render(
        request,
        "reprise/index.html",
        {"form": form, "reprises": reprises, "entites": form.fields["entite"].choices},
        status=status,
    )


@importer_required
def cheques(request):
    """The former page of the voucher CSV import: the wizard, set to vouchers."""
    return redirect(f"{reverse('reprise:index')}?entite={Entite.CHEQUES}")


@importer_required
def modele(request, entite):
    content = fichiers.template(_entite(entite), current_agence(request))
    return _download(content, f"modele-{entite}.xlsx", fichiers.XLSX)


@importer_required
def exemple(request, entite):
    content = fichiers.sample(_entite(entite), current_agence(request))
    return _download(content, f"exemple-{entite}.xlsx", fichiers.XLSX)


@importer_required
def correspondance(request, pk):
    reprise = _reprise(request, pk)
    if reprise.purgee_le or reprise.statut not in (Reprise.Statut.TELEVERSEE, Reprise.Statut.A_CONFIRMER):
        return redirect("reprise:detail", pk=reprise.pk)
    table = _read(request, reprise)
    if table is None:
        return redirect("reprise:index")
    samples = list(table[0]) if table.height else []
    form = CorrespondanceForm(
        request.POST or None,
        entite=reprise.entite,
        headers=table.headers,
        samples=samples,
        initial_mapping=reprise.correspondance,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(reprise=reprise, correspondance=form.mapping(), acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("reprise:detail", pk=reprise.pk)
    return render(
        request,
        "reprise/correspondance.html",
        {"reprise": reprise, "form": form},
        status=400 if form.errors else 200,
    )


@importer_required
def detail(request, pk):
    reprise = _reprise(request, pk)
    if request.htmx:
        if reprise.en_cours:
            return render(request, "reprise/_progression.html", {"reprise": reprise})
        return HttpResponseClientRefresh()
    statut = request.GET.get("resultat", "")
    lignes = [ligne for ligne in reprise.lignes if not statut or ligne["statut"] == statut]
    page = Paginator(lignes, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [("", _("Toutes"), len(reprise.lignes))] + [
        (code, label, reprise.compteurs.get(code, 0)) for code, label in Resultat.LABELS.items()
    ]
    return render(
        request,
        "reprise/detail.html",
        {
            "reprise": reprise,
            "page": page,
            "resultat": statut,
            "filters": filters,
            "labels": Resultat.LABELS,
            "champs": IMPORTEURS[reprise.entite].champs,
            "valeurs_form": ValeursForm(reprise=reprise)
            if reprise.statut == Reprise.Statut.A_CONFIRMER and reprise.valeurs_inconnues
            else None,
            "tout_ou_rien": IMPORTEURS[reprise.entite].tout_ou_rien,
        },
    )


@require_POST
@importer_required
def valeurs(request, pk):
    reprise = _reprise(request, pk)
    form = ValeursForm(request.POST, reprise=reprise)
    if form.is_valid():
        try:
            services.set_values(reprise=reprise, answers=form.answers(), acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Vos correspondances sont retenues : le fichier est analysé à nouveau."))
    return redirect("reprise:detail", pk=reprise.pk)


@require_POST
@importer_required
def confirmer(request, pk):
    reprise = _reprise(request, pk)
    try:
        services.confirm(reprise=reprise, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'import est lancé : vous recevrez un e-mail à la fin."))
    return redirect("reprise:detail", pk=reprise.pk)


@importer_required
def rapport(request, pk):
    reprise = _reprise(request, pk)
    if not reprise.lignes:
        raise Http404
    table = _read(request, reprise)
    if table is None:
        return redirect("reprise:detail", pk=reprise.pk)
    return _download(*fichiers.error_report(reprise, table))


def _read(request, reprise):
    """The stored file, or None with the French reason as a message (a file that can no longer be read)."""
    try:
        return services.read(reprise)
    except FichierIllisible as exc:
        messages.error(request, " ".join(exc.messages))
        return None
