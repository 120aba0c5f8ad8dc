"""The month without retyping, for the people who hold the information: the worker declares past slots from their
space, the client confirms or disputes in theirs or from an e-mailed link without logging in."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ale_platform.access import client_required, prestataire_required
from ale_platform.scoping import get_object_for, scoped
from prestataires.models import Prestataire

from .. import services
from ..forms import ContestationForm, DeclarationForm, add_service_errors
from ..models import Prestation
from ..services import liens

WEEKS_BACK = 6  # how far back a worker sees slots to declare


def declarable(qs):
    """Past slots of the last weeks a worker may (still) declare or correct, newest first."""
    today = timezone.localdate()
    since = today - datetime.timedelta(weeks=WEEKS_BACK)
    qs = qs.filter(
        date__range=(since, today),
        statut__in=[Prestation.Statut.PLANIFIEE, Prestation.Statut.DECLAREE, Prestation.Statut.ABSENCE],
    )
    rows = qs.select_related("utilisateur", "activite", "prestataire").order_by("-date", "-debut")
    return [p for p in rows if services.can_declare(p)]


def render_declarations(request, qs, *, failed=None, template="prestations/declarer.html", extra=None):
    rows = declarable(qs)
    forms = {p.pk: DeclarationForm(prefix=f"p{p.pk}") for p in rows}
    if failed is not None:
        if failed.prefix_pk in forms:
            forms[failed.prefix_pk] = failed
        else:  # no longer in the list (confirmed meanwhile, a future slot): say why at the top
            for errors in failed.errors.values():
                messages.error(request, " ".join(errors))
    for p in rows:
        p.form = forms[p.pk]
    status = 400 if failed is not None else 200
    return render(request, template, {"prestations": rows, **(extra or {})}, status=status)


def apply_declaration(request, prestation, *, au_nom_de=""):
    """The POST of one card: returns the bound form, with the service's errors if it was refused."""
    form = DeclarationForm(request.POST, prefix=f"p{prestation.pk}")
    form.prefix_pk = prestation.pk
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_prestation(
                prestation=prestation,
                acting_user=request.user,
                kind=data["kind"],
                debut=data["debut"],
                fin=data["fin"],
                absence_de=data["absence_de"],
                motif=data["motif"],
                au_nom_de=au_nom_de,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    return form


@prestataire_required
def mes_declarations(request):
    if scoped(request, Prestataire).first() is None:
        raise PermissionDenied
    return render_declarations(request, scoped(request, Prestation))


@prestataire_required
@require_POST
def declarer(request, pk):
    prestation = get_object_for(request, Prestation, pk)
    form = apply_declaration(request, prestation)
    if form.errors:
        return render_declarations(request, scoped(request, Prestation), failed=form)
    messages.success(
        request, _("Merci : la prestation du %(d)s est déclarée.") % {"d": prestation.date.strftime("%d/%m/%Y")}
    )
    return redirect("prestations:declarer")


@client_required
@require_POST
def client_dispute(request, pk):
    prestation = get_object_for(request, Prestation, pk, write=True)
    form = ContestationForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            services.dispute_prestation(
                prestation=prestation, acting_user=request.user, motif=form.cleaned_data["motif"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Votre contestation est transmise à l'agence, qui vous recontactera."))
    else:
        messages.error(request, _("Expliquez ce qui ne va pas avant d'envoyer la contestation."))
    return redirect("prestations:client")


@never_cache
def lien(request, token):
    """The no-login page of an e-mailed link: only its prestations, only confirm or dispute them, once."""
    try:
        link = liens.open_link(token)
    except ValidationError as exc:
        return render(request, "prestations/lien.html", {"invalid": " ".join(exc.messages)}, status=404)
    rows = liens.link_prestations(link)
    error = None
    if request.method == "POST":
        answers = {}
        for p, still in rows:
            choice = request.POST.get(f"r{p.pk}", "")
            if still and choice in (liens.CONFIRMER, liens.CONTESTER):
                answers[p.pk] = (choice, request.POST.get(f"m{p.pk}", ""))
        try:
            liens.answer_link(token, answers)
        except ValidationError as exc:
            error = " ".join(m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs)
        else:
            return render(request, "prestations/lien.html", {"done": True, "utilisateur": link.utilisateur})
    return render(
        request,
        "prestations/lien.html",
        {"rows": rows, "utilisateur": link.utilisateur, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )
