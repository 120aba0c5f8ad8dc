from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ale_platform import undo
from ale_platform.access import client_required, require_agence, staff_required
from ale_platform.confirm import ask_first
from ale_platform.dates import short_date
from ale_platform.exports import FORMATS, Column, export_response
from ale_platform.french import elide
from ale_platform.history import history_entries
from ale_platform.languages import recipient_language
from ale_platform.models import Agence
from ale_platform.paging import paginate
from ale_platform.pdf import pdf_response
from ale_platform.privacy.access_log import Vue, log_read
from ale_platform.privacy.models import TypePersonne
from ale_platform.scoping import get_object_for, scoped

from . import services
from .calendrier import a_year_later, jours_feries
from .extensions import client_prestations, client_yearly_statement, demande_sessions, demande_timeline, next_sessions
from .filters import DemandeFilter, UtilisateurFilter
from .forms import (
    AnnulationForm,
    AutorisationForm,
    ContactForm,
    DemandeForm,
    DeplacementForm,
    InscriptionForm,
    InvitationForm,
    ParametresForm,
    ProfilForm,
    SiteForm,
    StatutForm,
    UtilisateurForm,
)
from .models import Creneau, Demande, Inscription, Invitation, ParametresUtilisateurs, Utilisateur
from .selectors import (
    autorisations_expiring,
    client_check,
    registration_blocker,
    staff_registration_problem,
    with_registration_state,
)

# --- staff: the client file -----------------------------------------------------------------------


FILES = Utilisateur.objects.select_related("agence")


def _filtered_utilisateurs(request):
    agence = require_agence(request)
    base = with_registration_state(Utilisateur.objects.for_staff(request))
    return UtilisateurFilter(request.GET or None, queryset=base, agence=agence)


@staff_required
def utilisateur_list(request):
    filterset = _filtered_utilisateurs(request)
    return render(
        request,
        "utilisateurs/list.html",
        {"filter": filterset, "utilisateurs": filterset.qs, "querystring": request.GET.urlencode()},
    )


def _etat_inscription(u) -> str:
    return _("En ordre") if u.inscrit else (_("À valider") if u.inscription_en_attente else _("Absente"))


@staff_required
def utilisateur_export(request, fmt="csv"):
    """The filtered list as CSV (semicolons and a BOM: Excel in French opens it as it is) or XLSX."""
    filterset = _filtered_utilisateurs(request)
    columns = [
        Column(_("Nom"), lambda u: u.nom),
        Column(_("Prénom"), lambda u: u.prenom),
        Column(_("Type"), lambda u: u.get_type_display()),
        Column(_("NISS / BCE"), lambda u: u.identifiant),
        Column(_("Adresse"), lambda u: u.rue),
        Column(_("Commune"), lambda u: f"{u.code_postal} {u.commune}"),
        Column(_("E-mail"), lambda u: u.email),
        Column(_("Téléphone"), lambda u: u.telephone),
        Column(_("Inscription de l'année"), _etat_inscription),
    ]
    rows = list(filterset.qs)
    log_read(
        request, vue=Vue.EXPORT_LISTE, agence=require_agence(request), kind=TypePersonne.UTILISATEUR, nombre=len(rows)
    )
    return export_response(rows, columns, "utilisateurs", fmt)


@staff_required
def utilisateur_create(request):
    agence = require_agence(request)
    form = UtilisateurForm(request.POST or None, agence=agence)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            utilisateur = form.save(commit=False)
            utilisateur.agence = agence
            utilisateur.save()
        messages.success(request, elide(_("Le dossier de %(nom)s est créé.") % {"nom": utilisateur}))
        return redirect("utilisateurs:detail", pk=utilisateur.pk)
    return render(request, "utilisateurs/form.html", {"form": form, "title": _("Nouvel utilisateur")})


@staff_required
def utilisateur_edit(request, pk):
    utilisateur = get_object_for(request, FILES, pk)
    form = UtilisateurForm(request.POST or None, instance=utilisateur, agence=utilisateur.agence)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le dossier est mis à jour."))
        return redirect("utilisateurs:detail", pk=utilisateur.pk)
    return render(
        request,
        "utilisateurs/form.html",
        {"form": form, "title": _("Modifier %(nom)s") % {"nom": utilisateur}, "utilisateur": utilisateur},
    )


@staff_required
def utilisateur_detail(request, pk):
    utilisateur = get_object_for(request, FILES, pk)
    today = timezone.localdate()
    log_read(request, vue=Vue.FICHE, agence=utilisateur.agence, kind=TypePersonne.UTILISATEUR, obj=utilisateur)
    return render(
        request,
        "utilisateurs/detail.html",
        {
            "utilisateur": utilisateur,
            "today": today,
            "sites": utilisateur.sites.all(),
            "contacts": utilisateur.contacts.all(),
            "inscriptions": utilisateur.inscriptions.all(),
            "autorisations": utilisateur.autorisations.select_related("activite"),
            "demandes": utilisateur.demandes.select_related("activite")[:20],
            "registration_problem": staff_registration_problem(utilisateur, today),
            "invitation_form": InvitationForm(initial={"email": utilisateur.email}),
            "invitations": utilisateur.invitations.all()[:5],
            "history": history_entries(utilisateur),
        },
    )


def _child_form(request, pk, form_class, title, success):
    utilisateur = get_object_for(request, FILES, pk)
    form = form_class(request.POST or None, utilisateur=utilisateur)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.utilisateur = utilisateur
        obj.save()
        messages.success(request, success)
        return redirect("utilisateurs:detail", pk=utilisateur.pk)
    return render(request, "utilisateurs/form.html", {"form": form, "title": title, "utilisateur": utilisateur})


@staff_required
def site_add(request, pk):
    return _child_form(request, pk, SiteForm, _("Ajouter un site"), _("Le site est ajouté."))


class _ContactForm(ContactForm):
    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)


@staff_required
def contact_add(request, pk):
    return _child_form(request, pk, _ContactForm, _("Ajouter une personne de contact"), _("Le contact est ajouté."))


@staff_required
def inscription_add(request, pk):
    return _child_form(
        request, pk, InscriptionForm, _("Enregistrer une inscription annuelle"), _("L'inscription est enregistrée.")
    )


@require_POST
@staff_required
def inscription_validate(request, pk):
    inscription = get_object_for(request, Inscription, pk, write=True)
    paid = request.POST.get("payee") == "1"
    services.validate_registration(
        inscription=inscription, payee_le=timezone.localdate() if paid else None, acting_user=request.user
    )
    messages.success(request, _("L'inscription %(annee)s est validée.") % {"annee": inscription.annee})
    return redirect("utilisateurs:detail", pk=inscription.utilisateur_id)


@staff_required
def autorisation_add(request, pk):
    utilisateur = get_object_for(request, FILES, pk)
    form = AutorisationForm(request.POST or None, utilisateur=utilisateur)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_autorisation(utilisateur=utilisateur, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'autorisation est enregistrée."))
            return redirect("utilisateurs:detail", pk=utilisateur.pk)
    return render(
        request,
        "utilisateurs/form.html",
        {"form": form, "title": _("Ajouter une autorisation"), "utilisateur": utilisateur},
    )


@staff_required
def parametres(request):
    """The agency's settings for client requests; only its administrators change them."""
    agence = require_agence(request)
    if not Agence.objects.administered_by(request.user).filter(pk=agence.pk).exists():
        raise PermissionDenied
    instance = ParametresUtilisateurs.for_agence(agence)
    form = ParametresForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Les paramètres sont enregistrés."))
        return redirect("utilisateurs:parametres")
    return render(
        request,
        "utilisateurs/form.html",
        {"form": form, "title": _("Paramètres des demandes — %(agence)s") % {"agence": agence}},
    )


@staff_required
def autorisations_expirant(request):
    agence = require_agence(request)
    return render(
        request, "utilisateurs/expirant.html", {"autorisations": autorisations_expiring(agence), "agence": agence}
    )


@require_POST
@staff_required
def invite(request, pk):
    utilisateur = get_object_for(request, FILES, pk)
    form = InvitationForm(request.POST)
    if utilisateur.compte_id is not None:
        messages.error(request, _("Ce dossier est déjà relié à un compte en ligne."))
    elif form.is_valid():
        services.invite_client(
            utilisateur=utilisateur,
            email=form.cleaned_data["email"],
            acting_user=request.user,
            base_url=request.build_absolute_uri("/")[:-1],
        )
        messages.success(request, _("L'invitation est envoyée à %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Adresse e-mail invalide : l'invitation n'est pas envoyée."))
    return redirect("utilisateurs:detail", pk=utilisateur.pk)


# --- staff: requests -----------------------------------------------------------------------------


@staff_required
def demande_list(request):
    agence = require_agence(request)
    base = Demande.objects.for_staff(request).select_related("utilisateur", "activite")
    filterset = DemandeFilter(request.GET or None, queryset=base, agence=agence)
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Reçue le"), lambda d: d.created_at),
            Column(_("Utilisateur"), lambda d: str(d.utilisateur)),
            Column(_("Activité"), lambda d: d.activite.nom),
            Column(_("Description"), lambda d: d.description),
            Column(_("Statut"), lambda d: d.get_statut_display()),
        ]
        return export_response(filterset.qs, columns, "demandes", request.GET["format"])
    paging = paginate(request, filterset.qs)
    return render(
        request,
        "utilisateurs/demande_list.html",
        {"filter": filterset, "demandes": paging["page"].object_list, **paging},
    )


@staff_required
def staff_demande_create(request, pk):
    """Staff record a request for a client who is not online; the request and its history name them."""
    utilisateur = get_object_for(request, FILES, pk)
    return _booking(request, utilisateur, staff=True)


@staff_required
def staff_demande_detail(request, pk):
    demande = get_object_for(request, Demande.objects.select_related("utilisateur", "activite", "site"), pk)
    form = StatutForm(request.POST or None, demande=demande)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_statut(demande=demande, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le statut est mis à jour."))
            return redirect("utilisateurs:staff_demande", pk=demande.pk)
    context = _demande_context(demande)
    planned = [s for s in context["sessions"] if s.prestation is not None and not s.annulee]
    if demande.is_open and not planned and demande.affectations.actives().exists():
        dates = [c.date for c in demande.creneaux.actifs()]
        context["plan_warning"] = client_check(demande.utilisateur, demande.activite, dates).problems or [
            _("Aucune séance n'est planifiée : lancez « Planifier la série » depuis la recherche de prestataires.")
        ]
    return render(
        request,
        "utilisateurs/staff_demande.html",
        {**context, "form": form, "history": history_entries(demande)},
    )


def _demande_context(demande, *, can_cancel=None):
    sessions = demande_sessions(demande, can_cancel=can_cancel)
    return {
        "demande": demande,
        "sessions": sessions,
        "timeline": demande_timeline(demande),
        "prenoms": sorted(
            {s.prestation.prestataire.prenom for s in sessions if s.prestation is not None and not s.annulee}
        ),
    }


# --- client --------------------------------------------------------------------------------------


def _client_utilisateur(request):
    return scoped(request, FILES).first()


@client_required
def espace(request):
    utilisateur = _client_utilisateur(request)
    if utilisateur is None:
        return render(request, "utilisateurs/espace.html", {"utilisateur": None})
    today = timezone.localdate()
    demandes = list(scoped(request, Demande).select_related("activite", "agence")[:30])
    open_demandes = [d for d in demandes if d.is_open]
    prefetch_related_objects(open_demandes, "creneaux")
    prochaines = next_sessions(open_demandes) if open_demandes else {}
    for demande in demandes:
        demande.prochaine = prochaines.get(demande.pk)
    # This year's and next year's registrations in one read, shared by the facts and the booking rule.
    inscriptions = list(utilisateur.inscriptions.filter(annee__in=[today.year, today.year + 1]))
    by_year = {i.annee: i for i in inscriptions}
    return render(
        request,
        "utilisateurs/espace.html",
        {
            "utilisateur": utilisateur,
            "today": today,
            "inscription": by_year.get(today.year),
            "next_year": today.year + 1,
            "next_inscription": by_year.get(today.year + 1),
            "registration_problem": registration_blocker(utilisateur, today, inscriptions),
            "autorisations": utilisateur.autorisations.select_related("activite"),
            "demandes": demandes,
            "prestations": client_prestations(utilisateur, limit=50),
            "years": sorted({today.year, today.year - 1}, reverse=True),
        },
    )


@client_required
def profil(request):
    """A new online client completes their file; this asks the chosen agency for this year's registration."""
    if _client_utilisateur(request) is not None:
        messages.info(request, _("Votre dossier existe déjà : l'agence le met à jour pour vous."))
        return redirect("utilisateurs:espace")
    form = ProfilForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            utilisateur = form.save(commit=False)
            utilisateur.agence = form.cleaned_data["agence"]
            utilisateur.compte = request.user
            utilisateur.langue = recipient_language(request.user)
            utilisateur.save()
            services.request_registration(utilisateur=utilisateur, acting_user=request.user)
        messages.success(
            request,
            _("Merci ! Votre demande d'inscription est envoyée à %(agence)s, qui la validera.")
            % {"agence": utilisateur.agence},
        )
        return redirect("utilisateurs:espace")
    return render(request, "utilisateurs/profil.html", {"form": form})


@require_POST
@client_required
def renouveler(request):
    utilisateur = _client_utilisateur(request)
    if utilisateur is None:
        raise Http404
    this_year = timezone.localdate().year
    annee = this_year + 1 if request.POST.get("annee") == str(this_year + 1) else this_year
    services.request_registration(utilisateur=utilisateur, acting_user=request.user, annee=annee)
    messages.success(
        request, _("Votre demande d'inscription pour %(annee)s est envoyée à l'agence.") % {"annee": annee}
    )
    return redirect("utilisateurs:espace")


@client_required
def reserver(request):
    utilisateur = _client_utilisateur(request)
    if utilisateur is None:
        return redirect("utilisateurs:profil")
    return _booking(request, utilisateur, staff=False)


def _booking(request, utilisateur, *, staff):
    form = DemandeForm(request.POST or None, utilisateur=utilisateur)
    detail = "utilisateurs:staff_demande" if staff else "utilisateurs:demande"
    if request.method == "POST":
        cle = request.POST.get("cle", "")
        already = (
            scoped(request, Demande).filter(utilisateur=utilisateur, cle_idempotence=cle).first()
            if _is_uuid(cle)
            else None
        )
        if already is not None:
            messages.info(request, _("Cette demande est déjà enregistrée (envoi en double ignoré)."))
            return redirect(detail, pk=already.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                demande = services.create_demande(
                    utilisateur=utilisateur,
                    activite=data["activite"],
                    description=data["description"],
                    nombre_prestataires=data["nombre_prestataires"],
                    creneaux=form.creneaux,
                    cle_idempotence=data["cle"],
                    acting_user=request.user,
                    site=data["site"],
                    demande_autorisation=data["demande_autorisation"],
                    recurrence=form.recurrence,
                )
            except services.DuplicateSubmit as dup:
                if dup.demande.utilisateur_id != utilisateur.pk:
                    raise Http404 from None
                messages.info(request, _("Cette demande est déjà enregistrée (envoi en double ignoré)."))
                return redirect(detail, pk=dup.demande.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                n = len(form.creneaux)
                text = ngettext(
                    "Votre demande est enregistrée (%(n)s date).", "Votre demande est enregistrée (%(n)s dates).", n
                ) % {"n": n}
                if form.occurrences and form.occurrences.feries:
                    text += " " + _("Jours fériés exclus : %(jours)s.") % {
                        "jours": ", ".join(f"{short_date(d)} ({name})" for d, name in form.occurrences.feries)
                    }
                messages.success(request, text)
                return redirect(detail, pk=demande.pk)
    today = timezone.localdate()
    return render(
        request,
        "utilisateurs/reserver.html",
        {
            "form": form,
            "utilisateur": utilisateur,
            "staff": staff,
            "registration_problem": registration_blocker(utilisateur, today),
            "feries": jours_feries(today, a_year_later(today)).items(),
            "skipped": form.occurrences,
        },
    )


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@client_required
def demande_detail(request, pk):
    demande = get_object_for(request, Demande.objects.select_related("activite", "site", "agence"), pk)
    delai = ParametresUtilisateurs.for_agence(demande.agence).delai_annulation_heures
    now = timezone.now()
    context = _demande_context(demande, can_cancel=services.can_cancel)
    upcoming = [c for c in demande.creneaux.actifs() if c.starts_at > now]
    context.update(
        delai=delai,
        annulation_form=AnnulationForm(),
        can_cancel_all=demande.is_open and all(services.can_cancel(c, now) for c in upcoming),
    )
    return render(request, "utilisateurs/demande.html", context)


@require_POST
@client_required
def demande_annuler(request, pk):
    demande = get_object_for(request, Demande, pk, write=True)
    page = ask_first(
        request,
        question=_("Annuler toute la demande ?"),
        consequences=[
            _("Toutes les dates à venir de la demande sont annulées ; les prestataires planifié·es sont prévenu·es."),
            _(
                "Vous pourrez revenir en arrière pendant 15 minutes ; ensuite, pour reprendre la demande, faites "
                "une nouvelle demande ou téléphonez à l'agence."
            ),
        ],
        confirm_label=_("Oui, annuler la demande"),
        keep_label=_("Non, garder la demande"),
        back_url=reverse("utilisateurs:demande", args=[demande.pk]),
    )
    if page:
        return page
    form = AnnulationForm(request.POST)
    form.is_valid()
    try:
        demande = services.cancel_demande(
            demande=demande, motif=form.cleaned_data.get("motif", ""), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Votre demande est annulée."))
        url = reverse("utilisateurs:demande_annuler_undo", args=[demande.pk])
        undo.offer(request, url=url, state=demande.undo_state)
    return redirect("utilisateurs:demande", pk=demande.pk)


@require_POST
@client_required
def demande_annuler_undo(request, pk):
    demande = get_object_for(request, Demande, pk, write=True)
    undo.perform(
        request,
        lambda state: services.undo_cancel_demande(demande=demande, state=state, acting_user=request.user),
        success=_("Annulation annulée : votre demande est rétablie."),
    )
    return redirect("utilisateurs:demande", pk=demande.pk)


@client_required
def creneau_annuler(request, pk):
    """Cancelling a date asks first: the page says what happens to the worker planned for it."""
    creneau = get_object_for(request, Creneau.objects.select_related("demande__activite"), pk, write=True)
    if request.method == "POST":
        try:
            services.cancel_creneau(creneau=creneau, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("La séance du %(date)s est annulée.") % {"date": short_date(creneau.date)})
        return redirect("utilisateurs:demande", pk=creneau.demande_id)
    demande = creneau.demande
    session = next((s for s in demande_sessions(demande) if s.creneau == creneau), None)
    others = demande.creneaux.actifs().exclude(pk=creneau.pk).exists()
    return render(
        request,
        "utilisateurs/annuler.html",
        {
            "creneau": creneau,
            "demande": demande,
            "session": session,
            "last_one": not others,
            "can_cancel": services.can_cancel(creneau) and demande.is_open,
            "delai": ParametresUtilisateurs.for_agence(demande.agence).delai_annulation_heures,
        },
    )


@client_required
def creneau_deplacer(request, pk):
    creneau = get_object_for(request, Creneau.objects.select_related("demande__activite"), pk, write=True)
    initial = {"date": creneau.date, "debut": creneau.debut, "fin": creneau.fin}
    form = DeplacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_creneau(creneau=creneau, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("La séance est déplacée au %(date)s.") % {"date": short_date(creneau.date)})
            return redirect("utilisateurs:demande", pk=creneau.demande_id)
    return render(request, "utilisateurs/deplacer.html", {"form": form, "creneau": creneau})


@client_required
def releve(request, year):
    """The yearly statement of prestations (and vouchers when the vouchers app records them), as PDF."""
    utilisateur = _client_utilisateur(request)
    if utilisateur is None or not 2000 <= year <= 2100:
        raise Http404
    context = {
        "utilisateur": utilisateur,
        "agence": utilisateur.agence,
        "year": year,
        "now": timezone.localtime(),
        **client_yearly_statement(utilisateur, year),
    }
    return pdf_response("utilisateurs/releve.html", context, f"releve-ale-{year}", attachment=True)


@client_required
def invitation(request, token):
    invitation = Invitation.objects.select_related("utilisateur__agence").filter(token=token).first()
    if invitation is None or invitation.email.lower() != request.user.email.lower():
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.claim_invitation(invitation=invitation, acting_user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Votre compte est relié à votre dossier. Bienvenue !"))
            return redirect("utilisateurs:espace")
    elif _client_utilisateur(request) is not None:
        error = _("Votre compte est déjà relié à un dossier.")
    elif not invitation.is_usable:
        error = _("Cette invitation a expiré ou a déjà été utilisée. Demandez-en une nouvelle.")
    return render(request, "utilisateurs/invitation.html", {"invitation": invitation, "error": error})
