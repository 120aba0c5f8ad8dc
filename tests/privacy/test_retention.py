"""Every store has a date after which it goes, enforced by the nightly privacy task; one failing item or purge
does not stop the others, the next run is planned whatever happens, and the admins are told."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ale_platform.models import AgenceMembership, User
from ale_platform.privacy import registry
from ale_platform.privacy.datamap import STORES
from ale_platform.privacy.models import ExportDonnees, LectureDonnees
from ale_platform.privacy.services import run_nightly
from ale_platform.privacy.tasks import anonymise_expired_daily
from prestations.models import GenerationFormulaires
from reprise.models import Reprise
from tests.factories import AgenceFactory, CollaborateurFactory, PrestataireFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def _task_result(status, finished_at):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": ["nouvelle_demande", [1], {"title": "x"}], "kwargs": {}},
        task_path="ale_platform.notifications.deliver_notification",
        backend_name="default",
        run_after=_ago(days=100),
        finished_at=finished_at,
        exception_class_path="",
        traceback="",
    )


def test_every_store_of_personal_data_states_its_retention_or_goes_with_the_person():
    for label, store in STORES.items():
        if store.personal:
            assert store.retention or store.rows or store.note, label


def test_finished_task_results_go_after_their_retention_pending_ones_never(settings):
    settings.TACHES_CONSERVATION_JOURS = 30
    old = _task_result(TaskResultStatus.SUCCESSFUL, _ago(days=31))
    failed = _task_result(TaskResultStatus.FAILED, _ago(days=31))
    recent = _task_result(TaskResultStatus.SUCCESSFUL, _ago(days=29))
    pending = _task_result(TaskResultStatus.READY, None)
    run_nightly()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old.pk, failed.pk]).exists()


def test_admin_log_access_logs_and_expired_sessions_go_after_their_retention(settings):
    settings.ADMIN_LOG_CONSERVATION_MOIS = 24
    settings.JOURNAL_CONSERVATION_MOIS = 24
    agence = AgenceFactory()
    staff = CollaborateurFactory(agence=agence)
    worker = PrestataireFactory(agence=agence)

    def log_entry(when):
        entry = LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(worker),
            object_id=str(worker.pk),
            object_repr=str(worker),
            action_flag=CHANGE,
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=when)
        return entry

    old_log, new_log = log_entry(_ago(days=800)), log_entry(_ago(days=30))
    export = ExportDonnees.objects.create(
        agence=agence, type_personne="prestataire", objet_id=worker.pk, personne="x", par=staff
    )
    read = LectureDonnees.objects.create(
        agence=agence, type_personne="prestataire", objet_id=worker.pk, vue="fiche", chemin="/p/1/", par=staff
    )
    ExportDonnees.objects.filter(pk=export.pk).update(at=_ago(days=800))
    LectureDonnees.objects.filter(pk=read.pk).update(at=_ago(days=800))
    recent_read = LectureDonnees.objects.create(
        agence=agence, type_personne="prestataire", objet_id=worker.pk, vue="fiche", chemin="/p/1/", par=staff
    )
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=_ago(days=1))
    run_nightly()
    assert list(LogEntry.objects.values_list("pk", flat=True)) == [new_log.pk]
    assert not LogEntry.objects.filter(pk=old_log.pk).exists()
    assert not ExportDonnees.objects.exists()
    assert list(LectureDonnees.objects.values_list("pk", flat=True)) == [recent_read.pk]
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


def test_ale4_zips_go_after_their_retention(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FORMULAIRES_CONSERVATION_JOURS = 90
    agence = AgenceFactory()

    def run(days_ago):
        name = default_storage.save(f"formulaires/ALE4-{days_ago}.zip", ContentFile(b"PK"))
        gen = GenerationFormulaires.objects.create(
            agence=agence, mois=datetime.date(2026, 1, 1), statut="terminee", fichier=name
        )
        GenerationFormulaires.objects.filter(pk=gen.pk).update(created_at=_ago(days=days_ago))
        return gen, name

    (old, old_name), (recent, recent_name) = run(91), run(10)
    run_nightly()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.fichier == "" and not default_storage.exists(old_name)
    assert recent.fichier == recent_name and default_storage.exists(recent_name)


def test_an_import_stuck_in_analysis_or_import_is_purged_unless_confirmed_lately(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPRISE_CONSERVATION_JOURS = 30
    agence, staff = AgenceFactory(), UserFactory(role="collaborateur")

    def stuck(statut, **dates):
        path = default_storage.save("reprise/f.csv", ContentFile(b"85073003328;Dupont"))
        reprise = Reprise.objects.create(
            agence=agence,
            entite="prestataires",
            fichier=path,
            nom_fichier="f.csv",
            statut=statut,
            lignes=[{"niss": "85073003328"}],
            created_by=staff,
            **dates,
        )
        Reprise.objects.filter(pk=reprise.pk).update(created_at=_ago(days=40))
        return reprise, path

    (analysis, analysis_path) = stuck("analyse")
    (dead_import, dead_path) = stuck("import", confirmee_le=_ago(days=35))
    (running, running_path) = stuck("import", confirmee_le=_ago(hours=1))
    run_nightly()
    for reprise in (analysis, dead_import, running):
        reprise.refresh_from_db()
    assert analysis.purgee_le and analysis.lignes == [] and not default_storage.exists(analysis_path)
    assert dead_import.purgee_le and not default_storage.exists(dead_path)
    assert running.purgee_le is None and default_storage.exists(running_path)


@pytest.fixture
def failing_purge():
    def broken_purge(now):
        raise RuntimeError("disk full")

    registry.retention_purges.register("purges", broken_purge)
    yield broken_purge
    registry.retention_purges._entries["purges"].remove(broken_purge)


def test_one_failing_purge_does_not_stop_the_others_and_the_admins_are_told(
    failing_purge, settings, django_capture_on_commit_callbacks
):
    settings.TACHES_CONSERVATION_JOURS = 30
    agence = AgenceFactory()
    admin = CollaborateurFactory(agence=agence)
    AgenceMembership.objects.filter(user=admin).update(is_admin=True)
    plain = CollaborateurFactory(agence=agence)
    root = User.objects.create_superuser(email="root@example.be", password="x")
    old = _task_result(TaskResultStatus.SUCCESSFUL, _ago(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_expired_daily.call() == 0
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()  # the purges after the broken one ran
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, root.email])
    assert plain.email not in [m.to[0] for m in mail.outbox]
    assert "broken_purge" in mail.outbox[0].body and "disk full" not in mail.outbox[0].body


@pytest.fixture
def failing_file():
    """An app's part that fails for one worker (as a real bug or a lock timeout would)."""
    doomed = set()

    def fail_for(prestataire):
        if prestataire.pk in doomed:
            raise RuntimeError("lock timeout")

    registry.anonymise_parts.register("prestataire", fail_for)
    yield doomed
    registry.anonymise_parts._entries["prestataire"].remove(fail_for)


def test_one_failing_file_is_rolled_back_and_retried_the_others_are_anonymised(failing_file):
    agence = AgenceFactory()
    first, second = PrestataireFactory(agence=agence, nom="Premier"), PrestataireFactory(agence=agence, nom="Second")
    for p in (first, second):
        type(p).objects.filter(pk=p.pk).update(
            statut="sorti",
            created_at=datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC),
            date_inscription=datetime.date(2015, 1, 1),
        )
        p.situations.update(depuis=datetime.date(2015, 1, 1))
    failing_file.add(first.pk)
    report = run_nightly()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.nom == "Premier" and second.nom == "Anonyme"  # the failed one wholly rolled back
    assert report.failures == [f"Prestataire #{first.pk}"]
    failing_file.clear()
    assert [c.obj.pk for c in run_nightly().anonymised] == [first.pk]  # retried the next night


def test_the_next_run_is_planned_even_when_the_run_fails(settings, failing_purge):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    anonymise_expired_daily.call()
    assert DBTaskResult.objects.filter(
        task_path="ale_platform.privacy.tasks.anonymise_expired_daily", status=TaskResultStatus.READY
    ).exists()


def test_the_daily_digest_survives_one_failing_user_and_tells_the_admins(django_capture_on_commit_callbacks):
    from ale_platform.models import NotificationEnAttente
    from ale_platform.notifications import send_daily_digests

    agence = AgenceFactory()
    admin = CollaborateurFactory(agence=agence)
    AgenceMembership.objects.filter(user=admin).update(is_admin=True)
    ok, broken = CollaborateurFactory(agence=agence), CollaborateurFactory(agence=agence)
    NotificationEnAttente.objects.create(user=ok, kind="nouvelle_demande", context={"title": "demande n° 1"})
    # A kind that a deployment removed while entries were pending: this user's digest cannot be rendered.
    stale = NotificationEnAttente.objects.create(user=broken, kind="retiree", context={"title": "x"})
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call() == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert ok.email in recipients and admin.email in recipients and broken.email not in recipients
    assert NotificationEnAttente.objects.filter(pk=stale.pk).exists()  # kept for the next digest
    assert not NotificationEnAttente.objects.filter(user=ok).exists()
