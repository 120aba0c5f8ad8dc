import datetime

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

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
        # No address: the worker reads it on the platform (docs/privacy.md).
        context = {"title": f"{p.activite.nom}, {p.date:%d/%m/%Y} {p.debut:%H:%M}-{p.fin:%H:%M}", "lines": []}
        notify(
            REMINDER.code,
            recipients=[p.prestataire.compte],
            context={**context, "path": reverse("prestations:mes_prestations")},
        )
        notify(
            REMINDER.code, recipients=[p.utilisateur.compte], context={**context, "path": reverse("prestations:client")}
        )
        count += 1
    enqueue_next(send_reminders_for_tomorrow, datetime.time(17, 0))
    return count
