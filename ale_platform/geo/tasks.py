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


@task()
def localiser_lot(model_label: str, pks: list[int]) -> dict[str, int]:
    """Locates records inserted together (an import); each answer is stored as it comes, so a lookup that fails
    or a worker that stops leaves the others located and the rest "à localiser" for `localiser_adresses`."""
    counts: dict[str, int] = {}
    for record in apps.get_model(model_label).objects.filter(pk__in=pks).order_by("pk").iterator():
        statut = locate(record)
        counts[statut] = counts.get(statut, 0) + 1
    return counts
