"""GDPR: what the platform holds about a job seeker referred by the Forem (export) and how a closed referral
is anonymised. Called by ale_platform/privacy (see docs/privacy.md).

A job seeker may have been referred more than once: the export gathers the agency's referrals with the same NISS.
"""

from ale_platform.privacy.core import (
    PLACEHOLDER_NOM,
    PLACEHOLDER_TEXTE,
    anonymise_everywhere,
    dump,
    history_of,
    latest,
    max_of,
)
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import export_parts

from .models import Adressage, EtatAdressage, ReponseRetour, RetourAdressage, TransitionAdressage

CLOSED_STATES = [EtatAdressage.CLOTURE, EtatAdressage.REFUSE, EtatAdressage.RETIRE]


def label(adressage) -> str:
    return f"{adressage.prenom} {adressage.nom}"


def export_files(adressage) -> dict[str, bytes]:
    adressages = Adressage.objects.filter(agence=adressage.agence, niss=adressage.niss).order_by("pk")
    ids = list(adressages.values_list("pk", flat=True))
    retours = RetourAdressage.objects.filter(adressage__in=ids, statut=RetourAdressage.Statut.PUBLIE).order_by("pk")
    return {
        "adressages.json": dump(adressages),
        "adressages_historique.json": dump(history_of(Adressage, ids)),
        "transitions.json": dump(TransitionAdressage.objects.filter(adressage__in=ids).order_by("pk")),
        "retours_publies.json": dump(retours),
        "reponses_aux_retours.json": dump(ReponseRetour.objects.filter(retour__in=retours).order_by("pk")),
    }


def expired(agence, cutoff):
    """Closed, refused or withdrawn referrals without activity since `cutoff`: (referral, last activity)."""
    candidates = (
        Adressage.objects.filter(agence=agence, etat__in=CLOSED_STATES)
        .annotate(derniere_transition=max_of(TransitionAdressage, "adressage", "le"))
        .order_by("pk")
    )
    for a in candidates:
        last = latest(a.date_adressage, a.updated_at, a.dernier_retour_le, a.derniere_transition)
        if last < cutoff:
            yield a, last


def anonymise(adressage) -> None:
    a = adressage
    anonymise_everywhere(
        Adressage,
        [a.pk],
        {
            "nom": PLACEHOLDER_NOM,
            "prenom": f"#{a.pk}",
            "niss": f"0000{a.pk:07d}",
            "numero_dossier_forem": "",
            "telephone": "",
            "email": "",
            "motif": PLACEHOLDER_TEXTE,
            "motif_refus": "",
        },
    )
    TransitionAdressage.objects.filter(adressage=a).update(motif="")
    retours = RetourAdressage.objects.filter(adressage=a)
    ReponseRetour.objects.filter(retour__in=retours).update(texte=PLACEHOLDER_TEXTE)
    retours.update(texte=PLACEHOLDER_TEXTE, faits={})
    Adressage.objects.filter(pk=a.pk).touch()


def worker_files(prestataire) -> dict[str, bytes]:
    """What a worker's export holds from the Forem liaison: their referrals and the published feedback."""
    retours = RetourAdressage.objects.filter(adressage__prestataire=prestataire, statut=RetourAdressage.Statut.PUBLIE)
    return {"adressages.json": dump(prestataire.adressages.all()), "retours_publies.json": dump(retours)}


def register() -> None:
    export_parts.register(TypePersonne.PRESTATAIRE, worker_files)


# --- Is it anonymised? One place, so that a dedicated marker on the models can replace the placeholder test. ---


def adressage_is_anonymised(adressage) -> bool:
    """True once `anonymise` ran on the referral (its name and reason hold the placeholders)."""
    return adressage.nom == PLACEHOLDER_NOM and adressage.motif == PLACEHOLDER_TEXTE


def retour_is_anonymised(retour) -> bool:
    """True once the entry's text was replaced by the placeholder (its facts were emptied with it)."""
    return retour.texte == PLACEHOLDER_TEXTE
