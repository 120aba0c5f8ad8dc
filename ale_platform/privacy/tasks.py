import datetime

from django.tasks import task

ANONYMISATION_AT = datetime.time(2, 30)


@task()
def anonymise_expired_daily() -> int:
    """Every night: anonymises the files whose retention period has passed and applies every store's retention
    (docs/privacy.md). One failing file or purge does not stop the others; the next run is planned whatever
    happens; the agency admins and the superusers are told when anything failed."""
    from ale_platform.notifications import alert_staff_of_failure
    from ale_platform.scheduling import enqueue_next

    from .services import run_nightly

    try:
        report = run_nightly()
    except Exception:
        alert_staff_of_failure("anonymise_expired_daily", ["run_nightly"])
        raise
    finally:
        enqueue_next(anonymise_expired_daily, ANONYMISATION_AT)
    if report.failures:
        alert_staff_of_failure("anonymise_expired_daily", report.failures)
    return len(report.anonymised)
