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


@task()
def calculer_itineraires(demande_id: int) -> int:
    """With a routing engine: the real travel times from the agency's located workers to the request's place."""
    from ale_platform.geo import routing
    from prestataires.models import Mobilite, Prestataire
    from utilisateurs.models import Demande

    from .distance import place_of

    demande = Demande.objects.select_related("site", "utilisateur").filter(pk=demande_id).first()
    if demande is None or not routing.enabled() or place_of(demande).point is None:
        return 0
    origins: dict[str, list] = {}
    workers = Prestataire.objects.filter(agence_id=demande.agence_id).exclude(statut=Prestataire.Statut.SORTI)
    for p in workers.only("latitude", "longitude", "geocodage", "mobilite"):
        if p.point:
            origins.setdefault(p.mobilite or Mobilite.PIED, []).append(p.point)
    return routing.compute(place_of(demande).point, origins)
