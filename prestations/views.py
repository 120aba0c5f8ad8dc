"""Views of the prestations app: thin, scoped through `for_user`, writes through `services`."""

import calendar
import datetime
import secrets
import zoneinfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from ale_platform.access import client_required, prestataire_required, require_agence, staff_required
from ale_platform.exports import FORMATS, Column, export_response
from ale_platform.history import history_entries
from prestataires.models import OrganismePaiement, Prestataire
from utilisateurs.selectors import covering_cheques

from . import frais, imports, pdf, selectors, services
from .filters import ARegulariserFilter, ChequeFilter, PrestationFilter
from .forms import (
    AbsenceForm,
    AnnulerForm,
    AttacherChequesForm,
    ChequeForm,
    ChequeStatutForm,
    DeplacerForm,
    DistanceForm,
    HeuresForm,
    ImportChequesForm,
    MoisForm,
    PrestationForm,
    add_service_errors,
)
from .matching import availability_warning
from .meters import hour_meters
from .models import ChequeALE, GenerationFormulaires, JetonCalendrier, Prestation
from .tasks import generer_formulaires_du_mois

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _agence_prestations(request):
    agence = require_agence(request)
    return agence, Prestation.objects.for_user(request.user).filter(agence=agence)


def _prestation_for_staff(request, pk):
    _agence, qs = _agence_prestations(request)
    return get_object_or_404(
        qs.select_related("prestataire", "utilisateur", "activite", "agence", "created_by", "validee_par"), pk=pk
    )


# ------------------------------------------------------------------------------------------------ staff: hours


@staff_required
def prestation_list(request):
    agence, qs = _agence_prestations(request)
    filterset = PrestationFilter(
        request.GET, queryset=qs.select_related("prestataire", "utilisateur", "activite"), request=request
    )
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Référence"), lambda p: p.reference),
            Column(_("Date"), lambda p: p.date),
            Column(_("Début"), lambda p: p.debut.strftime("%H:%M")),
            Column(_("Fin"), lambda p: p.fin.strftime("%H:%M")),
            Column(_("Prestataire"), lambda p: str(p.prestataire)),
            Column(_("Utilisateur"), lambda p: str(p.utilisateur)),
            Column(_("Activité"), lambda p: p.activite.nom),
            Column(_("Heures"), lambda p: float(p.heures) if p.heures is not None else ""),
            Column(_("Statut"), lambda p: p.get_statut_display()),
        ]
        return export_response(filterset.qs.order_by("-date", "-debut"), columns, "prestations", request.GET["format"])
    rows = filterset.qs.order_by("-date", "-debut")[:300]
    return render(request, "prestations/list.html", {"filter": filterset, "prestations": rows, "agence": agence})


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
        **_frais_context(prestation),
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
@require_POST
def prestation_distance(request, pk):
    def call(prestation, form):
        frais.set_distance(
            prestation=prestation, distance_km=form.cleaned_data["distance_km"], acting_user=request.user
        )

    return _action(request, pk, DistanceForm, "distance_form", call, _("Distance enregistrée."))


@staff_required
def prestation_detail(request, pk):
    prestation = _prestation_for_staff(request, pk)
    return render(request, "prestations/detail.html", _detail_context(request, prestation))


def _action(request, pk, form_class, form_name, call, success):
    prestation = _prestation_for_staff(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
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
            reason="Heures encodées",
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
            reason=form.cleaned_data["motif"],
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
        services.cancel_prestation(prestation=prestation, acting_user=request.user, reason=form.cleaned_data["motif"])

    return _action(request, pk, AnnulerForm, "annuler_form", call, _("Prestation annulée."))


@staff_required
@require_POST
def prestation_no_show(request, pk):
    def call(prestation, form):
        services.record_no_show(
            prestation=prestation,
            acting_user=request.user,
            absence_de=form.cleaned_data["absence_de"],
            reason=form.cleaned_data["motif"],
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


# ------------------------------------------------------------------------------------------------ staff: planning


def _period(request):
    vue = "mois" if request.GET.get("vue") == "mois" else "semaine"
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    if vue == "mois":
        start = day.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        prev_day = (start - datetime.timedelta(days=1)).replace(day=1)
        next_day = end + datetime.timedelta(days=1)
    else:
        start = day - datetime.timedelta(days=day.weekday())
        end = start + datetime.timedelta(days=6)
        prev_day, next_day = start - datetime.timedelta(days=7), start + datetime.timedelta(days=7)
    return vue, start, end, prev_day, next_day


def _planning(request, qs, template, extra):
    vue, start, end, prev_day, next_day = _period(request)
    # Cancelled slots clutter the week: hidden unless asked for.
    annulees = request.GET.get("annulees") == "1"
    if not annulees:
        qs = qs.exclude(statut=Prestation.Statut.ANNULEE)
    rows = list(
        qs.filter(date__range=(start, end))
        .select_related("prestataire", "utilisateur", "activite")
        .order_by("date", "debut")
    )
    days = []
    day = start
    while day <= end:
        days.append((day, [p for p in rows if p.date == day]))
        day += datetime.timedelta(days=1)
    context = {
        "vue": vue,
        "annulees": annulees,
        "start": start,
        "end": end,
        "prev_day": prev_day,
        "next_day": next_day,
        "days": days,
        "total": sum((p.heures for p in rows if p.statut in selectors.PRESTEES or p.statut == "planifiee"), 0),
    }
    context.update(extra)
    return render(request, template, context)


@staff_required
def planning_agence(request):
    agence, qs = _agence_prestations(request)
    return _planning(request, qs, "prestations/planning.html", {"agence": agence, "titre": agence.nom})


@staff_required
def planning_prestataire(request, pk):
    agence = require_agence(request)
    prestataire = get_object_or_404(Prestataire.objects.for_user(request.user).filter(agence=agence), pk=pk)
    jeton = JetonCalendrier.objects.filter(prestataire=prestataire).first()
    qs = Prestation.objects.for_user(request.user).filter(prestataire=prestataire)
    ical_url = request.build_absolute_uri(reverse("prestations:ical", args=[jeton.jeton])) if jeton else None
    return _planning(
        request,
        qs,
        "prestations/planning.html",
        {"prestataire": prestataire, "titre": str(prestataire), "ical_url": ical_url},
    )


@staff_required
@require_POST
def ical_token(request, pk):
    """Creates the worker's secret calendar URL, or replaces it (the old URL stops working)."""
    agence = require_agence(request)
    prestataire = get_object_or_404(Prestataire.objects.for_user(request.user).filter(agence=agence), pk=pk)
    JetonCalendrier.objects.update_or_create(prestataire=prestataire, defaults={"jeton": secrets.token_urlsafe(32)})
    messages.success(request, _("Nouvelle adresse de calendrier créée : l'ancienne ne fonctionne plus."))
    return redirect("prestations:planning_prestataire", pk=pk)


def ical_feed(request, token):
    """The worker's calendar (iCal). The secret token in the URL is the only credential; revocable by staff."""
    jeton = JetonCalendrier.objects.filter(jeton=token).select_related("prestataire").first()
    if jeton is None:
        raise Http404
    cal = Calendar()
    cal.add("prodid", "-//ALE Platform//prestations//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Prestations ALE — %(p)s") % {"p": jeton.prestataire})
    since = timezone.localdate() - datetime.timedelta(days=60)
    qs = (
        Prestation.objects.filter(prestataire=jeton.prestataire, date__gte=since)
        .exclude(statut=Prestation.Statut.ANNULEE)
        .select_related("utilisateur", "activite")
    )
    for p in qs:
        event = Event()
        event.add("uid", f"prestation-{p.pk}@ale-platform")
        event.add("summary", f"{p.activite} — {p.utilisateur}")
        event.add("dtstart", datetime.datetime.combine(p.date, p.debut, tzinfo=BRUSSELS))
        event.add("dtend", datetime.datetime.combine(p.date, p.fin, tzinfo=BRUSSELS))
        event.add("dtstamp", timezone.now())
        event.add("location", f"{p.utilisateur.rue}, {p.utilisateur.code_postal} {p.utilisateur.commune}")
        event.add("status", "CONFIRMED" if p.statut != Prestation.Statut.ABSENCE else "CANCELLED")
        cal.add_component(event)
    # Times say TZID=Europe/Brussels: without its VTIMEZONE definition, Outlook shifts them.
    cal.add_missing_timezones()
    return HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")


# ------------------------------------------------------------------------------------------------ staff: vouchers


@staff_required
def cheque_list(request):
    agence = require_agence(request)
    qs = ChequeALE.objects.for_user(request.user).filter(agence=agence).select_related("utilisateur", "prestation")
    filterset = ChequeFilter(request.GET, queryset=qs, request=request)
    if request.GET.get("format") in FORMATS:
        columns = [
            Column(_("Numéro"), lambda c: c.numero or ""),
            Column(_("Type"), lambda c: c.type),
            Column(_("Nominatif"), lambda c: "oui" if c.nominatif else "non"),
            Column(_("Utilisateur"), lambda c: str(c.utilisateur) if c.utilisateur_id else ""),
            Column(_("Valeur"), lambda c: float(c.valeur)),
            Column(_("Quantité"), lambda c: c.quantite),
            Column(_("Statut"), lambda c: c.statut),
            Column(_("Prestation"), lambda c: c.prestation.reference if c.prestation else ""),
        ]
        return export_response(filterset.qs, columns, "cheques-ale", request.GET["format"])
    return render(request, "prestations/cheques.html", {"filter": filterset, "cheques": filterset.qs[:300]})


@staff_required
def cheque_create(request):
    agence = require_agence(request)
    form = ChequeForm(request.POST or None, agence=agence)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cheque = services.enregistrer_cheque(
                agence=agence,
                numero=data["numero"],
                utilisateur=data["utilisateur"],
                nominatif=data["nominatif"],
                valeur=data["valeur"],
                statut=data["statut"],
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
    agence = require_agence(request)
    cheque = get_object_or_404(
        ChequeALE.objects.for_user(request.user).filter(agence=agence).select_related("utilisateur", "prestation"),
        pk=pk,
    )
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
    agence, qs = _agence_prestations(request)
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


@staff_required
def cheque_import(request):
    agence = require_agence(request)
    form = ImportChequesForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        text = form.text()
        if request.POST.get("action") == "importer":
            try:
                count = imports.commit(text, agence, request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, ngettext("%(n)s chèque importé.", "%(n)s chèques importés.", count) % {"n": count}
                )
                return redirect("prestations:cheques")
        lignes, file_errors = imports.parse(text, agence)
        context.update(
            lignes=lignes,
            file_errors=file_errors,
            n_errors=sum(1 for ligne in lignes if ligne.errors),
            contenu=text,
            preview=True,
        )
    return render(request, "prestations/cheque_import.html", context)


# ------------------------------------------------------------------------------------------------ staff: forms


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
    releves = [(code, label) for code, label in OrganismePaiement.choices]
    generations = GenerationFormulaires.objects.filter(agence=agence)[:5]
    return render(
        request,
        "prestations/formulaires.html",
        {"form": form, "mois": mois, "workers": workers, "releves": releves, "generations": generations},
    )


@staff_required
def formulaire_pdf(request, pk, year, month):
    agence = require_agence(request)
    if not 1 <= month <= 12:
        raise Http404
    prestataire = get_object_or_404(
        Prestataire.objects.for_user(request.user).filter(agence=agence).select_related("agence"), pk=pk
    )
    content = pdf.formulaire_pdf(prestataire, year, month)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.formulaire_filename(prestataire, year, month)}"'
    return response


@staff_required
def releve_pdf(request, organisme, year, month):
    agence = require_agence(request)
    if organisme not in OrganismePaiement.values or not 1 <= month <= 12:
        raise Http404
    response = HttpResponse(pdf.releve_pdf(agence, organisme, year, month), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="releve-{organisme}-{year}-{month:02d}.pdf"'
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
    generer_formulaires_du_mois.enqueue(generation.pk)
    return redirect("prestations:generation", pk=generation.pk)


def _generation(request, pk):
    agence = require_agence(request)
    return get_object_or_404(GenerationFormulaires.objects.filter(agence=agence), pk=pk)


@staff_required
def generation_detail(request, pk):
    generation = _generation(request, pk)
    template = "prestations/_generation.html" if request.htmx else "prestations/generation.html"
    return render(request, template, {"generation": generation})


@staff_required
def generation_zip(request, pk):
    generation = _generation(request, pk)
    if generation.statut != "terminee" or not generation.fichier:
        raise Http404
    return FileResponse(
        default_storage.open(generation.fichier, "rb"),
        as_attachment=True,
        filename=f"formulaires-ALE4-{generation.mois:%Y-%m}.zip",
    )


# ------------------------------------------------------------------------------------------------ client, worker


@client_required
def client_prestations(request):
    qs = (
        Prestation.objects.for_user(request.user)
        .exclude(statut=Prestation.Statut.ANNULEE)
        .select_related("prestataire", "activite")
        .prefetch_related(Prefetch("cheques", queryset=covering_cheques(), to_attr="cheques_couvrants"))
        .order_by("-date", "-debut")
    )
    today = timezone.localdate()
    return render(request, "prestations/client.html", {"prestations": qs[:100], "today": today})


@client_required
@require_POST
def client_confirm(request, pk):
    prestation = get_object_or_404(Prestation.objects.for_user(request.user), pk=pk)
    try:
        services.confirm_hours(prestation=prestation, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Merci : vous avez confirmé %(h)s h le %(d)s.")
            % {"h": services.fmt_h(prestation.heures), "d": prestation.date.strftime("%d/%m/%Y")},
        )
    return redirect("prestations:client")


@prestataire_required
def mes_prestations(request):
    prestataire = Prestataire.objects.for_user(request.user).first()
    if prestataire is None:
        raise PermissionDenied
    qs = Prestation.objects.for_user(request.user)
    jeton = JetonCalendrier.objects.filter(prestataire=prestataire).first()
    ical_url = request.build_absolute_uri(reverse("prestations:ical", args=[jeton.jeton])) if jeton else None
    return _planning(
        request, qs, "prestations/planning.html", {"titre": str(prestataire), "mine": True, "my_ical_url": ical_url}
    )
