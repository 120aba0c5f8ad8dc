"""GDPR: what the platform holds about a worker (export) and how a closed file is anonymised.

Called by ale_platform/privacy (see docs/privacy.md). Hours and vouchers stay for the statistics and keep
pointing to the anonymised file.
"""

import os

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.geo import privacy as geo_privacy
from ale_platform.privacy.core import (
    PLACEHOLDER_NOM,
    PLACEHOLDER_TEXTE,
    anonymise_everywhere,
    close_account,
    delete_files,
    latest,
    max_of,
    months_before,
)
from ale_platform.privacy.datamap import DELETE, Store, register_store, s
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_annotations, extra_files, last_activities, retention_purges

from .models import (
    Absence,
    ChangementStatut,
    ContratALE,
    Disponibilite,
    Document,
    LectureRemarques,
    PeriodeOrganismePaiement,
    Prestataire,
    SituationEligibilite,
)
from .pdf import render_pdf


def label(prestataire) -> str:
    return str(prestataire)


def export_files(prestataire) -> dict[str, bytes]:
    """The files beside the rows of the data map (`register()`): the documents and the registration proof."""
    p = prestataire
    files = extra_files(TypePersonne.PRESTATAIRE, p)
    for doc in p.documents.all():
        if doc.fichier and doc.fichier.storage.exists(doc.fichier.name):
            with doc.fichier.open("rb") as handle:
                files[f"documents/{doc.pk}-{os.path.basename(doc.fichier.name)}"] = handle.read()
    context = {"prestataire": p, "agence": p.agence}
    files["preuve_inscription.pdf"] = render_pdf(
        "prestataires/pdf/preuve_inscription.html", context | {"situations": p.situations.all()}, p.langue
    )
    return files


def expired(agence, cutoff):
    """Workers who left ("sorti") with no activity since `cutoff`: (worker, last activity)."""
    candidates = (
        Prestataire.objects.filter(agence=agence, statut=Prestataire.Statut.SORTI)
        .annotate(
            dernier_statut=max_of(ChangementStatut, "prestataire", "date"),
            **activity_annotations(TypePersonne.PRESTATAIRE),
        )
        .order_by("pk")
    )
    for p in candidates:
        last = latest(p.date_inscription, p.created_at, p.dernier_statut, *last_activities(p, TypePersonne.PRESTATAIRE))
        if last < cutoff:
            yield p, last


def anonymise(prestataire) -> None:
    p = prestataire
    geo_privacy.forget([p])
    anonymise_everywhere(
        Prestataire,
        [p.pk],
        {
            "nom": PLACEHOLDER_NOM,
            "prenom": f"#{p.pk}",
            # 11 digits with month 00: keeps the unique constraint, encodes no birth date.
            "niss": f"0000{p.pk:07d}",
            "rue": "",
            "code_postal": "",
            "commune": "",
            "telephone": "",
            "email": "",
            "date_naissance": None,
            "sexe": "",
            "iban": "",
            "communes_mobilite": [],
            "langues_parlees": "",
            "formations": "",
            "notes": "",
            "remarques_sensibles": "",
            "cpas": "",
            **geo_privacy.ERASED,
        },
    )
    # The other rows about them are erased from the data map (`register()`); the documents' files go here.
    delete_files(Document.objects.filter(prestataire=p), "fichier")
    close_account(p.compte)


def _rows(model, path="prestataire"):
    return {TypePersonne.PRESTATAIRE: lambda p: model.objects.filter(**{path: p})}


GEO_COLUMNS = s("geocodage_note", "geocodage_adresse")


def purge_remark_reads(now) -> int:
    """Access log retention: `JOURNAL_CONSERVATION_MOIS` months (docs/privacy.md)."""
    cutoff = months_before(timezone.localdate(now), settings.JOURNAL_CONSERVATION_MOIS)
    return LectureRemarques.objects.filter(at__date__lt=cutoff).delete()[0]


def register() -> None:
    retention_purges.register("purges", purge_remark_reads)
    for store in [
        Store(
            "prestataires.Prestataire",
            personal=s(
                "nom",
                "prenom",
                "niss",
                "rue",
                "code_postal",
                "commune",
                "telephone",
                "email",
                "sexe",
                "iban",
                "communes_mobilite",
                "langues_parlees",
                "formations",
                "notes",
                "remarques_sensibles",
                "cpas",
            )
            | GEO_COLUMNS,
            other=s("geocodage", "langue", "statut", "mobilite", "organisme_paiement"),
            rows={TypePersonne.PRESTATAIRE: lambda p: Prestataire.objects.filter(pk=p.pk)},
            export="prestataire",
            retention=_("jusqu'à la sortie, puis la durée de conservation de l'agence après la dernière activité"),
        ),
        Store(
            "prestataires.PeriodeOrganismePaiement",
            personal=s("cpas"),
            other=s("organisme"),
            rows=_rows(PeriodeOrganismePaiement),
            erase={"cpas": PLACEHOLDER_TEXTE},
            export="periodes_organisme_paiement",
        ),
        Store(
            "prestataires.ChangementStatut",
            personal=s("motif"),
            other=s("de", "vers"),
            rows=_rows(ChangementStatut),
            erase={"motif": PLACEHOLDER_TEXTE},
            export="changements_statut",
        ),
        Store("prestataires.RegleEligibilite", other=s("base", "libelle", "region", "source")),
        Store(
            "prestataires.SituationEligibilite",
            personal=s("preuve"),
            other=s("base"),
            rows=_rows(SituationEligibilite),
            erase={"preuve": PLACEHOLDER_TEXTE},
            export="situations_eligibilite",
        ),
        Store(
            "prestataires.Disponibilite",
            other=s("demi_journee"),
            rows=_rows(Disponibilite),
            erase=DELETE,
            export="disponibilites",
        ),
        Store(
            "prestataires.Absence",
            personal=s("motif"),
            rows=_rows(Absence),
            erase={"motif": PLACEHOLDER_TEXTE},
            export="absences",
        ),
        Store(
            "prestataires.LectureRemarques",
            rows=_rows(LectureRemarques),
            export="lectures_remarques_confidentielles",
            retention=_("JOURNAL_CONSERVATION_MOIS mois (défaut 24)"),
        ),
        Store("prestataires.ContratALE", rows=_rows(ContratALE), export="contrats", note=_("gardé : les dates")),
        Store(
            "prestataires.Document",
            personal=s("titre", "fichier"),
            other=s("type"),
            rows=_rows(Document),
            export="documents",
            note=_("fichiers, lignes et historique supprimés à l'anonymisation"),
        ),
    ]:
        register_store(store)
