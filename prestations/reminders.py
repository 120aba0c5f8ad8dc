import datetime

from django.tasks import task
from django.utils import timezone

from ale_platform.dates import short_date, short_time
from ale_platform.notifications import REMINDER, notify
from ale_platform.scheduling import enqueue_next

from .models import Prestation


@task()
def send_reminders_for_tomorrow() -> int:
    """The day before a planned prestation, remind the worker and the client (one e-mail per prestation)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    prestations = Prestation.objects.filter(date=tomorrow, statut=Prestation.Statut.PLANIFIEE).select_related(
        "prestataire__compte", "utilisateur__compte", "activite"
    )
    count = 0
    for p in prestations:
        context = {
            "title": f"{p.activite.nom}, {short_date(p.date)} {short_time(p.debut)}-{short_time(p.fin)}",
            "lines": [f"{p.utilisateur.rue}, {p.utilisateur.code_postal} {p.utilisateur.commune}"],
        }
        notify(REMINDER.code, recipients=[p.prestataire.compte, p.utilisateur.compte], context=context)
        count += 1
    enqueue_next(send_reminders_for_tomorrow, datetime.time(17, 0))
    return count
