"""Recurring background work on Django's tasks framework (database backend), without a scheduler loop.

A recurring task ends by enqueuing its next run with `run_after`; `manage.py schedule_tasks` (idempotent,
run at each deployment) enqueues the first run of each one that has no pending run. Any number of
`manage.py db_worker` processes execute them; a run is claimed by one worker only.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

BRUSSELS = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Recurring:
    task_path: str
    at: datetime.time  # local time (Europe/Brussels), every day


RECURRING = [
    Recurring("ale_platform.notifications.send_daily_digests", datetime.time(7, 0)),
    Recurring("prestations.reminders.send_reminders_for_tomorrow", datetime.time(17, 0)),
    Recurring("ale_platform.privacy.tasks.anonymise_expired_daily", datetime.time(2, 30)),
    Recurring("prestataires.tasks.notify_bases_ending", datetime.time(7, 30)),
    Recurring("prestations.reminders.send_month_reminders", datetime.time(8, 0)),
]


def next_run(at: datetime.time, now: datetime.datetime | None = None) -> datetime.datetime:
    now = (now or timezone.now()).astimezone(BRUSSELS)
    candidate = datetime.datetime.combine(now.date(), at, tzinfo=BRUSSELS)
    return candidate if candidate > now else candidate + datetime.timedelta(days=1)


def enqueue_next(task, at: datetime.time) -> None:
    """Called at the end of a recurring task: plans its next run (when the backend can defer)."""
    if task.get_backend().supports_defer:
        task.using(run_after=next_run(at)).enqueue()


def schedule_all() -> list[str]:
    """Enqueues the next run of each recurring task that has none pending. Returns the paths scheduled."""
    from django.utils.module_loading import import_string

    scheduled = []
    for item in RECURRING:
        task = import_string(item.task_path)
        if not task.get_backend().supports_defer:
            continue
        if _has_pending_run(item.task_path):
            continue
        task.using(run_after=next_run(item.at)).enqueue()
        scheduled.append(item.task_path)
    return scheduled


def _has_pending_run(task_path: str) -> bool:
    from django.tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY).exists()
