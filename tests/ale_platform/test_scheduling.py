import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from ale_platform.scheduling import next_run
from prestations.reminders import send_reminders_for_tomorrow
from tests.factories import PrestationFactory, UserFactory

BXL = ZoneInfo("Europe/Brussels")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_next_run_is_today_or_tomorrow_in_brussels_time():
    morning = datetime.datetime(2026, 3, 10, 6, 0, tzinfo=BXL)
    assert next_run(datetime.time(7), morning) == datetime.datetime(2026, 3, 10, 7, 0, tzinfo=BXL)
    evening = datetime.datetime(2026, 3, 10, 18, 0, tzinfo=BXL)
    assert next_run(datetime.time(7), evening) == datetime.datetime(2026, 3, 11, 7, 0, tzinfo=BXL)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_schedule_tasks_is_idempotent_and_the_worker_runs_them():
    call_command("schedule_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("schedule_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pending = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(pending.values_list("task_path", flat=True)) == [
        "ale_platform.notifications.send_daily_digests",
        "ale_platform.privacy.tasks.anonymise_expired_daily",
        "prestataires.tasks.notify_bases_ending",
        "prestations.reminders.send_month_reminders",
        "prestations.reminders.send_reminders_for_tomorrow",
    ]
    assert all(r.run_after > datetime.datetime.now(tz=BXL) for r in pending)


@pytest.mark.django_db
def test_reminders_go_to_the_worker_and_the_client_of_tomorrow(django_capture_on_commit_callbacks):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    worker, client = UserFactory(role="prestataire"), UserFactory(role="client")
    PrestationFactory(date=tomorrow, statut="planifiee", prestataire__compte=worker, utilisateur__compte=client)
    PrestationFactory(date=tomorrow, statut="annulee")
    PrestationFactory(date=tomorrow + datetime.timedelta(days=1), statut="planifiee")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders_for_tomorrow.call() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([worker.email, client.email])
    assert "Rappel : prestation demain" in mail.outbox[0].subject
