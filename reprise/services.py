"""The import's steps: deposit a file, map its columns, analyse it (the preview), then write it on confirmation.

Nothing is written to the domain's tables before `confirm`; the write itself runs in a background task, in one
transaction for the whole file, every created or changed record's history naming the import and its author.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform.notifications import notify

from .champs import normalise
from .entites import IMPORTEURS, ImportRefuse, Resultat, guess_mapping
from .lecture import read_table
from .models import CorrespondanceColonnes, Reprise
from .notifications import IMPORT_DONE


def read(reprise: Reprise):
    with default_storage.open(reprise.fichier, "rb") as handle:
        return read_table(reprise.nom_fichier, handle.read())


def remembered_mapping(agence, entite) -> dict:
    found = CorrespondanceColonnes.objects.filter(agence=agence, entite=entite).first()
    return found.colonnes if found else {}


def deposit(*, agence, entite: str, name: str, content: bytes, acting_user) -> Reprise:
    """Checks the file is readable and holds recognisable columns, stores it, and proposes a column mapping."""
    table = read_table(name, content)
    mapping = guess_mapping(entite, table.headers, remembered_mapping(agence, entite))
    if not mapping:
        raise ValidationError(
            _(
                "Aucune colonne de ce fichier n'est reconnue pour « %(entite)s ». Vérifiez que la première ligne "
                "contient les en-têtes et que le fichier correspond bien au contenu choisi, ou partez du modèle."
            )
            % {"entite": IMPORTEURS[entite].entite.label}
        )
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-80:]
    path = default_storage.save(f"reprises/{agence.pk}/{uuid.uuid4().hex}-{safe}", ContentFile(content))
    return Reprise.objects.create(
        agence=agence,
        entite=entite,
        fichier=path,
        nom_fichier=name[:200],
        correspondance=mapping,
        total=table.height,
        created_by=acting_user,
    )


def missing_required(entite: str, correspondance: dict) -> list:
    chosen = set(correspondance.values())
    return [c for c in IMPORTEURS[entite].champs if c.required and c.name not in chosen]


@transaction.atomic
def set_mapping(*, reprise: Reprise, correspondance: dict, acting_user) -> Reprise:
    """Saves the mapping (remembered for the agency's next file of this kind) and starts the analysis."""
    from .tasks import analyse_reprise

    reprise = Reprise.objects.select_for_update().get(pk=reprise.pk)
    if reprise.statut not in (Reprise.Statut.TELEVERSEE, Reprise.Statut.A_CONFIRMER):
        raise ValidationError(_("Cet import est déjà lancé : ses colonnes ne peuvent plus changer."))
    missing = missing_required(reprise.entite, correspondance)
    if missing:
        raise ValidationError(
            _("Colonnes obligatoires sans correspondance : %(names)s.")
            % {"names": ", ".join(str(c.label) for c in missing)}
        )
    headers = read(reprise).headers
    CorrespondanceColonnes.objects.update_or_create(
        agence=reprise.agence,
        entite=reprise.entite,
        defaults={"colonnes": {normalise(headers[int(i)]): name for i, name in correspondance.items() if name}},
    )
    reprise.correspondance = correspondance
    reprise.statut = Reprise.Statut.ANALYSE
    reprise.faits = 0
    reprise.save(update_fields=["correspondance", "statut", "faits"])
    transaction.on_commit(lambda: analyse_reprise.enqueue(reprise.pk))
    return reprise


def _progress(reprise_id):
    def progress(done):
        Reprise.objects.filter(pk=reprise_id).update(faits=done)

    return progress


def _counts(lignes) -> dict:
    counts = {key: 0 for key in Resultat.LABELS}
    for ligne in lignes:
        counts[ligne.statut] += 1
    return counts


def analyse(reprise_id: int) -> dict:
    """The preview: every row's result, stored on the import; nothing else is written."""
    reprise = Reprise.objects.select_related("agence").get(pk=reprise_id)
    try:
        table = read(reprise)
        importer = IMPORTEURS[reprise.entite](reprise.agence, reprise.created_by)
        lignes = importer.analyse(table, reprise.correspondance, _progress(reprise_id))
    except Exception as exc:
        Reprise.objects.filter(pk=reprise_id).update(statut=Reprise.Statut.ECHEC, erreur=str(exc)[:2000])
        raise
    counts = _counts(lignes)
    Reprise.objects.filter(pk=reprise_id).update(
        statut=Reprise.Statut.A_CONFIRMER,
        lignes=[ligne.as_json() for ligne in lignes],
        compteurs=counts,
        total=len(lignes),
        faits=len(lignes),
    )
    return counts


@transaction.atomic
def confirm(*, reprise: Reprise, acting_user) -> Reprise:
    from .tasks import import_reprise

    reprise = Reprise.objects.select_for_update().get(pk=reprise.pk)
    if reprise.statut != Reprise.Statut.A_CONFIRMER:
        raise ValidationError(_("Cet import n'attend pas de confirmation (déjà lancé ou pas encore analysé)."))
    if IMPORTEURS[reprise.entite].tout_ou_rien and reprise.compteurs.get(Resultat.REFUSE):
        raise ValidationError(
            _(
                "Ce fichier s'importe en entier ou pas du tout : corrigez les lignes refusées (voyez le rapport "
                "d'erreurs), puis déposez-le à nouveau. Rien n'a été importé."
            )
        )
    reprise.statut = Reprise.Statut.IMPORT
    reprise.faits = 0
    reprise.confirmee_le = timezone.now()
    reprise.created_by = reprise.created_by or acting_user
    reprise.save(update_fields=["statut", "faits", "confirmee_le", "created_by"])
    transaction.on_commit(lambda: import_reprise.enqueue(reprise.pk))
    return reprise


def run_import(reprise_id: int) -> dict:
    """Checks every row again (the data may have changed since the preview), then writes them all at once."""
    reprise = Reprise.objects.select_related("agence", "created_by").get(pk=reprise_id)
    try:
        table = read(reprise)
        importer = IMPORTEURS[reprise.entite](reprise.agence, reprise.created_by)
        lignes = importer.import_rows(
            table, reprise.correspondance, _progress(reprise_id), reason=reprise.change_reason, user=reprise.created_by
        )
    except ImportRefuse as exc:
        # Rows refused since the preview (the data changed meanwhile): nothing written, the report says why.
        counts = _counts(exc.lignes)
        Reprise.objects.filter(pk=reprise_id).update(
            statut=Reprise.Statut.ECHEC,
            erreur=str(exc),
            lignes=[ligne.as_json() for ligne in exc.lignes],
            compteurs=counts,
            faits=len(exc.lignes),
            total=len(exc.lignes),
            terminee_le=timezone.now(),
        )
        reprise.compteurs = counts
        _notify(reprise, failed=True)
        return counts
    except Exception as exc:
        Reprise.objects.filter(pk=reprise_id).update(
            statut=Reprise.Statut.ECHEC, erreur=str(exc)[:2000], terminee_le=timezone.now()
        )
        _notify(reprise, failed=True)
        raise
    counts = _counts(lignes)
    Reprise.objects.filter(pk=reprise_id).update(
        statut=Reprise.Statut.TERMINEE,
        lignes=[ligne.as_json() for ligne in lignes],
        compteurs=counts,
        faits=len(lignes),
        total=len(lignes),
        terminee_le=timezone.now(),
    )
    reprise.compteurs = counts
    _notify(reprise, failed=False)
    return counts


def _notify(reprise: Reprise, *, failed: bool) -> None:
    counts = reprise.compteurs or {}
    lines = (
        [_("L'import a échoué : rien n'a été enregistré. Contactez le support si cela se reproduit.")]
        if failed
        else [
            _("%(n)s nouveau(x)") % {"n": counts.get(Resultat.NOUVEAU, 0)},
            _("%(n)s mis à jour") % {"n": counts.get(Resultat.MISE_A_JOUR, 0)},
            _("%(n)s inchangé(s)") % {"n": counts.get(Resultat.INCHANGE, 0)},
            _("%(n)s refusé(s) : voyez le rapport d'erreurs") % {"n": counts.get(Resultat.REFUSE, 0)},
        ]
    )
    notify(
        IMPORT_DONE.code,
        recipients=[reprise.created_by],
        context={
            "title": f"{reprise.nom_fichier} — {reprise.get_entite_display()}",
            "lines": lines,
            "path": reverse("reprise:detail", args=[reprise.pk]),
        },
    )


def purge_files(now=None) -> int:
    """Retention (docs/privacy.md): deletes the uploaded file and the rows' results (names, NISS in the reasons) of
    the imports ended `REPRISE_CONSERVATION_JOURS` days ago, or deposited that long ago and never finished (also
    one stuck in analysis or import: its task died). The import itself stays (who imported which file into which
    agency, when, with its counts): the audit trail."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REPRISE_CONSERVATION_JOURS)
    done = 0
    expired = (
        Reprise.objects.filter(purgee_le__isnull=True)
        .filter(Q(terminee_le__lt=cutoff) | Q(terminee_le__isnull=True, created_at__lt=cutoff))
        .exclude(statut=Reprise.Statut.IMPORT, confirmee_le__gte=cutoff)  # confirmed lately: may be running
    )
    for reprise in expired.iterator():
        if reprise.fichier and default_storage.exists(reprise.fichier):
            default_storage.delete(reprise.fichier)
        Reprise.objects.filter(pk=reprise.pk).update(fichier="", lignes=[], purgee_le=now)
        done += 1
    return done
