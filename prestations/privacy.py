"""GDPR: what the prestations app adds to a worker's or a client's export, and the dates that count as their
activity (registered from the app's ready(); see ale_platform/privacy/registry.py and docs/privacy.md).
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.privacy.core import PLACEHOLDER_TEXTE
from ale_platform.privacy.datamap import DELETE, Store, register_store, s
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_dates, anonymise_parts, retention_purges

from .models import (
    Affectation,
    ChequeALE,
    Fermeture,
    GenerationFormulaires,
    JetonCalendrier,
    LienConfirmation,
    Prestation,
    TransitionCheque,
    TransitionPrestation,
)


def forget_monthly_forms(prestataire) -> None:
    """The ALE 4 ZIPs of the months the worker worked hold their name and NISS: deleted (regenerable from the
    kept hours, which now point to the anonymised file)."""
    months = {d.replace(day=1) for d in Prestation.objects.filter(prestataire=prestataire).dates("date", "month")}
    runs = GenerationFormulaires.objects.filter(agence=prestataire.agence_id, mois__in=months).exclude(fichier="")
    _delete_zips(runs)


def purge_monthly_forms(now=None) -> int:
    """Retention: the ALE 4 ZIPs are deleted `FORMULAIRES_CONSERVATION_JOURS` days after they were generated."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.FORMULAIRES_CONSERVATION_JOURS)
    return _delete_zips(GenerationFormulaires.objects.filter(created_at__lt=cutoff).exclude(fichier=""))


def _delete_zips(runs) -> int:
    done = 0
    for run in runs:
        if default_storage.exists(run.fichier):
            default_storage.delete(run.fichier)
        GenerationFormulaires.objects.filter(pk=run.pk).update(fichier="")
        done += 1
    return done


def _rows(model, worker_path=None, client_path=None):
    rows = {}
    if worker_path:
        rows[TypePersonne.PRESTATAIRE] = lambda p: model.objects.filter(**{worker_path: p})
    if client_path:
        rows[TypePersonne.UTILISATEUR] = lambda u: model.objects.filter(**{client_path: u})
    return rows


def register_stores() -> None:
    for store in [
        Store(
            "prestations.Prestation",
            personal=s("motif_derogation", "motif_contestation"),
            other=s("statut", "absence_de"),
            rows=_rows(Prestation, "prestataire", "utilisateur"),
            erase={"motif_derogation": PLACEHOLDER_TEXTE, "motif_contestation": PLACEHOLDER_TEXTE},
            export="prestations",
            note=_("gardée (heures, statistiques), pointe vers le dossier anonymisé"),
        ),
        Store(
            "prestations.ChequeALE",
            other=s("type", "numero", "statut"),
            rows=_rows(ChequeALE, "prestation__prestataire", "utilisateur"),
            export="cheques",
            note=_("gardé (registre des chèques)"),
        ),
        Store(
            "prestations.TransitionCheque",
            personal=s("motif"),
            other=s("de", "vers"),
            rows=_rows(TransitionCheque, "cheque__prestation__prestataire", "cheque__utilisateur"),
            export="cheques_transitions",
            mentions=s("motif"),
        ),
        Store(
            "prestations.TransitionPrestation",
            personal=s("motif"),
            other=s("de", "vers", "au_nom_de"),
            rows=_rows(TransitionPrestation, "prestation__prestataire", "prestation__utilisateur"),
            erase={"motif": PLACEHOLDER_TEXTE},
            export="prestations_transitions",
            mentions=s("motif"),
        ),
        Store(
            "prestations.LienConfirmation",
            personal=s("jeton_hash"),
            other=s("empreintes"),
            rows=_rows(LienConfirmation, client_path="utilisateur"),
            erase=DELETE,
            export="liens_confirmation",
            hidden=s("jeton_hash"),
            note=_("lien sans connexion (14 jours, usage unique) : supprimé à l'anonymisation"),
        ),
        Store(
            "prestations.Affectation",
            personal=s("motif_refus", "motif_transmis"),
            other=s("statut"),
            rows=_rows(Affectation, "prestataire", "demande__utilisateur"),
            erase={"motif_refus": PLACEHOLDER_TEXTE, "motif_transmis": PLACEHOLDER_TEXTE},
            export="affectations",
        ),
        Store(
            "prestations.Fermeture",
            personal=s("motif"),
            rows=_rows(Fermeture, client_path="utilisateur"),
            erase={"motif": PLACEHOLDER_TEXTE},
            export="fermetures",
        ),
        Store(
            "prestations.JetonCalendrier",
            personal=s("jeton"),
            rows=_rows(JetonCalendrier, "prestataire"),
            erase=DELETE,
            export="jeton_calendrier",
            hidden=s("jeton"),
            note=_("supprimé à l'anonymisation : le flux iCal ne répond plus"),
        ),
        Store(
            "prestations.GenerationFormulaires",
            personal=s("fichier"),
            other=s("statut", "erreur"),
            retention=_("FORMULAIRES_CONSERVATION_JOURS jours (défaut 90), puis le ZIP est supprimé chaque nuit"),
            note=_("les ZIP des mois d'un·e prestataire anonymisé·e sont supprimés"),
        ),
        Store(
            "prestations.RegleLegale",
            other=s("region", "types_utilisateurs_majores", "types_utilisateurs_agricoles", "source"),
        ),
        Store("prestations.RegleFraisDeplacement", other=s("a_charge_de", "source", "region")),
        Store("prestations.BilanMensuel"),
    ]:
        register_store(store)


def register() -> None:
    register_stores()
    anonymise_parts.register(TypePersonne.PRESTATAIRE, forget_monthly_forms)
    retention_purges.register("purges", purge_monthly_forms)
    activity_dates.register(TypePersonne.PRESTATAIRE, (Prestation, "prestataire", "date"))
    activity_dates.register(TypePersonne.UTILISATEUR, (Prestation, "utilisateur", "date"))
