"""Background tasks (Django's tasks framework; django-tasks-db's worker in production)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task

from .models import GenerationFormulaires
from .pdf import workers_of_month, zip_of_forms

Statut = GenerationFormulaires.Statut


@task()
def generate_monthly_forms(generation_id: int) -> str:
    """Every ALE 4 form of an agency's month in one ZIP, with the progress saved after each worker."""
    generation = GenerationFormulaires.objects.select_related("agence").get(pk=generation_id)
    prestataires = list(workers_of_month(generation.agence, generation.mois.year, generation.mois.month))
    runs = GenerationFormulaires.objects.filter(pk=generation_id)
    runs.update(statut=Statut.EN_COURS, total=len(prestataires), faits=0)

    def progress(done):
        runs.update(faits=done)

    try:
        content = zip_of_forms(prestataires, generation.mois.year, generation.mois.month, progress)
        name = default_storage.save(
            f"formulaires/ALE4-{generation.agence.pk}-{generation.mois:%Y-%m}-{generation.pk}.zip", ContentFile(content)
        )
    except Exception as exc:
        runs.update(statut=Statut.ECHEC, erreur=str(exc)[:2000])
        raise
    runs.update(statut=Statut.TERMINEE, fichier=name)
    return name
