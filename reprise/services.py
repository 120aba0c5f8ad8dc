"""The import's steps: deposit a file, map its columns, analyse it (the preview), then write it on confirmation.

Nothing is written to the domain's tables before `confirm`; the write itself runs in a background task, each row
written or refused on its own (`importeurs.base.write`), every created or changed record's history naming the import and
its author. A technical error is logged, never shown: the user reads a French reason.
"""

import datetime
import difflib
import logging
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
from django.utils.translation import gettext_lazy as _l

from ale_platform.models import Activite
from ale_platform.notifications import notify

from .champs import normalise
from .importeurs import (
    ACTIVITY_FIELDS,
    CONFLICT_ERROR,
    IMPORTEURS,
    TECHNICAL_ERROR,
    ImportRefuse,
    Resultat,
    guess_mapping,
    missing_required,
)
from .lecture import read_table
from .models import CorrespondanceColonnes, Reprise
from .notifications import IMPORT_DONE

logger = logging.getLogger(__name__)
# What the user reads when the file as a whole could not be processed; the cause is in the server's log.
FAILURE = _l(
    "Le traitement du fichier a été interrompu par une erreur technique, signalée à l'équipe : rien n'a été "
    "enregistré. Réessayez plus tard ou contactez le support."
)


def known_headers(entite) -> set[str]:
    """The header names that find the header row of a file of this kind under its title rows. Fixed (not the
    agency's remembered words), so that every reading of a file finds the same header row."""
    return {header for champ in IMPORTEURS[entite].champs for header in champ.headers()}


def read(reprise: Reprise):
    with default_storage.open(reprise.fichier, "rb") as handle:
        return read_table(reprise.nom_fichier, handle.read(), known_headers(reprise.entite))


def remembered_mapping(agence, entite) -> dict:
    found = CorrespondanceColonnes.objects.filter(agence=agence, entite=entite).first()
    return found.colonnes if found else {}


def remembered_values(agence, entite) -> dict:
    found = CorrespondanceColonnes.objects.filter(agence=agence, entite=entite).first()
    return found.valeurs if found else {}


def value_options(reprise: Reprise, name: str) -> list[tuple[str, str]]:
    """What a word of the office may be mapped to, for one coded column: the agency's activities, yes/no, or the
    field's values."""
    champ = IMPORTEURS[reprise.entite].champ(name)
    if name in ACTIVITY_FIELDS:
        return [(a.nom, a.nom) for a in Activite.objects.filter(agence=reprise.agence, active=True).order_by("nom")]
    if champ.kind == "bool":
        return [("oui", _("oui")), ("non", _("non"))]
    return [(value, value.replace("_", " ")) for value in sorted(set(champ.choices.values()))]


def suggestion(word: str, options: list[tuple[str, str]]) -> str:
    """The option closest to the office's word (abbreviations are in the fields' known words already)."""
    by_key = {normalise(label): value for value, label in options}
    close = difflib.get_close_matches(normalise(word), list(by_key), n=1, cutoff=0.5)
    return by_key[close[0]] if close else ""


@transaction.atomic
def set_values(*, reprise: Reprise, answers: dict[str, dict[str, str]], acting_user) -> Reprise:
    """Keeps the agency's answers (each word of a coded column → the platform's value) for this file and its next
    ones, and analyses the file again."""
    from .tasks import analyse_reprise

    reprise = Reprise.objects.select_for_update().get(pk=reprise.pk)
    if reprise.statut != Reprise.Statut.A_CONFIRMER:
        raise ValidationError(_("Cet import est déjà lancé : ses valeurs ne peuvent plus changer."))
    kept, _created = CorrespondanceColonnes.objects.get_or_create(
        agence=reprise.agence, entite=reprise.entite, defaults={"colonnes": {}}
    )
    for name, words in answers.items():
        kept.valeurs.setdefault(name, {}).update({normalise(word): value for word, value in words.items() if value})
    kept.save(update_fields=["valeurs", "updated_at"])
    reprise.statut = Reprise.Statut.ANALYSE
    reprise.faits = 0
    reprise.save(update_fields=["statut", "faits"])
    transaction.on_commit(lambda: analyse_reprise.enqueue(reprise.pk))
    return reprise


def deposit(*, agence, entite: str, name: str, content: bytes, acting_user) -> Reprise:
    """Checks the file is readable and holds recognisable columns, stores it, and proposes a column mapping."""
    table = read_table(name, content, known_headers(entite))
    mapping = guess_mapping(entite, table.headers, remembered_mapping(agence, entite))
    if not mapping:
        raise ValidationError(
            _(
                "Aucune colonne de ce fichier n'est reconnue pour « %(entite)s ». Vérifiez que la première ligne "
                "contient les en-têtes et que le fichier correspond bien au contenu choisi, ou partez du modèle."
            )
            % {"entite": IMPORTEURS[entite].entite.label}
        )
    path = default_storage.save(
        f"reprises/{agence.pk}/{uuid.uuid4().hex}-{shortened(name, 80, safe=True)}", ContentFile(content)
    )
    return Reprise.objects.create(
        agence=agence,
        entite=entite,
        fichier=path,
        nom_fichier=shortened(name, 200),
        correspondance=mapping,
        total=table.height,
        created_by=acting_user,
    )


def shortened(name: str, length: int, *, safe: bool = False) -> str:
    """A file name cut to `length` characters that keeps its extension (the format is read from it)."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if safe:
        stem = "".join(c if c.isalnum() or c in "_-" else "_" for c in stem)
        extension = "".join(c for c in extension if c.isalnum())
    suffix = f".{extension[:10]}" if extension else ""
    return stem[: length - len(suffix)] + suffix


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
    """The four results always; merged and set-aside rows only when the file has some."""
    counts = {key: 0 for key in (Resultat.NOUVEAU, Resultat.MISE_A_JOUR, Resultat.INCHANGE, Resultat.REFUSE)}
    for ligne in lignes:
        counts[ligne.statut] = counts.get(ligne.statut, 0) + 1
    return counts


def analyse(reprise_id: int) -> dict:
    """The preview: every row's result, stored on the import; nothing else is written."""
    reprise = Reprise.objects.select_related("agence").get(pk=reprise_id)
    try:
        table = read(reprise)
        importer = IMPORTEURS[reprise.entite](
            reprise.agence, reprise.created_by, valeurs=remembered_values(reprise.agence, reprise.entite)
        )
        lignes = importer.analyse(table, reprise.correspondance, _progress(reprise_id))
    except Exception:
        logger.exception("Import %s: the analysis failed", reprise_id)
        Reprise.objects.filter(pk=reprise_id).update(statut=Reprise.Statut.ECHEC, erreur=str(FAILURE))
        raise
    counts = _counts(lignes)
    Reprise.objects.filter(pk=reprise_id).update(
        statut=Reprise.Statut.A_CONFIRMER,
        lignes=[ligne.as_json() for ligne in lignes],
        compteurs=counts,
        valeurs_inconnues={name: sorted(words) for name, words in importer.inconnues.items()},
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
        importer = IMPORTEURS[reprise.entite](
            reprise.agence, reprise.created_by, valeurs=remembered_values(reprise.agence, reprise.entite)
        )
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
    except Exception:
        logger.exception("Import %s failed", reprise_id)
        Reprise.objects.filter(pk=reprise_id).update(
            statut=Reprise.Statut.ECHEC, erreur=str(FAILURE), terminee_le=timezone.now()
        )
        _notify(reprise, failed=True)
        raise
    counts = _counts(lignes)
    # Every row that was to be written was refused at the write (technical errors): nothing imported, a failure.
    failed = not any(counts[s] for s in (Resultat.NOUVEAU, Resultat.MISE_A_JOUR, Resultat.INCHANGE)) and any(
        ligne.erreurs.get(str(_("Ligne"))) in (str(TECHNICAL_ERROR), str(CONFLICT_ERROR)) for ligne in lignes
    )
    Reprise.objects.filter(pk=reprise_id).update(
        statut=Reprise.Statut.ECHEC if failed else Reprise.Statut.TERMINEE,
        erreur=str(FAILURE) if failed else "",
        lignes=[ligne.as_json() for ligne in lignes],
        compteurs=counts,
        faits=len(lignes),
        total=len(lignes),
        terminee_le=timezone.now(),
    )
    reprise.compteurs = counts
    _notify(reprise, failed=failed)
    return counts


def _notify(reprise: Reprise, *, failed: bool) -> None:
    """The e-mail says what happened: done, done with N rows refused, or failed (nothing written)."""
    counts = reprise.compteurs or {}
    refused = 0 if failed else counts.get(Resultat.REFUSE, 0)
    lines = (
        [_("L'import a échoué : rien n'a été enregistré. Contactez le support si cela se reproduit.")]
        if failed
        else [
            _("%(n)s nouveau(x)") % {"n": counts.get(Resultat.NOUVEAU, 0)},
            _("%(n)s mis à jour") % {"n": counts.get(Resultat.MISE_A_JOUR, 0)},
            _("%(n)s inchangé(s)") % {"n": counts.get(Resultat.INCHANGE, 0)},
            _("%(n)s refusé(s) : voyez le rapport d'erreurs") % {"n": refused},
        ]
        + (
            [_("%(n)s ligne(s) en double fusionnée(s)") % {"n": counts[Resultat.FUSIONNE]}]
            if counts.get(Resultat.FUSIONNE)
            else []
        )
    )
    notify(
        IMPORT_DONE.code,
        recipients=[reprise.created_by],
        context={
            "title": f"{reprise.nom_fichier} — {reprise.get_entite_display()}",
            "failed": failed,
            "refused": refused,
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
        Reprise.objects.filter(pk=reprise.pk).update(fichier="", lignes=[], valeurs_inconnues={}, purgee_le=now)
        done += 1
    return done
