from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ale_platform import undo
from ale_platform.access import (
    STAFF,
    conseiller_required,
    prestataire_required,
    require_agence,
    role_required,
    staff_required,
)
from ale_platform.confirm import ask_first
from ale_platform.exports import FORMATS, Column, export_response
from ale_platform.history import history_entries
from ale_platform.models import Agence, AgenceMembership, Role
from ale_platform.pdf import pdf_response
from ale_platform.privacy.access_log import Vue, log_read
from ale_platform.privacy.models import TypePersonne
from ale_platform.scoping import get_object_for, scoped

from . import selectors, services
from .faits import compute_faits, declines, declines_to_review_column
from .forms import AdressageFilter, AdressageForm, ParametresForm, ReponseForm, RetourForm, TransitionForm
from .models import Adressage, ParametresForem, RetourAdressage

PAGE_SIZE = 50


def _conseiller(user):
    conseiller = getattr(user, "conseiller", None)
    if conseiller is None:
        raise PermissionDenied
    return conseiller


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@conseiller_required
def conseiller_home(request):
    today = timezone.localdate()
    base = scoped(request, Adressage)
    agences = Agence.objects.filter(pk__in=base.values("agence_id")).order_by("nom")
    filterset = AdressageFilter(request.GET or None, queryset=base, today=today, agences=agences)
    adressages = selectors.with_deadlines(filterset.qs, today).select_related("agence", "conseiller__user")
    return render(
        request,
        "forem_liaison/conseiller_home.html",
        {**_paginated(request, adressages), "filter": filterset, "show_agence": True},
    )


@conseiller_required
def conseiller_create(request):
    conseiller = _conseiller(request.user)
    form = AdressageForm(request.POST or None, conseiller=conseiller)
    if request.method == "POST" and form.is_valid():
        try:
            adressage = services.create_adressage(conseiller=conseiller, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Adressage envoyé à %(agence)s.") % {"agence": adressage.agence})
            return redirect("forem_liaison:detail", adressage.pk)
    return render(request, "forem_liaison/conseiller_form.html", {"form": form})


@staff_required
def staff_list(request):
    agence = require_agence(request)
    today = timezone.localdate()
    base = Adressage.objects.for_staff(request)
    filterset = AdressageFilter(request.GET or None, queryset=base, today=today)
    adressages = selectors.with_deadlines(filterset.qs, today).select_related(
        "agence", "conseiller__user", "conseiller__bureau"
    )
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Nom"), lambda a: a.nom),
            Column(_("Prénom"), lambda a: a.prenom),
            Column(_("Adressé·e le"), lambda a: a.date_adressage),
            Column(_("État"), lambda a: a.get_etat_display()),
            Column(_("Conseiller·ère"), lambda a: str(a.conseiller)),
            Column(_("Bureau"), lambda a: str(a.conseiller.bureau)),
            Column(_("Premier contact en retard"), lambda a: bool(a.retard_contact)),
            Column(_("Retour en retard"), lambda a: bool(a.retard_retour)),
        ]
        rows = list(adressages)
        log_read(request, vue=Vue.EXPORT_LISTE, agence=agence, kind=TypePersonne.ADRESSAGE, nombre=len(rows))
        return export_response(rows, columns, "adressages", request.GET["format"])
    return render(
        request,
        "forem_liaison/staff_list.html",
        {
            **_paginated(request, adressages),
            "filter": filterset,
            "agence": agence,
            "parametres": ParametresForem.for_agence(agence),
            "show_conseiller": True,
        },
    )


@staff_required
def parametres(request):
    agence = require_agence(request)
    is_admin = (
        request.user.is_superuser
        or AgenceMembership.objects.filter(user=request.user, agence=agence, is_admin=True).exists()
    )
    instance = ParametresForem.for_agence(agence)
    if request.method == "POST" and not is_admin:
        raise PermissionDenied
    form = ParametresForm(request.POST or None, instance=instance)
    if not is_admin:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        services.update_parametres(agence=agence, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Délais enregistrés."))
        return redirect("forem_liaison:parametres")
    return render(request, "forem_liaison/parametres.html", {"form": form, "agence": agence, "is_admin": is_admin})


ADRESSAGES = Adressage.objects.select_related(
    "agence", "conseiller__user", "conseiller__bureau", "bureau", "equipe", "prestataire"
)


def _retours_for_display(adressage, user):
    retours = list(
        RetourAdressage.objects.for_user(user)
        .filter(adressage=adressage)
        .select_related("auteur", "corrige")
        .prefetch_related("reponses__auteur")
        .annotate(refus_a_relire=declines_to_review_column())  # every draft's count in the list's query
    )
    for retour in retours:
        if not retour.is_published:  # a live preview of the facts that publishing will freeze
            retour.faits = compute_faits(adressage, retour.periode_debut, retour.periode_fin)
            retour.adressage = adressage
    return retours


@role_required(STAFF, Role.CONSEILLER)
def adressage_detail(request, pk, transition_form=None):
    user = request.user
    adressage = get_object_for(request, ADRESSAGES, pk)
    allowed = services.allowed_transitions(adressage, user)
    if transition_form is None and allowed and not user.is_conseiller:
        transition_form = TransitionForm(adressage=adressage, allowed=allowed)
    log_read(request, vue=Vue.FICHE, agence=adressage.agence, kind=TypePersonne.ADRESSAGE, obj=adressage)
    context = {
        "adressage": adressage,
        "transitions": adressage.transitions.select_related("par"),
        "retours": _retours_for_display(adressage, user),
        "deadlines": selectors.deadlines(adressage),
        "transition_form": transition_form,
        "can_withdraw": user.is_conseiller and allowed,
        "is_owner": user.is_conseiller and adressage.conseiller.user_id == user.pk,
        "equipes": adressage.conseiller.equipes.all() if user.is_conseiller else [],
        "reponse_form": ReponseForm(),
        "history": history_entries(adressage) if not user.is_conseiller else None,
        "can_write_retour": not user.is_conseiller and adressage.etat not in ("recu", "retire"),
    }
    return render(
        request, "forem_liaison/detail.html", context, status=400 if transition_form and transition_form.errors else 200
    )


@require_POST
@staff_required
def transition_view(request, pk):
    adressage = get_object_for(request, ADRESSAGES, pk)
    allowed = services.allowed_transitions(adressage, request.user)
    form = TransitionForm(request.POST, adressage=adressage, allowed=allowed)
    if form.is_valid():
        try:
            services.transition(adressage=adressage, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("État mis à jour."))
            return redirect("forem_liaison:detail", adressage.pk)
    return adressage_detail(request, pk, transition_form=form)


@require_POST
@conseiller_required
def withdraw_view(request, pk):
    adressage = get_object_for(request, ADRESSAGES, pk)
    page = ask_first(
        request,
        question=_("Retirer l'adressage ?"),
        consequences=[
            _("L'adressage passe à l'état « Retiré » : l'ALE ne le traite plus."),
            _("Le retrait et son motif restent dans l'historique de l'adressage."),
        ],
        confirm_label=_("Oui, retirer l'adressage"),
        keep_label=_("Non, le garder"),
        back_url=reverse("forem_liaison:detail", args=[adressage.pk]),
    )
    if page:
        return page
    try:
        motif = request.POST.get("motif", "")
        withdrawn = services.withdraw(adressage=adressage, motif=motif, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Adressage retiré."))
        undo.offer(request, url=reverse("forem_liaison:withdraw_undo", args=[adressage.pk]), state=withdrawn.undo_state)
    return redirect("forem_liaison:detail", adressage.pk)


@require_POST
@conseiller_required
def withdraw_undo_view(request, pk):
    adressage = get_object_for(request, ADRESSAGES, pk)
    undo.perform(
        request,
        lambda state: services.undo_withdraw(adressage=adressage, transition_id=state["t"], acting_user=request.user),
        success=_("Retrait annulé : l'adressage est rétabli."),
    )
    return redirect("forem_liaison:detail", adressage.pk)


@require_POST
@conseiller_required
def share_view(request, pk):
    adressage = get_object_for(request, ADRESSAGES, pk)
    equipe_id = request.POST.get("equipe", "")
    equipe = adressage.conseiller.equipes.filter(pk=equipe_id).first() if equipe_id.isdigit() else None
    try:
        services.share_with_equipe(adressage=adressage, equipe=equipe, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Partage mis à jour."))
    return redirect("forem_liaison:detail", adressage.pk)


@role_required(STAFF, Role.CONSEILLER)
def rapport_pdf(request, pk):
    adressage = get_object_for(request, ADRESSAGES, pk)
    retours = RetourAdressage.objects.published().filter(adressage=adressage).prefetch_related("reponses__auteur")
    context = {
        "adressage": adressage,
        "retours": retours,
        "transitions": adressage.transitions.select_related("par"),
        "now": timezone.now(),
    }
    return pdf_response(
        "forem_liaison/rapport_pdf.html", context, f"adressage-{adressage.pk}", request=request, attachment=True
    )


@staff_required
def retour_create(request, pk):
    adressage = get_object_for(request, ADRESSAGES, pk)
    corrige = None
    corrige_id = request.GET.get("corrige") or request.POST.get("corrige")
    if corrige_id and str(corrige_id).isdigit():
        corrige = get_object_or_404(RetourAdressage.objects.published(), adressage=adressage, pk=corrige_id)
    debut, fin = services.default_periode(adressage)
    initial = {"periode_debut": debut, "periode_fin": fin}
    if corrige is not None:
        initial = {
            "periode_debut": corrige.periode_debut,
            "periode_fin": corrige.periode_fin,
            "texte": corrige.texte,
        }
    form = RetourForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            retour = services.create_retour(
                adressage=adressage, corrige=corrige, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Brouillon de retour enregistré."))
            return redirect(f"{adressage.get_absolute_url()}#retour-{retour.pk}")
    return render(request, "forem_liaison/retour_form.html", {"form": form, "adressage": adressage, "corrige": corrige})


@staff_required
def retour_edit(request, pk):
    retour = get_object_for(request, RetourAdressage.objects.select_related("adressage"), pk)
    if retour.is_published:
        messages.error(request, _("Un retour publié ne peut plus être modifié : publiez une correction."))
        return redirect(retour.adressage.get_absolute_url())
    form = RetourForm(request.POST or None, instance=retour)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_retour(retour=retour, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Brouillon mis à jour."))
            return redirect(retour.adressage.get_absolute_url())
    return render(
        request, "forem_liaison/retour_form.html", {"form": form, "adressage": retour.adressage, "retour": retour}
    )


@staff_required
def retour_refus(request, pk):
    """Staff review what the adviser will read of each decline of a draft's period (the worker's words as typed
    stay beside it, for the agency)."""
    retour = get_object_for(request, RetourAdressage.objects.select_related("adressage"), pk)
    if retour.is_published:
        messages.error(request, _("Un retour publié ne peut plus être modifié : publiez une correction."))
        return redirect(retour.adressage.get_absolute_url())
    worker = retour.adressage.prestataire_id
    rows = list(declines(worker, retour.periode_debut, retour.periode_fin)) if worker else []
    errors = {}
    if request.method == "POST":
        motifs = {a.pk: request.POST.get(f"motif-{a.pk}", "") for a in rows}
        try:
            services.review_decline_reasons(retour=retour, motifs=motifs, acting_user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Motifs transmis au service de l'emploi enregistrés."))
            return redirect(f"{retour.adressage.get_absolute_url()}#retour-{retour.pk}")
    refus = [
        {
            "affectation": a,
            "valeur": request.POST.get(f"motif-{a.pk}", "")
            if request.method == "POST"
            else a.motif_transmis or a.motif_refus,
            "errors": errors.get(f"motif-{a.pk}", []),
        }
        for a in rows
    ]
    return render(
        request, "forem_liaison/retour_refus.html", {"retour": retour, "adressage": retour.adressage, "refus": refus}
    )


@require_POST
@staff_required
def retour_publish(request, pk):
    retour = get_object_for(request, RetourAdressage.objects.select_related("adressage"), pk)
    try:
        services.publish_retour(retour=retour, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Retour publié : le conseiller ou la conseillère est prévenu·e par e-mail."))
    return redirect(retour.adressage.get_absolute_url())


@require_POST
@role_required(STAFF, Role.CONSEILLER)
def retour_reply(request, pk):
    retour = get_object_for(request, RetourAdressage.objects.select_related("adressage"), pk)
    form = ReponseForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_retour(retour=retour, texte=form.cleaned_data["texte"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Réponse envoyée."))
    else:
        messages.error(request, _("Écrivez votre réponse (2000 caractères au plus)."))
    return redirect(f"{retour.adressage.get_absolute_url()}#retour-{retour.pk}")


@prestataire_required
def mes_retours(request):
    """The worker reads, in the same words, everything the adviser's portal and the API read about them."""
    adressages = selectors.forem_file_of_worker(request.user)
    return render(request, "forem_liaison/mes_retours.html", {"adressages": adressages})


def _paginated(request, adressages) -> dict:
    """The page of referrals asked for, and the filters' query string for the page links."""
    page = Paginator(adressages, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"adressages": page.object_list, "page": page, "query": query.urlencode()}
