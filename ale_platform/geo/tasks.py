"""Background geocoding (Django's tasks framework; django-tasks-db's worker in production)."""

from django.apps import apps
from django.tasks import task

from .services import locate


@task()
def localiser(model_label: str, pk: int) -> str:
    """Locates one record's address; the record may have been deleted or moved since it was queued."""
    record = apps.get_model(model_label).objects.filter(pk=pk).first()
    if record is None:
        return "absent"
    return locate(record)
