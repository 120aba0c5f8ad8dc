"""The collaborator's dashboard, the yearly report and the agency's settings page (which spans every app)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform.access import require_agence, staff_required
from ale_platform.exports import FORMATS, export_response
from ale_platform.models import Agence
from ale_platform.pdf import pdf_response
from forem_liaison.forms import ParametresForm as ForemForm
from forem_liaison.models import ParametresForem
from forem_liaison.services import update_parametres
from prestations.eligibility_watch import work_after_eligibility
from prestations.forms import FraisDeplacementForm
from prestations.services import set_travel_rule
from utilisateurs.forms import ParametresForm as DemandesForm
from utilisateurs.models import ParametresUtilisateurs

from . import reports, selectors
from .forms import AgenceParametresForm


@staff_required
def dashboard(request):
    agence = require_agence(request)
    today = timezone.localdate()
    near_cap = selectors.workers_near_cap(agence, today)
    after_eligibility = work_after_eligibility(agence=agence)
    context = {
        "agence": agence,
        "today": today,
        "tiles": selectors.dashboard_tiles(agence, today, near_cap, after_eligibility),
        "near_cap": near_cap,
        "after_eligibility": after_eligibility,
        "can_edit_settings": agence.user_is_admin,
        "charts": selectors.activity_charts(agence, today),
    }
    return render(request, "tableau_de_bord/dashboard.html", context)


@staff_required
def agence_parametres(request):
    """One page for the agency's settings: voucher price, fee, caps, and the deadlines of the other apps."""
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
            travel = forms["frais"].changes()
            if travel is not None:
                set_travel_rule(agence=agence, acting_user=request.user, **travel)
        messages.success(request, _("Les paramètres de l'agence sont enregistrés."))
        return redirect("agence_parametres")
    sections = [
        (_("Chèques, cotisation et plafonds d'heures"), forms["agence"]),
        (_("Demandes des utilisateurs"), forms["demandes"]),
        (
            _("Adressages du service de l'emploi (%(service)s)") % {"service": agence.service_emploi.nom_court},
            forms["forem"],
        ),
        (_("Frais de déplacement des prestataires"), forms["frais"]),
    ]
    return render(request, "tableau_de_bord/agence_parametres.html", {"agence": agence, "sections": sections})


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
        return pdf_response("tableau_de_bord/yearly_report_pdf.html", {"report": report, "agence": agence}, filename)
    if fmt in FORMATS:
        return export_response(report.hours, reports.HOURS_COLUMNS, filename, fmt)
    return render(request, "tableau_de_bord/yearly_report.html", {"report": report, "years": years, "agence": agence})
