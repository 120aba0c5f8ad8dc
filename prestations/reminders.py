import datetime

from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform.dates import short_date, short_time
from ale_platform.models import Agence
from ale_platform.notifications import MONTH_CLOSING, REMINDER, TO_CONFIRM_DIGEST, notify
from ale_platform.scheduling import enqueue_next

from .cloture import to_confirm_by_client
from .models import Prestation
from .selectors import month_bounds
from .services.liens import create_link


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
        title = f"{p.activite.nom}, {short_date(p.date)} {short_time(p.debut)}-{short_time(p.fin)}"
        context = {"title": title, "lines": []}
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


@task()
def send_month_reminders() -> int:
    """Every morning: on Mondays, each client's "N prestations à confirmer" with a no-login link; three days
    before an agency's closing day, workers who have not declared last month's slots and clients who have not
    confirmed them. Returns the number of people told."""
    today = timezone.localdate()
    told = 0
    if today.weekday() == 0:
        told += send_to_confirm_digests(today)
    closing = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_CLOSING)
    for agence in Agence.objects.filter(jour_cloture=closing.day):
        told += send_closing_reminders(agence, closing)
    enqueue_next(send_month_reminders, datetime.time(8, 0))
    return told


REMINDER_DAYS_BEFORE_CLOSING = 3


def _to_confirm_context(prestations, path) -> dict:
    n = len(prestations)
    return {
        "title": ngettext("%(n)d prestation à confirmer", "%(n)d prestations à confirmer", n) % {"n": n},
        "lines": [
            f"{short_date(p.date)} {short_time(p.debut)}-{short_time(p.fin)} — {p.activite.nom}" for p in prestations
        ],
        "path": path,
    }


def _notify_client(utilisateur, code, context) -> bool:
    compte = utilisateur.compte
    if compte is not None and compte.email:
        notify(code, recipients=[compte], context=context)
        return True
    return False


def send_to_confirm_digests(today) -> int:
    """One e-mail per client with declared prestations awaiting their answer, with one link for all of them."""
    told = 0
    for prestations in to_confirm_by_client(until=today).values():
        utilisateur = prestations[0].utilisateur
        path = create_link(utilisateur, prestations)
        told += _notify_client(utilisateur, TO_CONFIRM_DIGEST.code, _to_confirm_context(prestations, path))
    return told


def send_closing_reminders(agence, closing) -> int:
    """A few days before `closing` (the day the agency closes the month before it): who has not declared that
    month's slots, who has not confirmed them."""
    month = (closing.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    debut, fin = month_bounds(month.year, month.month)
    undeclared = (
        Prestation.objects.filter(agence=agence, statut=Prestation.Statut.PLANIFIEE, date__range=(debut, fin))
        .select_related("prestataire__compte")
        .order_by("date")
    )
    by_worker: dict[int, list] = {}
    for p in undeclared:
        by_worker.setdefault(p.prestataire_id, []).append(p)
    told = 0
    for rows in by_worker.values():
        compte = rows[0].prestataire.compte
        context = {
            "title": _("%(n)d prestation(s) à déclarer avant la clôture du mois") % {"n": len(rows)},
            "lines": [f"{short_date(p.date)} {short_time(p.debut)}-{short_time(p.fin)}" for p in rows],
            "path": reverse("prestations:declarer"),
        }
        notify(MONTH_CLOSING.code, recipients=[compte], context=context)
        told += compte is not None
    for prestations in to_confirm_by_client(agence, until=fin).values():
        utilisateur = prestations[0].utilisateur
        context = _to_confirm_context(prestations, create_link(utilisateur, prestations))
        told += _notify_client(utilisateur, MONTH_CLOSING.code, context)
    return told
