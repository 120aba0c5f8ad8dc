"""GDPR: what the prestations app adds to a worker's or a client's export, and the dates that count as their
activity (registered from the app's ready(); see ale_platform/privacy/registry.py and docs/privacy.md).
"""

from ale_platform.privacy.core import dump, history_of
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_dates, export_parts

from .models import ChequeALE, Prestation


def _prestations_files(prestations, cheques) -> dict[str, bytes]:
    return {
        "prestations.json": dump(prestations),
        "prestations_historique.json": dump(history_of(Prestation, prestations.values_list("pk", flat=True))),
        "cheques.json": dump(cheques.order_by("pk")),
    }


def worker_files(prestataire) -> dict[str, bytes]:
    prestations = Prestation.objects.filter(prestataire=prestataire).order_by("date", "debut")
    return _prestations_files(prestations, ChequeALE.objects.filter(prestation__prestataire=prestataire))


def client_files(utilisateur) -> dict[str, bytes]:
    prestations = Prestation.objects.filter(utilisateur=utilisateur).order_by("date", "debut")
    return _prestations_files(prestations, ChequeALE.objects.filter(utilisateur=utilisateur))


def register() -> None:
    export_parts.register(TypePersonne.PRESTATAIRE, worker_files)
    export_parts.register(TypePersonne.UTILISATEUR, client_files)
    activity_dates.register(TypePersonne.PRESTATAIRE, (Prestation, "prestataire", "date"))
    activity_dates.register(TypePersonne.UTILISATEUR, (Prestation, "utilisateur", "date"))
