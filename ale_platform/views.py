import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .access import staff_required
from .agences import switch_agence
from .forms import NotificationPreferencesForm


@login_required
def home(request):
    """Each role lands on its own home page."""
    user = request.user
    if user.is_collaborateur or user.is_superuser:
        return redirect("dashboard")
    if user.is_conseiller:
        return redirect("forem_liaison:conseiller_home")
    if user.is_client:
        return redirect("utilisateurs:espace")
    if user.is_prestataire:
        return redirect("prestataires:espace")
    return render(request, "ale_platform/no_role.html", status=403)


@require_POST
@staff_required
def agence_switch(request):
    agence_id = request.POST.get("agence", "")
    agence = switch_agence(request, int(agence_id)) if agence_id.isdigit() else None
    if agence is None:
        messages.error(request, _("Vous n'êtes pas membre de cette agence."))
    else:
        messages.success(request, _("Vous travaillez maintenant pour %(agence)s.") % {"agence": agence})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "dashboard"
    return redirect(target)


@login_required
def notification_preferences(request):
    form = NotificationPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notification_preferences")
    return render(request, "ale_platform/notification_preferences.html", {"form": form})


@never_cache
def healthz(request):
    """200 after a database round trip, 503 when the database does not answer (for the load balancer)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    """500, or 503 with Retry-After while the database is away (the next request reconnects by itself)."""
    # Rendered without the request: its context processors could need the database that just failed.
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
