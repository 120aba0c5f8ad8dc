import datetime

from django.tasks import task

ANONYMISATION_AT = datetime.time(2, 30)


@task()
def anonymise_expired_daily() -> int:
    """Every night: anonymises the files whose retention period has passed (see docs/privacy.md)."""
    from ale_platform.scheduling import enqueue_next

    from .services import anonymise_expired, purge_expired_files

    done = anonymise_expired()
    purge_expired_files()
    enqueue_next(anonymise_expired_daily, ANONYMISATION_AT)
    return len(done)
