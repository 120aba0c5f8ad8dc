"""Background tasks (Django's tasks framework; django-tasks-db's worker in production)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task

from .models import GenerationFormulaires
from .pdf import workers_of_month, zip_of_forms


@task()
def generer_formulaires_du_mois(generation_id: int) -> str:
    """Every ALE 4 form of an agency's month in one ZIP, with the progress saved after each worker."""
    generation = GenerationFormulaires.objects.select_related("agence").get(pk=generation_id)
    prestataires = list(workers_of_month(generation.agence, generation.mois.year, generation.mois.month))
    GenerationFormulaires.objects.filter(pk=generation_id).update(statut="en_cours", total=len(prestataires), faits=0)

    def progress(done):
        GenerationFormulaires.objects.filter(pk=generation_id).update(faits=done)

    try:
        content = zip_of_forms(prestataires, generation.mois.year, generation.mois.month, progress)
        name = default_storage.save(
            f"formulaires/ALE4-{generation.agence.pk}-{generation.mois:%Y-%m}-{generation.pk}.zip", ContentFile(content)
        )
    except Exception as exc:
        GenerationFormulaires.objects.filter(pk=generation_id).update(statut="echec", erreur=str(exc)[:2000])
        raise
    GenerationFormulaires.objects.filter(pk=generation_id).update(statut="terminee", fichier=name)
    return name
