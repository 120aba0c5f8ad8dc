"""GDPR: what the platform holds about a worker (export) and how a closed file is anonymised.

Called by ale_platform/privacy (see docs/privacy.md). Hours and vouchers stay for the statistics and keep
pointing to the anonymised file.
"""

import os

from ale_platform.geo import privacy as geo_privacy
from ale_platform.identifiers import format_bce
from ale_platform.privacy.core import (
    PLACEHOLDER_NOM,
    PLACEHOLDER_TEXTE,
    anonymise_everywhere,
    close_account,
    delete_files,
    dump,
    history_of,
    latest,
    max_of,
)
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_annotations, extra_files, last_activities

from .models import (
    Absence,
    ChangementStatut,
    Disponibilite,
    Document,
    Prestataire,
    SituationEligibilite,
)
from .pdf import render_pdf


def label(prestataire) -> str:
    return str(prestataire)


def export_files(prestataire) -> dict[str, bytes]:
    p = prestataire
    documents = list(p.documents.all())
    files = {
        "prestataire.json": dump([p]),
        "prestataire_historique.json": dump(history_of(Prestataire, [p.pk])),
        "changements_statut.json": dump(p.changements_statut.all()),
        "situations_eligibilite.json": dump(p.situations.all()),
        "disponibilites.json": dump(p.disponibilites.all()),
        "absences.json": dump(p.absences.all()),
        "contrats.json": dump(p.contrats.all()),
        "documents.json": dump(documents),
        "lectures_remarques_confidentielles.json": dump(p.lectures_remarques.all()),
        **extra_files(TypePersonne.PRESTATAIRE, p),
    }
    for doc in documents:
        if doc.fichier and doc.fichier.storage.exists(doc.fichier.name):
            with doc.fichier.open("rb") as handle:
                files[f"documents/{doc.pk}-{os.path.basename(doc.fichier.name)}"] = handle.read()
    context = {"prestataire": p, "agence": p.agence, "agence_bce": format_bce(p.agence.bce)}
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
    anonymise_everywhere(
        ChangementStatut, p.changements_statut.values_list("pk", flat=True), {"motif": PLACEHOLDER_TEXTE}
    )
    anonymise_everywhere(SituationEligibilite, p.situations.values_list("pk", flat=True), {"preuve": PLACEHOLDER_TEXTE})
    anonymise_everywhere(Absence, p.absences.values_list("pk", flat=True), {"motif": ""})
    Disponibilite.objects.filter(prestataire=p).delete()
    delete_files(Document.objects.filter(prestataire=p), "fichier")
    # Contracts and remark reads stay (dates and who read), they point to the anonymised file.
    close_account(p.compte)
