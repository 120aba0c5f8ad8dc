"""Retention of the stores that are not a person's file: each one has a date after which it goes (docs/privacy.md).

The core's purges are here; the apps add theirs to `registry.retention_purges` (uploaded imports, ALE 4 ZIPs, the
reads of confidential remarks). All run in the nightly privacy task, each on its own, so that one failing does
not stop the others.
"""

import datetime

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.utils import timezone

from .core import months_before
from .models import ExportDonnees, LectureDonnees


def prune_task_results(now) -> int:
    """Finished background tasks (a notification's arguments, a result) `TACHES_CONSERVATION_JOURS` days after
    they ended, as django-tasks-db's `prune_db_task_results` does; pending ones are never touched."""
    from django_tasks_db.models import DBTaskResult

    cutoff = now - datetime.timedelta(days=settings.TACHES_CONSERVATION_JOURS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def purge_admin_log(now) -> int:
    cutoff = months_before(timezone.localdate(now), settings.ADMIN_LOG_CONSERVATION_MOIS)
    deleted, _ = LogEntry.objects.filter(action_time__date__lt=cutoff).delete()
    return deleted


def purge_access_logs(now) -> int:
    cutoff = months_before(timezone.localdate(now), settings.JOURNAL_CONSERVATION_MOIS)
    deleted = ExportDonnees.objects.filter(at__date__lt=cutoff).delete()[0]
    return deleted + LectureDonnees.objects.filter(at__date__lt=cutoff).delete()[0]


def clear_sessions(now) -> int:
    """`manage.py clearsessions`, scheduled: the expired sessions (a session holds who is logged in)."""
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


CORE_PURGES = [prune_task_results, purge_admin_log, purge_access_logs, clear_sessions]
