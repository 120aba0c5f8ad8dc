"""Export of a person's data and anonymisation of expired files, over the apps' `privacy.py` modules."""

import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ale_platform.dates import short_date
from ale_platform.models import Agence

from .core import PLACEHOLDER_NOM, months_before, person_identifiers
from .models import Anonymisation, ExportDonnees, ParametresConfidentialite, TypePersonne
from .reach import erase_rows, export_rows, gather, scrub_admin_log, scrub_mentions
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
    files = export_rows(kind, obj) | module.export_files(obj)
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
        # What identifies them and where their rows are, read before anything is erased.
        identifiers = person_identifiers(obj)
        gathered = gather(candidate.kind, obj)
        privacy_module(candidate.kind).anonymise(obj)
        for part in anonymise_parts[candidate.kind]:
            part(obj)
        erase_rows(gathered)
        scrub_admin_log(gathered)
        scrub_mentions(identifiers)
        ExportDonnees.objects.filter(type_personne=candidate.kind, objet_id=obj.pk).update(
            personne=f"{PLACEHOLDER_NOM} #{obj.pk}"
        )
        Anonymisation.objects.create(
            agence=obj.agence,
            type_personne=candidate.kind,
            objet_id=obj.pk,
            derniere_activite=candidate.derniere_activite,
        )


@dataclass
class NightlyReport:
    anonymised: list = field(default_factory=list)
    purged: dict = field(default_factory=dict)  # purge name -> rows or files deleted
    failures: list = field(default_factory=list)  # what failed (no personal data: kinds, ids, step names)


def anonymise_expired(
    *, today: datetime.date | None = None, dry_run: bool = False, report: NightlyReport | None = None
) -> list[Candidate]:
    """Anonymises every expired file, one transaction each: one that fails is logged, reported and retried the
    next night; the others go on. Returns what was (or would be) anonymised."""
    candidates = expired_files(today)
    if dry_run:
        return candidates
    done = []
    for candidate in candidates:
        try:
            anonymise(candidate)
        except Exception:
            logger.exception("anonymisation failed: %s #%s", candidate.kind, candidate.obj.pk)
            if report is not None:
                report.failures.append(f"{TypePersonne(candidate.kind).label} #{candidate.obj.pk}")
            continue
        logger.info("anonymised %s #%s", candidate.kind, candidate.obj.pk)
        done.append(candidate)
    return done


def purges():
    from .retention import CORE_PURGES

    return [*CORE_PURGES, *retention_purges["purges"]]


def purge_expired(now=None, report: NightlyReport | None = None) -> dict:
    """Every store's retention (`retention.CORE_PURGES` and the apps' `registry.retention_purges`), each on its own."""
    now = now or timezone.now()
    report = report if report is not None else NightlyReport()
    for purge in purges():
        name = f"{purge.__module__}.{purge.__name__}"
        try:
            with transaction.atomic():
                report.purged[name] = purge(now)
        except Exception:
            logger.exception("retention purge failed: %s", name)
            report.failures.append(name)
    return report.purged


def run_nightly(now=None) -> NightlyReport:
    report = NightlyReport()
    try:
        report.anonymised = anonymise_expired(report=report)
    except Exception:  # the search itself failed: the purges still run
        logger.exception("anonymisation search failed")
        report.failures.append("anonymise_expired")
    purge_expired(now, report)
    return report
