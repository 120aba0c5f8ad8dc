"""Background steps of an import (Django's tasks framework; django-tasks-db's worker in production)."""

from django.tasks import task

from . import services


@task()
def analyse_reprise(reprise_id: int) -> dict:
    return services.analyse(reprise_id)


@task()
def import_reprise(reprise_id: int) -> dict:
    return services.run_import(reprise_id)
