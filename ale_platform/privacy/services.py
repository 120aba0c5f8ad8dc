"""Export of a person's data and anonymisation of expired files, over the apps' `privacy.py` modules."""

import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ale_platform.dates import short_date
from ale_platform.models import Agence

from .core import PLACEHOLDER_NOM, months_before
from .models import Anonymisation, ExportDonnees, ParametresConfidentialite, TypePersonne
from .registry import KINDS, anonymise_parts, retention_purges

logger = logging.getLogger(__name__)


def model_for(kind):
    return KINDS[kind].model


def privacy_module(kind):
    return KINDS[kind].module


@transaction.atomic
def export_personne(*, kind: str, obj, acting_user) -> bytes:
    """The ZIP of everything the platform holds about one person; the export is logged."""
    module = privacy_module(kind)
    files = module.export_files(obj)
    now = timezone.now()
    ExportDonnees.objects.create(
        agence=obj.agence, type_personne=kind, objet_id=obj.pk, personne=module.label(obj), par=acting_user
    )
    readme = {
        "type": str(TypePersonne(kind).label),
        "dossier": obj.pk,
        "agence": str(obj.agence),
        "exporte_le": now.isoformat(),
        "exporte_par": acting_user.email,
        "fichiers": sorted(files),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LISEZMOI.json", json.dumps(readme, indent=2, ensure_ascii=False))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@dataclass
class Candidate:
    kind: str
    obj: object
    derniere_activite: datetime.date

    def __str__(self):
        kind = TypePersonne(self.kind).label
        return f"{kind} #{self.obj.pk} ({self.obj.agence}), dernière activité {short_date(self.derniere_activite)}"


def expired_files(today: datetime.date | None = None) -> list[Candidate]:
    """Every file whose retention period has passed and that was not anonymised yet, in every agency."""
    today = today or timezone.localdate()
    done = {(k, i) for k, i in Anonymisation.objects.values_list("type_personne", "objet_id")}
    found = []
    for agence in Agence.objects.order_by("pk"):
        cutoff = months_before(today, ParametresConfidentialite.retention_for(agence))
        for kind in KINDS:
            for obj, last in privacy_module(kind).expired(agence, cutoff):
                if (kind, obj.pk) not in done:
                    found.append(Candidate(kind, obj, last))
    return found


def anonymise(candidate: Candidate) -> None:
    with transaction.atomic():
        model = model_for(candidate.kind)
        obj = model.objects.select_for_update().get(pk=candidate.obj.pk)
        privacy_module(candidate.kind).anonymise(obj)
        for part in anonymise_parts[candidate.kind]:
            part(obj)
        ExportDonnees.objects.filter(type_personne=candidate.kind, objet_id=obj.pk).update(
            personne=f"{PLACEHOLDER_NOM} #{obj.pk}"
        )
        Anonymisation.objects.create(
            agence=obj.agence,
            type_personne=candidate.kind,
            objet_id=obj.pk,
            derniere_activite=candidate.derniere_activite,
        )


def anonymise_expired(*, today: datetime.date | None = None, dry_run: bool = False) -> list[Candidate]:
    """Anonymises every expired file (one transaction each). Returns what was (or would be) anonymised."""
    candidates = expired_files(today)
    if not dry_run:
        for candidate in candidates:
            anonymise(candidate)
            logger.info("anonymised %s #%s", candidate.kind, candidate.obj.pk)
    return candidates


def purge_expired_files(now=None) -> int:
    """Deletes the files the apps keep for a while once their retention has passed (`registry.retention_purges`)."""

    return sum(purge(now) for purge in retention_purges["purges"])
