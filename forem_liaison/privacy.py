"""GDPR: what the platform holds about a job seeker referred by the Forem (export) and how a referral is
anonymised, alone after the agency's retention or with the worker file it led to. Called by ale_platform/privacy
(see docs/privacy.md).

A job seeker may have been referred more than once: the export and the anonymisation take the agency's referrals
with the same NISS. An anonymised referral has `anonymise_le` set (`RetourAdressage.est_anonymise` for its feedback).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.privacy.core import (
    PLACEHOLDER_NOM,
    PLACEHOLDER_TEXTE,
    anonymise_everywhere,
    latest,
    max_of,
)
from ale_platform.privacy.datamap import Store, register_store, s
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_dates

from .models import Adressage, ReponseRetour, RetourAdressage, TransitionAdressage


def label(adressage) -> str:
    return f"{adressage.prenom} {adressage.nom}"


def same_person(adressage):
    """The agency's referrals of the same job seeker (they may have been referred more than once)."""
    return Adressage.objects.filter(agence=adressage.agence_id, niss=adressage.niss)


def of_worker(prestataire):
    """The referrals of a worker: linked to their file, or of the same NISS in their agency."""
    return Adressage.objects.filter(Q(prestataire=prestataire) | Q(agence=prestataire.agence_id, niss=prestataire.niss))


def export_files(adressage) -> dict[str, bytes]:
    return {}  # every row is in the data map (`register()`)


def expired(agence, cutoff):
    """Referrals, in any state, not anonymised yet, of job seekers without activity since `cutoff` on any of their
    referrals in the agency (an open one left "actif" expires too; a person referred again keeps the older ones,
    which the export and the anonymisation take together): (referral, last activity of the person)."""
    candidates = list(
        Adressage.objects.filter(agence=agence, anonymise_le__isnull=True)
        .annotate(derniere_transition=max_of(TransitionAdressage, "adressage", "le"))
        .order_by("pk")
    )
    last_of_person: dict[str, object] = {}
    for a in candidates:
        last = latest(a.date_adressage, a.updated_at, a.dernier_retour_le, a.derniere_transition)
        last_of_person[a.niss] = latest(last, last_of_person.get(a.niss))
    for a in candidates:
        if last_of_person[a.niss] < cutoff:
            yield a, last_of_person[a.niss]


def anonymise(adressage) -> None:
    """The referral's own columns (per-row placeholders) and its feedback, within what the database's trigger
    allows on a published entry: text set to the placeholder and facts emptied, nothing else. The transitions
    and replies are erased from the data map."""
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
    Adressage.objects.filter(pk=a.pk).update(anonymise_le=timezone.now())
    Adressage.objects.filter(pk=a.pk).touch()


def anonymise_referrals(pks) -> None:
    """The data map's eraser of referrals (a worker's, or the other referrals of the same job seeker)."""
    for a in Adressage.objects.filter(pk__in=pks, anonymise_le__isnull=True):
        anonymise(a)


def _rows(path):
    return {
        TypePersonne.ADRESSAGE: lambda a: path(same_person(a)),
        TypePersonne.PRESTATAIRE: lambda p: path(of_worker(p)),
    }


def register() -> None:
    # A worker whose referral still moves is not inactive.
    activity_dates.register(TypePersonne.PRESTATAIRE, (Adressage, "prestataire", "updated_at"))
    for store in [
        Store(
            "forem_liaison.Adressage",
            personal=s("nom", "prenom", "niss", "numero_dossier_forem", "telephone", "email", "motif", "motif_refus"),
            other=s("categories", "etat", "issue"),
            rows=_rows(lambda referrals: referrals),
            erase=anonymise_referrals,
            export="adressages",
            retention=_("la durée de conservation de l'agence après la dernière activité, quel que soit l'état"),
        ),
        Store(
            "forem_liaison.TransitionAdressage",
            personal=s("motif"),
            other=s("de", "vers"),
            rows=_rows(lambda referrals: TransitionAdressage.objects.filter(adressage__in=referrals)),
            erase={"motif": PLACEHOLDER_TEXTE},
            export="transitions_adressages",
        ),
        Store(
            "forem_liaison.RetourAdressage",
            personal=s("texte", "faits"),
            other=s("statut"),
            rows=_rows(lambda referrals: RetourAdressage.objects.filter(adressage__in=referrals)),
            export="retours",
            note=_("publié : immuable, sauf l'anonymisation (texte remplacé, faits vidés, trigger de la base)"),
        ),
        Store(
            "forem_liaison.ReponseRetour",
            personal=s("texte"),
            rows=_rows(lambda referrals: ReponseRetour.objects.filter(retour__adressage__in=referrals)),
            erase={"texte": PLACEHOLDER_TEXTE},
            export="reponses_aux_retours",
        ),
        Store("forem_liaison.BureauForem", other=s("nom", "commune")),
        Store("forem_liaison.Conseiller"),
        Store("forem_liaison.EquipeForem", other=s("nom")),
        Store("forem_liaison.ParametresForem"),
        Store("forem_liaison.JetonAPI", other=s("nom", "prefixe", "hashed_token")),
    ]:
        register_store(store)


# --- Is it anonymised? One place, read by the API and the screens. ---


def adressage_is_anonymised(adressage) -> bool:
    """True once `anonymise` ran on the referral."""
    return adressage.anonymise_le is not None


def retour_is_anonymised(retour) -> bool:
    """True once the entry's referral was anonymised (its text replaced, its facts emptied)."""
    return retour.est_anonymise
