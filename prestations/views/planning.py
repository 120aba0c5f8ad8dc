"""The agency's and a worker's planning, and the worker's calendar feed (iCal)."""

import calendar
import datetime
import secrets
import zoneinfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from ale_platform.access import require_agence, staff_required
from ale_platform.scoping import get_object_for
from prestataires.models import Prestataire

from .. import selectors
from ..models import JetonCalendrier, Prestation

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


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


def calendar_url(request, prestataire) -> str | None:
    """The worker's secret iCal address, when one was created."""
    jeton = JetonCalendrier.objects.filter(prestataire=prestataire).first()
    return request.build_absolute_uri(reverse("prestations:ical", args=[jeton.jeton])) if jeton else None


def render_planning(request, qs, template, extra):
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
        "total": sum((p.heures for p in rows if p.statut in (*selectors.PRESTEES, Prestation.Statut.PLANIFIEE)), 0),
    }
    context.update(extra)
    return render(request, template, context)


@staff_required
def planning_agence(request):
    agence, qs = require_agence(request), Prestation.objects.for_staff(request)
    return render_planning(request, qs, "prestations/planning.html", {"agence": agence, "titre": agence.nom})


@staff_required
def planning_prestataire(request, pk):
    prestataire = get_object_for(request, Prestataire, pk)
    qs = Prestation.objects.for_staff(request).filter(prestataire=prestataire)
    ical_url = calendar_url(request, prestataire)
    return render_planning(
        request,
        qs,
        "prestations/planning.html",
        {"prestataire": prestataire, "titre": str(prestataire), "ical_url": ical_url},
    )


@staff_required
@require_POST
def ical_token(request, pk):
    """Creates the worker's secret calendar URL, or replaces it (the old URL stops working)."""
    prestataire = get_object_for(request, Prestataire, pk, write=True)
    JetonCalendrier.objects.update_or_create(prestataire=prestataire, defaults={"jeton": secrets.token_urlsafe(32)})
    messages.success(request, _("Nouvelle adresse de calendrier créée : l'ancienne ne fonctionne plus."))
    return redirect("prestations:planning_prestataire", pk=pk)


def ical_feed(request, token):
    """The worker's calendar (iCal). The secret token in the URL is the only credential; revocable by staff."""
    # A departed worker's feed stops answering (their clients' names and addresses); anonymisation deletes the token.
    jeton = (
        JetonCalendrier.objects.filter(jeton=token)
        .exclude(prestataire__statut=Prestataire.Statut.SORTI)
        .select_related("prestataire")
        .first()
    )
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
