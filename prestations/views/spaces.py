"""What clients and workers see of their prestations in their own space."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ale_platform.access import client_required, prestataire_required
from ale_platform.dates import short_date
from ale_platform.qr import qr_data_uri
from ale_platform.scoping import get_object_for, scoped
from prestataires.models import Prestataire

from .. import services
from ..models import Prestation
from ..selectors import covering_cheques, newest
from .planning import calendar_url, render_planning


@client_required
def client_prestations(request):
    qs = newest(scoped(request, Prestation).exclude(statut=Prestation.Statut.ANNULEE).order_by("-date", "-debut"), 100)
    qs = qs.select_related("prestataire", "activite").prefetch_related(
        Prefetch("cheques", queryset=covering_cheques(), to_attr="cheques_couvrants")
    )
    today = timezone.localdate()
    rows = list(qs)
    answerable = (Prestation.Statut.PLANIFIEE, Prestation.Statut.DECLAREE, Prestation.Statut.EFFECTUEE)
    for p in rows:
        p.confirmable = not p.confirmee_le and p.date <= today and p.statut in answerable
        p.disputable = p.confirmable and p.statut != Prestation.Statut.EFFECTUEE
    return render(request, "prestations/client.html", {"prestations": rows, "today": today})


@client_required
@require_POST
def client_confirm(request, pk):
    prestation = get_object_for(request, Prestation, pk, write=True)
    try:
        services.confirm_hours(prestation=prestation, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Merci : vous avez confirmé %(h)s h le %(d)s.")
            % {"h": services.fmt_h(prestation.heures), "d": short_date(prestation.date)},
        )
    return redirect("prestations:client")


@prestataire_required
def mes_prestations(request):
    prestataire = scoped(request, Prestataire).first()
    if prestataire is None:
        raise PermissionDenied
    qs = scoped(request, Prestation)
    ical_url = calendar_url(request, prestataire)
    return render_planning(
        request,
        qs,
        "prestations/planning.html",
        {
            "titre": str(prestataire),
            "mine": True,
            "my_ical_url": ical_url,
            "my_ical_qr": qr_data_uri(ical_url) if ical_url else "",
        },
    )
