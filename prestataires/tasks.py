import datetime

from django.tasks import task
from django.utils import timezone

from ale_platform.scheduling import enqueue_next

NOTICE_DAYS = (30, 7)


@task()
def notify_bases_ending() -> int:
    """Reminds the agency's staff and the worker, 30 and 7 days before, that an active worker's eligibility basis
    ends with no other basis taking over (a basis typed closer to its end was announced when it was typed:
    `services.announce_basis_end`)."""
    from .models import Prestataire, SituationEligibilite
    from .services import announce_basis_end

    today = timezone.localdate()
    days = [today + datetime.timedelta(days=n) for n in NOTICE_DAYS]
    situations = SituationEligibilite.objects.filter(
        jusqu_au__in=days, prestataire__statut=Prestataire.Statut.ACTIF
    ).select_related("prestataire__agence", "prestataire__compte")
    count = sum(announce_basis_end(s, today) for s in situations)
    enqueue_next(notify_bases_ending, datetime.time(7, 30))
    return count
