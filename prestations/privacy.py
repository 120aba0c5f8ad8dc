"""GDPR: what the prestations app adds to a worker's or a client's export, and the dates that count as their
activity (registered from the app's ready(); see ale_platform/privacy/registry.py and docs/privacy.md).
"""

from ale_platform.privacy.core import PLACEHOLDER_TEXTE, anonymise_everywhere, dump, history_of
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_dates, anonymise_parts, export_parts

from .models import Affectation, ChequeALE, LienConfirmation, Prestation, TransitionPrestation


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


def forget_decline_reasons(prestataire) -> None:
    """A worker's reasons for declining a job, in their words and as shared with the Forem, are free text about
    them: placeholders (a declined assignment keeps a reason: a database constraint)."""
    declined = Affectation.objects.filter(prestataire=prestataire).exclude(motif_refus="")
    anonymise_everywhere(Affectation, declined.values_list("pk", flat=True), {"motif_refus": PLACEHOLDER_TEXTE})
    shared = Affectation.objects.filter(prestataire=prestataire).exclude(motif_transmis="")
    anonymise_everywhere(Affectation, shared.values_list("pk", flat=True), {"motif_transmis": PLACEHOLDER_TEXTE})


def forget_month_comments(utilisateur) -> None:
    """A client's dispute comments and the reasons given on their prestations' state changes (a worker's "not held:
    Anne in hospital") are free text about them: placeholders; their no-login links go."""
    disputed = Prestation.objects.filter(utilisateur=utilisateur).exclude(motif_contestation="")
    anonymise_everywhere(Prestation, disputed.values_list("pk", flat=True), {"motif_contestation": PLACEHOLDER_TEXTE})
    steps = TransitionPrestation.objects.filter(prestation__utilisateur=utilisateur).exclude(motif="")
    steps.update(motif=PLACEHOLDER_TEXTE)
    LienConfirmation.objects.filter(utilisateur=utilisateur).delete()


def register() -> None:
    export_parts.register(TypePersonne.PRESTATAIRE, worker_files)
    export_parts.register(TypePersonne.UTILISATEUR, client_files)
    anonymise_parts.register(TypePersonne.PRESTATAIRE, forget_decline_reasons)
    anonymise_parts.register(TypePersonne.UTILISATEUR, forget_month_comments)
    activity_dates.register(TypePersonne.PRESTATAIRE, (Prestation, "prestataire", "date"))
    activity_dates.register(TypePersonne.UTILISATEUR, (Prestation, "utilisateur", "date"))
