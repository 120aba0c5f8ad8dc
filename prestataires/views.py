from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ale_platform.access import prestataire_required, require_agence, staff_required
from ale_platform.exports import Column, export_response
from ale_platform.french import elide
from ale_platform.history import history_entries
from ale_platform.privacy.access_log import Vue, log_read
from ale_platform.privacy.models import TypePersonne
from ale_platform.scoping import get_object_for, get_own_object, scoped

from . import eligibility, services
from .extensions import monthly_form_pdf, upcoming_prestations, work_after_eligibility
from .forms import (
    AbsenceForm,
    ContratForm,
    DisponibilitesForm,
    DocumentForm,
    EligibiliteDateForm,
    EspaceContactForm,
    PrestataireForm,
    ProfilForm,
    RemarquesForm,
    SignatureForm,
    SituationForm,
    StatutForm,
)
from .models import ContratALE, Document, Prestataire
from .paiement import record_organisme
from .pdf import pdf_response, render_pdf
from .rows import list_rows
from .selectors import generated_documents, meters_for
from .selectors import prestataire_list as select_prestataires

PAGE_SIZE = 25


FILES = Prestataire.objects.select_related("agence")


def _apply_errors(form, exc: ValidationError):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@staff_required
def prestataire_list(request):
    agence = require_agence(request)
    filterset, prestataires, meters = select_prestataires(user=request.user, agence=agence, params=request.GET)
    page = Paginator(prestataires, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if meters is None:
        meters = meters_for(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "prestataires/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(p, meters[p.pk]) for p in rows],
            "lines": list_rows(rows, meters),
            "prestataires": rows,
            "query": query.urlencode(),
        },
    )


@staff_required
def prestataire_export(request, fmt="csv"):
    """The filtered list as CSV (semicolons and a BOM, for Excel in French) or XLSX."""
    agence = require_agence(request)
    _filterset, prestataires, meters = select_prestataires(user=request.user, agence=agence, params=request.GET)
    rows = list(prestataires)
    if meters is None:
        meters = meters_for(rows)
    columns = [
        Column(_("Nom"), lambda p: p.nom),
        Column(_("Prénom"), lambda p: p.prenom),
        Column(_("NISS"), lambda p: p.niss_formate),
        Column(_("Code postal"), lambda p: p.code_postal),
        Column(_("Commune"), lambda p: p.commune),
        Column(_("Statut"), lambda p: p.get_statut_display()),
        Column(_("Langue"), lambda p: p.get_langue_display()),
        Column(_("Mobilité"), lambda p: p.get_mobilite_display()),
        Column(_("Activités"), lambda p: ", ".join(a.nom for a in p.activites.all())),
        Column(_("Heures du mois"), lambda p: float(meters[p.pk].month.used)),
        Column(_("Heures restantes ce mois"), lambda p: float(meters[p.pk].month.left)),
        Column(_("Heures de l'année"), lambda p: float(meters[p.pk].year.used)),
    ]
    log_read(request, vue=Vue.EXPORT_LISTE, agence=agence, kind=TypePersonne.PRESTATAIRE, nombre=len(rows))
    return export_response(rows, columns, "prestataires", fmt)


@staff_required
def prestataire_create(request):
    agence = require_agence(request)
    form = PrestataireForm(request.POST or None, agence=agence)
    if request.method == "POST" and form.is_valid():
        prestataire = form.save()
        record_organisme(
            prestataire=prestataire,
            depuis=form.cleaned_data["organisme_depuis"] or prestataire.date_inscription,
            acting_user=request.user,
        )
        messages.success(request, elide(_("Le dossier de %(nom)s est créé.") % {"nom": prestataire}))
        return redirect("prestataires:detail", pk=prestataire.pk)
    return render(request, "prestataires/form.html", {"form": form, "title": _("Inscrire un·e prestataire")})


@staff_required
def prestataire_edit(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    form = PrestataireForm(request.POST or None, instance=prestataire, agence=prestataire.agence)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_organisme(
            prestataire=prestataire,
            depuis=form.cleaned_data["organisme_depuis"] or timezone.localdate(),
            acting_user=request.user,
        )
        messages.success(request, _("Le dossier est mis à jour."))
        return redirect("prestataires:detail", pk=prestataire.pk)
    return render(
        request,
        "prestataires/form.html",
        {
            "form": form,
            "prestataire": prestataire,
            "title": elide(_("Modifier l'identité de %(nom)s") % {"nom": prestataire}),
        },
    )


@staff_required
def prestataire_detail(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    today = timezone.localdate()
    date_form = EligibiliteDateForm(request.GET or None, initial={"le": today})
    on = date_form.cleaned_data["le"] if date_form.is_bound and date_form.is_valid() else today
    situations = list(prestataire.situations.all())
    context = {
        "prestataire": prestataire,
        "meters": meters_for([prestataire])[prestataire.pk],
        "eligibilite": eligibility.explain(
            prestataire, on, regles=eligibility.rules_of(prestataire.agence.region), situations=situations
        ),
        "situations": situations,
        "after_eligibility": work_after_eligibility(prestataire=prestataire),
        "date_form": date_form,
        "contrats": prestataire.contrats.all(),
        "changements": prestataire.changements_statut.select_related("par"),
        "activites": prestataire.activites.all(),
        "disponibilites": _grid(prestataire),
        "absences": prestataire.absences.filter(fin__gte=today),
        "documents": prestataire.documents.all(),
        "prestations": upcoming_prestations(prestataire, user=request.user, limit=10),
        "history": history_entries(prestataire),
        "can_read_remarques": request.user.is_collaborateur,
    }
    log_read(request, vue=Vue.FICHE, agence=prestataire.agence, kind=TypePersonne.PRESTATAIRE, obj=prestataire)
    return render(request, "prestataires/detail.html", context)


def _grid(prestataire):
    """[(day label, morning?, afternoon?)] for the weekly availability table."""
    from .models import JOURS

    slots = {(d.jour, d.demi_journee) for d in prestataire.disponibilites.all()}
    return [(label, (j, "matin") in slots, (j, "apres_midi") in slots) for j, label in JOURS]


@staff_required
def statut_change(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    form = StatutForm(request.POST or None, prestataire=prestataire, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_statut(prestataire=prestataire, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Le statut est maintenant « %(s)s ».") % {"s": prestataire.get_statut_display()}
            )
            return redirect("prestataires:detail", pk=prestataire.pk)
    return render(
        request, "prestataires/form.html", {"form": form, "prestataire": prestataire, "title": _("Changer le statut")}
    )


@staff_required
def situation_create(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    form = SituationForm(request.POST or None, prestataire=prestataire)
    if request.method == "POST" and form.is_valid():
        form.save()  # an end date tells the worker and staff at once (services.basis_end_recorded)
        messages.success(request, _("La base d'éligibilité est enregistrée."))
        return redirect("prestataires:detail", pk=prestataire.pk)
    return render(
        request,
        "prestataires/form.html",
        {"form": form, "prestataire": prestataire, "title": _("Ajouter une base d'éligibilité")},
    )


@staff_required
def profil_edit(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    form = ProfilForm(request.POST or None, instance=prestataire)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Activités et mobilité enregistrées."))
        return redirect("prestataires:detail", pk=prestataire.pk)
    return render(
        request,
        "prestataires/form.html",
        {"form": form, "prestataire": prestataire, "title": _("Activités, mobilité et formations")},
    )


def _disponibilites_page(request, prestataire, *, back_url, template="prestataires/disponibilites.html", extra=None):
    """Weekly half-days and absences; shared by the staff page and the worker's own space."""
    action = request.POST.get("form") if request.method == "POST" else None
    dispo_form = DisponibilitesForm.for_prestataire(prestataire, request.POST if action == "semaine" else None)
    absence_form = AbsenceForm(request.POST if action == "absence" else None, prestataire=prestataire)
    if action == "semaine" and dispo_form.is_valid():
        services.set_disponibilites(
            prestataire=prestataire, slots=dispo_form.cleaned_data["disponibilites"], acting_user=request.user
        )
        messages.success(request, _("Disponibilités enregistrées."))
        return redirect(back_url)
    if action == "absence" and absence_form.is_valid():
        try:
            services.add_absence(prestataire=prestataire, acting_user=request.user, **absence_form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(absence_form, exc)
        else:
            messages.success(request, _("Absence enregistrée."))
            return redirect(back_url)
    context = {
        "prestataire": prestataire,
        "dispo_form": dispo_form,
        "absence_form": absence_form,
        "absences": prestataire.absences.filter(fin__gte=timezone.localdate()),
        **(extra or {}),
    }
    return render(request, template, context)


@staff_required
def disponibilites_edit(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    return _disponibilites_page(request, prestataire, back_url=request.path)


@staff_required
def contrat_create(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    form = ContratForm(request.POST or None, initial={"date_debut": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            contrat = services.create_contrat(
                prestataire=prestataire, date_debut=form.cleaned_data["date_debut"], acting_user=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Le contrat est prêt : imprimez-le, faites-le signer puis encodez la date."))
            return redirect("prestataires:contrat_sign", pk=prestataire.pk, contrat_pk=contrat.pk)
    on = form.cleaned_data.get("date_debut") if form.is_bound and form.is_valid() else timezone.localdate()
    return render(
        request,
        "prestataires/form.html",
        {
            "form": form,
            "prestataire": prestataire,
            "title": _("Établir le contrat de travail ALE"),
            "eligibilite": eligibility.explain(prestataire, on or timezone.localdate()),
        },
    )


def _get_contrat(request, pk, contrat_pk):
    prestataire = get_object_for(request, FILES, pk)
    return prestataire, get_object_or_404(ContratALE, prestataire=prestataire, pk=contrat_pk)


@staff_required
def contrat_sign(request, pk, contrat_pk):
    prestataire, contrat = _get_contrat(request, pk, contrat_pk)
    form = SignatureForm(request.POST or None, initial={"date_signature": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_contrat(contrat=contrat, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Signature enregistrée."))
            return redirect("prestataires:detail", pk=prestataire.pk)
    return render(
        request, "prestataires/contrat_sign.html", {"form": form, "prestataire": prestataire, "contrat": contrat}
    )


def _pdf_context(prestataire):
    return {"prestataire": prestataire, "agence": prestataire.agence}


@staff_required
def contrat_pdf(request, pk, contrat_pk):
    prestataire, contrat = _get_contrat(request, pk, contrat_pk)
    context = _pdf_context(prestataire) | {"contrat": contrat, "activites": prestataire.activites.all()}
    return pdf_response(
        render_pdf("prestataires/pdf/contrat.html", context, prestataire.langue), f"contrat-ale-{prestataire.pk}.pdf"
    )


@staff_required
def preuve_pdf(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    today = timezone.localdate()
    result = eligibility.explain(prestataire, today)
    bases = [prestataire.accorde_texte(v.base_label) for v in eligibility.applying_verdicts(result)]
    context = _pdf_context(prestataire) | {"bases": bases, "le": today}
    return pdf_response(
        render_pdf("prestataires/pdf/preuve_inscription.html", context, prestataire.langue),
        f"preuve-inscription-{prestataire.pk}.pdf",
    )


@staff_required
def remarques(request, pk):
    """Confidential remarks: the agency's collaborators only (not the superuser, never advisers); reads logged."""
    prestataire = get_object_for(request, FILES, pk)
    if not request.user.is_collaborateur:
        raise PermissionDenied
    form = RemarquesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.update_remarques(
            prestataire=prestataire, texte=form.cleaned_data["remarques_sensibles"], acting_user=request.user
        )
        messages.success(request, _("Remarques confidentielles enregistrées."))
        return redirect("prestataires:detail", pk=prestataire.pk)
    texte = services.read_remarques(prestataire=prestataire, acting_user=request.user)
    if not form.is_bound:
        form = RemarquesForm(initial={"remarques_sensibles": texte})
    lectures = prestataire.lectures_remarques.select_related("user")[:20]
    return render(
        request, "prestataires/remarques.html", {"form": form, "prestataire": prestataire, "lectures": lectures}
    )


@staff_required
def document_upload(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_document(
            prestataire=prestataire,
            acting_user=request.user,
            type=form.cleaned_data["type"],
            titre=form.cleaned_data["titre"],
            fichier=form.cleaned_data["fichier"],
            visible=form.cleaned_data["visible_prestataire"],
        )
        messages.success(request, _("Document ajouté."))
        return redirect("prestataires:detail", pk=prestataire.pk)
    return render(
        request,
        "prestataires/form.html",
        {"form": form, "prestataire": prestataire, "title": _("Ajouter un document"), "multipart": True},
    )


def document_download(request, doc_pk):
    """Streams a document after checking access: the agency's staff, or the worker when it is shared."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    user = request.user
    if not (user.is_collaborateur or user.is_superuser or user.is_prestataire):
        raise PermissionDenied
    documents = Document.objects.select_related("prestataire")
    if user.is_prestataire:
        documents = documents.filter(visible_prestataire=True)
    document = get_object_for(request, documents, doc_pk)
    try:
        handle = document.fichier.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = document.fichier.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def inviter(request, pk):
    prestataire = get_object_for(request, FILES, pk)
    try:
        services.invite_prestataire(
            prestataire=prestataire, acting_user=request.user, base_url=request.build_absolute_uri("/")[:-1]
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": prestataire.email})
    return redirect("prestataires:detail", pk=prestataire.pk)


def _own_file(request):
    return get_own_object(request, FILES)


@prestataire_required
def espace(request):
    prestataire = scoped(request, FILES).first()
    context = {"prestataire": prestataire}
    if prestataire is not None:
        context |= {
            "meters": meters_for([prestataire])[prestataire.pk],
            "bases_ending": eligibility.bases_ending(prestataire, timezone.localdate()),
            "after_eligibility": work_after_eligibility(prestataire=prestataire),
            "prestations": upcoming_prestations(prestataire, user=request.user),
            "documents": prestataire.documents.filter(visible_prestataire=True),
            "generated": generated_documents(prestataire, timezone.localdate()),
            "activites": prestataire.activites.all(),
            "disponibilites": _grid(prestataire),
            "absences": prestataire.absences.filter(fin__gte=timezone.localdate()),
        }
    return render(request, "prestataires/espace.html", context)


@prestataire_required
def espace_edit(request):
    """The worker changes their phone, e-mail and availability; everything else is read-only."""
    prestataire = _own_file(request)
    action = request.POST.get("form") if request.method == "POST" else None
    contact_form = EspaceContactForm(request.POST if action == "contact" else None, instance=prestataire)
    if action == "contact" and contact_form.is_valid():
        with transaction.atomic():
            contact_form.save()
        messages.success(request, _("Vos coordonnées sont enregistrées."))
        return redirect("prestataires:espace")
    return _disponibilites_page(
        request,
        prestataire,
        back_url="prestataires:espace",
        template="prestataires/espace_edit.html",
        extra={"contact_form": contact_form},
    )


# --- worker: the documents the platform generates for them -----------------------------------------


@prestataire_required
def mon_contrat_pdf(request, contrat_pk):
    prestataire = _own_file(request)
    contrat = get_object_or_404(prestataire.contrats.all(), pk=contrat_pk)
    context = _pdf_context(prestataire) | {"contrat": contrat, "activites": prestataire.activites.all()}
    return pdf_response(
        render_pdf("prestataires/pdf/contrat.html", context, prestataire.langue), f"contrat-ale-{prestataire.pk}.pdf"
    )


@prestataire_required
def ma_preuve_pdf(request):
    prestataire = _own_file(request)
    context = _pdf_context(prestataire) | {"situations": prestataire.situations.all()}
    return pdf_response(
        render_pdf("prestataires/pdf/preuve_inscription.html", context, prestataire.langue),
        f"preuve-inscription-{prestataire.pk}.pdf",
    )


@prestataire_required
def mon_formulaire_pdf(request, year, month):
    """The worker's own ALE 4 form of a month they could work (from their first contract to this month)."""
    prestataire = _own_file(request)
    if (year, month) not in {(d.year, d.month) for d in generated_documents(prestataire, timezone.localdate()).mois}:
        raise Http404
    return pdf_response(*monthly_form_pdf(prestataire, year, month))
