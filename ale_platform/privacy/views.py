"""Staff views: export of a person's data (ZIP) and the agency admin's log of accesses to personal data."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ale_platform.access import staff_required
from ale_platform.admin_site import is_agency_admin
from ale_platform.models import Agence
from ale_platform.scoping import get_object_for

from .filters import ExportFilter, LectureFilter
from .models import ExportDonnees, LectureDonnees, TypePersonne
from .registry import remark_reads
from .services import export_personne, model_for

JOURNAL_LIMIT = 200


def _export(request, kind, pk):
    obj = get_object_for(request, model_for(kind), pk)
    content = export_personne(kind=kind, obj=obj, acting_user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="donnees-{kind}-{obj.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def export_prestataire(request, pk):
    return _export(request, TypePersonne.PRESTATAIRE, pk)


@require_POST
@staff_required
def export_utilisateur(request, pk):
    return _export(request, TypePersonne.UTILISATEUR, pk)


@require_POST
@staff_required
def export_adressage(request, pk):
    return _export(request, TypePersonne.ADRESSAGE, pk)


@staff_required
def journal(request):
    """Reads of personal data, of confidential remarks and data exports in the agencies the user administers."""
    user = request.user
    if not (user.is_superuser or is_agency_admin(user)):
        raise PermissionDenied
    agences = Agence.objects.administered_by(user)
    lecture_filter = remark_reads(request.GET, agences)
    export_filter = ExportFilter(
        request.GET, queryset=ExportDonnees.objects.for_user(user).select_related("par", "agence")
    )
    reads_filter = LectureFilter(
        request.GET, queryset=LectureDonnees.objects.for_user(user).select_related("par", "agence")
    )
    lecture_qs, export_qs, reads_qs = lecture_filter.qs, export_filter.qs, reads_filter.qs
    return render(
        request,
        "privacy/journal.html",
        {
            "filter": lecture_filter,
            "lectures": lecture_qs[:JOURNAL_LIMIT],
            "lectures_count": lecture_qs.count(),
            "exports": export_qs[:JOURNAL_LIMIT],
            "exports_count": export_qs.count(),
            "reads": reads_qs[:JOURNAL_LIMIT],
            "reads_count": reads_qs.count(),
            "limit": JOURNAL_LIMIT,
        },
    )
