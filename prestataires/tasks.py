import datetime

from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform.dates import short_date
from ale_platform.notifications import BASE_ENDING, agency_staff, notify
from ale_platform.scheduling import enqueue_next

NOTICE_DAYS = (30, 7)


@task()
def notify_bases_ending() -> int:
    """Tells the agency's staff, 30 and 7 days before, that an active worker's eligibility basis ends."""
    from .models import Prestataire, SituationEligibilite

    today = timezone.localdate()
    days = [today + datetime.timedelta(days=n) for n in NOTICE_DAYS]
    situations = SituationEligibilite.objects.filter(
        jusqu_au__in=days, prestataire__statut=Prestataire.Statut.ACTIF
    ).select_related("prestataire__agence")
    count = 0
    for s in situations:
        worker = s.prestataire
        notify(
            BASE_ENDING.code,
            recipients=agency_staff(worker.agence),
            # A link, not the details (docs/privacy.md): the basis (CPAS, unemployment...) is read on the file.
            context={
                "title": _("dossier prestataire n° %(n)s") % {"n": worker.pk},
                "lines": [_("Une base d'éligibilité prend fin le %(date)s.") % {"date": short_date(s.jusqu_au)}],
                "path": reverse("prestataires:detail", args=[worker.pk]),
            },
        )
        count += 1
    enqueue_next(notify_bases_ending, datetime.time(7, 30))
    return count
