import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import reports, selectors
from .access import require_agence, staff_required
from .agences import switch_agence
from .exports import FORMATS, export_response
from .forms import AgenceParametresForm, NotificationPreferencesForm
from .models import Agence
from .pdf import pdf_response


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


@staff_required
def dashboard(request):
    agence = require_agence(request)
    today = timezone.localdate()
    near_cap = selectors.workers_near_cap(agence, today)
    context = {
        "agence": agence,
        "today": today,
        "tiles": selectors.dashboard_tiles(agence, today, near_cap),
        "near_cap": near_cap,
        "can_edit_settings": agence.user_is_admin,
        "charts": selectors.activity_charts(agence, today),
    }
    return render(request, "ale_platform/dashboard.html", context)


@staff_required
def agence_parametres(request):
    """One page for the agency's settings: voucher price, fee, caps, and the deadlines of the other apps."""
    from forem_liaison.forms import ParametresForm as ForemForm
    from forem_liaison.models import ParametresForem
    from forem_liaison.services import update_parametres
    from prestations.forms import FraisDeplacementForm
    from utilisateurs.forms import ParametresForm as DemandesForm
    from utilisateurs.models import ParametresUtilisateurs

    agence = require_agence(request)
    if not Agence.objects.administered_by(request.user).filter(pk=agence.pk).exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    forms = {
        "agence": AgenceParametresForm(data, instance=agence, prefix="agence"),
        "demandes": DemandesForm(data, instance=ParametresUtilisateurs.for_agence(agence), prefix="demandes"),
        "forem": ForemForm(data, instance=ParametresForem.for_agence(agence), prefix="forem"),
        "frais": FraisDeplacementForm(data, agence=agence, prefix="frais"),
    }
    if data is not None and all(form.is_valid() for form in forms.values()):
        with transaction.atomic():
            forms["agence"].save()
            forms["demandes"].save()
            update_parametres(agence=agence, acting_user=request.user, **forms["forem"].cleaned_data)
            forms["frais"].save()
        messages.success(request, _("Les paramètres de l'agence sont enregistrés."))
        return redirect("agence_parametres")
    sections = [
        (_("Chèques, cotisation et plafonds d'heures"), forms["agence"]),
        (_("Demandes des utilisateurs"), forms["demandes"]),
        (_("Adressages du Forem"), forms["forem"]),
        (_("Frais de déplacement des prestataires"), forms["frais"]),
    ]
    return render(request, "ale_platform/agence_parametres.html", {"agence": agence, "sections": sections})


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


@staff_required
def yearly_report(request):
    agence = require_agence(request)
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - 6, -1))
    year = int(request.GET["annee"]) if request.GET.get("annee", "").isdigit() else this_year
    if year not in years:
        year = this_year
    report = reports.yearly_report(agence, year)
    fmt = request.GET.get("format")
    filename = f"rapport-activite-{year}"
    if fmt == "pdf":
        return pdf_response("ale_platform/yearly_report_pdf.html", {"report": report, "agence": agence}, filename)
    if fmt in FORMATS:
        return export_response(report.hours, reports.HOURS_COLUMNS, filename, fmt)
    return render(request, "ale_platform/yearly_report.html", {"report": report, "years": years})


def error_500(request):
    """500, or 503 with Retry-After while the database is away (the next request reconnects by itself)."""
    # Rendered without the request: its context processors could need the database that just failed.
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
