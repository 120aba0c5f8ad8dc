"""What every importer shares: a row's result (`Ligne`), the checks common to all files (`Importeur`:
conversion, duplicates, the domain form's verdict), the write (`write`: all rows at once, else row by row), the
registry of importers (`IMPORTEURS`) and the column mapping's guess."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from simple_history.utils import bulk_create_with_history

from ale_platform.geo.models import Localisation
from ale_platform.geo.services import queue_inserted, stamp_unsaved
from ale_platform.history import save_as
from ale_platform.identifiers import compact_bce, compact_niss
from prestataires.models import (
    Prestataire,
)
from utilisateurs.models import Utilisateur

from ..adresses import check_place, split_address
from ..champs import Champ, closest, normalise

logger = logging.getLogger(__name__)
CODED = ("choice", "bool")  # kinds of column whose words the value step maps (activities too: `find_activite`)
ACTIVITY_FIELDS = ("activites", "activite", "activites_autorisees")


class Resultat:
    NOUVEAU = "nouveau"
    MISE_A_JOUR = "mise_a_jour"
    INCHANGE = "inchange"
    REFUSE = "refuse"
    FUSIONNE = "fusionne"  # the same record as an earlier row of the file: merged into it
    IGNOREE = "ignoree"  # a title, TOTAL or subtotal row, set aside when reading the file
    LABELS = {
        NOUVEAU: _l("Nouveau"),
        MISE_A_JOUR: _l("Mise à jour"),
        INCHANGE: _l("Inchangé"),
        REFUSE: _l("Refusé"),
        FUSIONNE: _l("Fusionnée"),
        IGNOREE: _l("Ignorée"),
    }


TECHNICAL_ERROR = _l(
    "Cette ligne n'a pas pu être traitée à cause d'une erreur technique (elle est signalée à l'équipe) : "
    "elle n'est pas importée. Déposez-la à nouveau plus tard."
)

CONFLICT_ERROR = _l(
    "Cette ligne entre en conflit avec un dossier enregistré entre-temps (un numéro déjà pris) : elle n'est pas "
    "importée. Vérifiez le dossier existant, puis déposez-la à nouveau."
)


@dataclass
class Ligne:
    """The result of one row of the file."""

    numero: int
    statut: str = ""
    libelle: str = ""
    erreurs: dict[str, str] = field(default_factory=dict)  # column label → reason
    changements: list[list[str]] = field(default_factory=list)  # [label, before, after]
    objet: object = None  # the validated, unsaved record the row creates or changes
    apres: Callable | None = None  # what follows its save
    relations: dict[str, list] = field(default_factory=dict)  # many-to-many set after the save (all rows at once)
    notes: list[str] = field(default_factory=list)  # how the file's cells were read (an address split, a word…)
    # New records that belong to the row's record, (foreign key's name, unsaved record): inserted after it, for
    # every row at once (a client's authorisations from its "Activités autorisées").
    suivants: list[tuple[str, object]] = field(default_factory=list)

    def refuse(self, label, message):
        self.statut = Resultat.REFUSE
        label, message = str(label), str(message)
        known = self.erreurs.get(label)
        self.erreurs[label] = f"{known} {message}" if known and message not in known else (known or message)

    def as_json(self) -> dict:
        return {
            "numero": self.numero,
            "statut": self.statut,
            "libelle": self.libelle,
            "erreurs": self.erreurs,
            "changements": self.changements,
            "notes": self.notes,
        }


def _display(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return str(value)


def _alike(one, other) -> bool:
    """Two cells of the file that say the same (case, accents and spacing aside)."""
    if isinstance(one, str) and isinstance(other, str):
        return normalise(one) == normalise(other)
    return one == other


def _same(before, after) -> bool:
    if hasattr(after, "pk"):  # a foreign key: model_to_dict gives its pk, the form its object
        return before == after.pk
    if before in (None, "") and after in (None, ""):
        return True
    if isinstance(before, int | float) or isinstance(after, int | float):
        try:
            return float(before) == float(after)
        except (TypeError, ValueError):
            return False
    return before == after


class ImportRefuse(Exception):
    """A file that is imported whole or not at all (`Importeur.tout_ou_rien`) still has refused rows: nothing was
    written; the rows' results go into the import for the preview and the error report."""

    def __init__(self, lignes, message):
        super().__init__(message)
        self.lignes = lignes


class Importeur:
    """Checks the rows of one file for one agency; `analyse` never writes."""

    entite: str
    champs: list[Champ]
    key_field: str
    # True: one refused row and nothing of the file is written (the confirmation waits for a corrected file).
    tout_ou_rien = False
    # True: two rows of the file for the same person or company are merged (one row in the preview) when they do
    # not disagree; False: the later one is refused as a duplicate (a voucher, a prestation, a registration…).
    fusion = False

    reason = ""  # the history's change reason, set when importing for good

    def __init__(self, agence, acting_user=None, valeurs: dict | None = None):
        self.agence = agence
        self.acting_user = acting_user
        # The agency's own words, mapped once to the platform's values: {field: {normalised word: value}}.
        self.valeurs = valeurs or {}
        # The words of coded columns the file uses that nothing recognised: {field: {word, …}} (the value step).
        self.inconnues: dict[str, set[str]] = {}
        self.today = timezone.localdate()

    @classmethod
    def champ(cls, name) -> Champ:
        return next(c for c in cls.champs if c.name == name)

    def label(self, name) -> str:
        found = [c for c in self.champs if c.name == name]
        return str(found[0].label) if found else name

    def analyse(self, table, correspondance: dict, progress=None) -> list[Ligne]:
        mapping = {int(index): name for index, name in correspondance.items() if name}
        rows = []
        for numero, row in zip(table.lines, table, strict=True):
            ligne = Ligne(numero=numero)
            values = {}
            for index, name in mapping.items():
                cell = row[index] if index < len(row) else ""
                champ = self.champ(name)
                try:
                    values[name] = champ.convert(self.word(name, cell))
                except ValueError as exc:
                    ligne.refuse(self.label(name), exc)
                    values[name] = ""
                    if champ.kind in CODED:
                        self.inconnues.setdefault(name, set()).add(cell.strip())
            self._split_address(ligne, values, set(mapping.values()))
            self._check_place(ligne, values)
            rows.append((ligne, values))
        self._merge_duplicates(rows)
        self.prepare([values for ligne, values in rows if ligne.statut != Resultat.FUSIONNE])
        for done, (ligne, values) in enumerate(rows, start=1):
            if ligne.statut == Resultat.FUSIONNE:
                continue
            if ligne.statut != Resultat.REFUSE:
                self._check_safely(ligne, values)
            if ligne.statut == Resultat.REFUSE:
                ligne.objet = ligne.apres = None
                ligne.relations = {}
                ligne.suivants = []
            if progress and (done % 250 == 0 or done == len(rows)):
                progress(done)
        lignes = [ligne for ligne, _values in rows]
        skipped = [
            Ligne(numero=n, statut=Resultat.IGNOREE, libelle=str(why)) for n, why in getattr(table, "skipped", ())
        ]
        return sorted(lignes + skipped, key=lambda ligne: ligne.numero) if skipped else lignes

    def word(self, name: str, text: str) -> str:
        """The cell, or the platform's value the agency mapped this word to (`CorrespondanceColonnes.valeurs`)."""
        return self.valeurs.get(name, {}).get(normalise(text), text) if str(text).strip() else text

    def find_activite(self, name: str, text: str):
        """The agency's activity a word names (the agency's own mapping, then `closest`); an unknown word is kept for
        the value step."""
        activite = closest(self.word(name, text), self.activites)
        if activite is None and text:
            self.inconnues.setdefault(name, set()).add(text)
        return activite

    def _split_address(self, ligne, values, mapped: set[str]) -> None:
        """An address in one cell ("Rue de la Station 12, 4500 Huy") fills the postal code and the commune."""
        text = values.get("rue", "")
        if not text or values.get("code_postal") or values.get("commune"):
            return
        found = split_address(text)
        if found is None:
            if not {"code_postal", "commune"} & mapped:
                ligne.refuse(
                    self.label("rue"),
                    _(
                        "Adresse « %(a)s » : code postal et commune introuvables. Écrivez-la comme « Rue de la "
                        "Station 12, 4500 Huy »."
                    )
                    % {"a": text},
                )
            return
        values.update(rue=found.rue, code_postal=found.code_postal, commune=found.commune)
        ligne.notes.append(
            _("Adresse lue : %(r)s · %(cp)s · %(c)s") % {"r": found.rue, "cp": found.code_postal, "c": found.commune}
        )

    def _check_place(self, ligne, values) -> None:
        """The postal code and the commune checked against every Belgian postal code (one line in the report when
        they do not exist or do not match, the row imported all the same); a commune without its code gets it when
        it has only one."""
        has_place = any(c.name == "code_postal" for c in self.champs)
        if not has_place or not (values.get("code_postal") or values.get("commune")):
            return
        code, remark = check_place(values.get("code_postal", ""), values.get("commune", ""))
        if code and not values.get("code_postal"):
            values["code_postal"] = code
        if remark:
            ligne.notes.append(remark)

    def _merge_duplicates(self, rows) -> None:
        """Two rows of the file for the same record (same NISS, BCE, number…) are one: the later row's cells fill
        the first one's empty cells and it is marked merged; when they disagree, the later row is refused."""
        seen: dict[str, tuple[Ligne, dict]] = {}
        for ligne, values in rows:
            key = self.key(values)
            if not key:
                continue
            if key not in seen:
                seen[key] = (ligne, values)
                continue
            first, first_values = seen[key]
            ligne.libelle = ligne.libelle or self.describe(values)
            if not self.fusion:
                ligne.refuse(
                    self.label(self.key_field),
                    _("En double dans le fichier : même valeur qu'à la ligne %(n)s.") % {"n": first.numero},
                )
                continue
            conflicts = [
                name
                for name, value in values.items()
                if value not in ("", None)
                and first_values.get(name) not in ("", None)
                and not _alike(first_values[name], value)
            ]
            if conflicts or Resultat.REFUSE in (ligne.statut, first.statut):
                ligne.refuse(
                    self.label(self.key_field),
                    _("En double dans le fichier : même valeur qu'à la ligne %(n)s, avec d'autres données (%(cols)s).")
                    % {"n": first.numero, "cols": ", ".join(self.label(name) for name in conflicts) or "—"}
                    if conflicts
                    else _("En double dans le fichier : même valeur qu'à la ligne %(n)s.") % {"n": first.numero},
                )
                continue
            for name, value in values.items():
                if first_values.get(name) in ("", None):
                    first_values[name] = value
            ligne.statut = Resultat.FUSIONNE
            ligne.changements.append([_("Fusionnée"), "", _("avec la ligne %(n)s") % {"n": first.numero}])

    def describe(self, values) -> str:
        """The row's record in a few words, for the preview (a refused duplicate is named too)."""
        return f"{values.get('prenom', '')} {values.get('nom', '')}".strip()

    def _check_safely(self, ligne, values) -> None:
        """A technical error in one row is logged and refuses that row only, with a French reason."""
        try:
            self.check(ligne, values)
        except Exception:  # noqa: BLE001 — never shown to the user: logged, the row refused in French
            logger.exception("Import %s: row %s could not be checked", self.entite, ligne.numero)
            ligne.changements = []
            ligne.refuse(_("Ligne"), TECHNICAL_ERROR)

    # --- helpers for the subclasses -----------------------------------------------------------------

    def key(self, values) -> str:
        return str(values.get(self.key_field) or "")

    def prepare(self, rows: list[dict]) -> None:
        """Loads, in a few queries, what every row will be compared with."""

    def check(self, ligne: Ligne, values: dict) -> None:
        raise NotImplementedError

    def import_rows(self, table, correspondance: dict, progress=None, *, reason: str, user) -> list[Ligne]:
        """Checks the rows again, then writes the new and changed ones; a row that cannot be written is refused
        alone (`write`)."""
        self.reason = reason
        lignes = self.analyse(table, correspondance, progress)
        write(lignes, reason=reason, user=user)
        return lignes

    def _form_errors(self, ligne, form, names, quiet=()):
        """Each form error next to its column; `quiet` fields only fail because another one did."""
        for name, errors in form.errors.items():
            if name in quiet:
                continue
            label = self.label(name) if name in names else (form.fields[name].label if name in form.fields else "")
            ligne.refuse(label or _("Ligne"), " ".join(errors))

    def _overlay(self, instance, values, defaults=None):
        """(before, data): the record as known (or `defaults` for a new one), overlaid by the file's non-empty
        cells of the form's fields, so that an empty cell never erases a known value."""
        before = model_to_dict(instance, fields=self.FORM_FIELDS) if instance else None
        data = dict(before or defaults or {})
        data.update({k: v for k, v in values.items() if k in self.FORM_FIELDS and v != ""})
        return before, data

    def _finish(self, ligne, form, before: dict | None, names, extra_changes=(), quiet=()):
        """Sets the row's result from a validated form: new, update with its changes, or unchanged."""
        if not form.is_valid():
            self._form_errors(ligne, form, names, quiet)
            return False
        if before is None:
            ligne.statut = Resultat.NOUVEAU
            return True
        for name in names:
            old, new = before.get(name), form.cleaned_data.get(name)
            if name in form.cleaned_data and not _same(old, new):
                if hasattr(new, "pk"):
                    old = type(new)._default_manager.filter(pk=old).first()
                ligne.changements.append([self.label(name), _display(old), _display(new)])
        ligne.changements.extend(extra_changes)
        ligne.statut = Resultat.MISE_A_JOUR if ligne.changements else Resultat.INCHANGE
        return True

    def _writer(self, ligne, form, after_save=None, relations=None):
        ligne.objet = form.save(commit=False)
        ligne.apres = after_save
        ligne.relations = relations or {}


def write(lignes: list[Ligne], *, reason: str, user) -> None:
    """Writes the new and changed rows, each with its history row: all at once in a savepoint, and when that
    fails, row by row, each in its own savepoint, so that one row that cannot be written (a number taken
    meanwhile, say) is refused alone with a French reason and the others are imported."""
    pending = [
        ligne
        for ligne in lignes
        if ligne.statut in (Resultat.NOUVEAU, Resultat.MISE_A_JOUR) and ligne.objet is not None
    ]
    try:
        with transaction.atomic():
            _write(pending, reason=reason, user=user)
        return
    except Exception:  # noqa: BLE001 — retried row by row below, each failure logged
        logger.warning("Import: writing %s rows at once failed, row by row now", len(pending), exc_info=True)
    for ligne in pending:
        try:
            with transaction.atomic():
                _write([ligne], reason=reason, user=user)
        except Exception as exc:  # noqa: BLE001 — never shown to the user: logged, the row refused in French
            logger.exception("Import: row %s could not be written", ligne.numero)
            if ligne.statut == Resultat.NOUVEAU:
                ligne.objet.pk = None
                ligne.objet._state.adding = True
            ligne.changements = []
            ligne.refuse(_("Ligne"), CONFLICT_ERROR if isinstance(exc, IntegrityError) else TECHNICAL_ERROR)
            ligne.objet = ligne.apres = None
            ligne.suivants = []


def _write(lignes: list[Ligne], *, reason: str, user) -> None:
    for ligne in lignes:
        if ligne.statut == Resultat.NOUVEAU and ligne.objet.pk is not None and ligne.objet._state.adding is False:
            ligne.objet.pk = None  # given by an attempt rolled back: inserted afresh
            ligne.objet._state.adding = True
    new = [ligne.objet for ligne in lignes if ligne.statut == Resultat.NOUVEAU]
    if new:
        located = isinstance(new[0], Localisation)  # a bulk insert sends no save signal: geocoding is queued here
        for record in new if located else ():
            stamp_unsaved(record)
        bulk_create_with_history(new, type(new[0]), batch_size=500, default_user=user, default_change_reason=reason)
        if located:
            queue_inserted(new)
    for ligne in lignes:
        if ligne.statut == Resultat.MISE_A_JOUR:
            save_as(ligne.objet, user, reason=reason)
    _set_relations(lignes)
    for ligne in lignes:
        if ligne.apres:
            ligne.apres(ligne.objet)
    _insert_followers(lignes, reason=reason, user=user)


def _insert_followers(lignes: list[Ligne], *, reason: str, user) -> None:
    """The rows' new dependent records (`Ligne.suivants`), each pointed at its row's record, inserted with their
    history rows in one bulk insert per model (an attempt rolled back before gave them no row: inserted afresh)."""
    by_model: dict[type, list] = {}
    for ligne in lignes:
        for name, record in ligne.suivants:
            setattr(record, name, ligne.objet)
            record.pk = None
            record._state.adding = True
            by_model.setdefault(type(record), []).append(record)
    for model, records in by_model.items():
        bulk_create_with_history(records, model, batch_size=500, default_user=user, default_change_reason=reason)


def _set_relations(lignes: list[Ligne]) -> None:
    """Each row's many-to-many fields set to the file's values, for every row in two queries per field (what
    `.set()` does row by row): the links of the written records are replaced. No history is kept of these links,
    and no signal listens to them."""
    by_field: dict[str, list] = {}
    for ligne in lignes:
        for name, targets in ligne.relations.items():
            by_field.setdefault(name, []).append((ligne.objet, targets))
    for name, pairs in by_field.items():
        m2m = type(pairs[0][0])._meta.get_field(name)
        through = m2m.remote_field.through
        source = through._meta.get_field(m2m.m2m_field_name()).attname
        target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
        through.objects.filter(**{f"{source}__in": [obj.pk for obj, _targets in pairs]}).delete()
        through.objects.bulk_create(
            [
                through(**{source: obj.pk, target: t.pk})
                for obj, targets in pairs
                for t in {t.pk: t for t in targets}.values()
            ],
            batch_size=1000,
        )


class _ParClient(Importeur):
    """A file whose rows belong to a client already in the agency, named by NISS or BCE number."""

    def prepare_clients(self, rows):
        ids = {r["client"] for r in rows if r.get("client")}
        ids = {compact_niss(i) for i in ids} | {compact_bce(i) for i in ids}
        mine = Utilisateur.objects.filter(agence=self.agence)
        self.clients = {u.niss: u for u in mine.filter(niss__in=ids)} | {u.bce: u for u in mine.filter(bce__in=ids)}
        for client in self.clients.values():
            client.agence = self.agence  # read by the forms, once for the file instead of once per row

    def client(self, ligne, values):
        ident = values.get("client", "")
        client = self.clients.get(compact_bce(ident)) or self.clients.get(compact_niss(ident))
        if client is None:
            ligne.refuse(
                self.label("client"),
                _(
                    "Aucun client de l'agence avec ce NISS ou ce numéro BCE : importez d'abord le fichier des "
                    "utilisateurs."
                ),
            )
        else:
            ligne.libelle = str(client)
        return client


class _ParPrestataire(Importeur):
    """A file whose rows belong to a worker already in the agency, named by NISS."""

    def prepare_workers(self, rows):
        niss = {r["prestataire"] for r in rows if r.get("prestataire")}
        self.workers = {p.niss: p for p in Prestataire.objects.filter(agence=self.agence, niss__in=niss)}
        for worker in self.workers.values():
            worker.agence = self.agence  # the rules read the worker's agency (its region): no query per row

    def worker(self, ligne, values):
        worker = self.workers.get(values.get("prestataire", ""))
        if worker is None:
            ligne.refuse(
                self.label("prestataire"),
                _("Aucun prestataire de l'agence avec ce NISS : importez d'abord le fichier des prestataires."),
            )
        else:
            ligne.libelle = str(worker)
        return worker


# Filled by each importer's module (`reprise.importeurs` imports them all).
IMPORTEURS: dict[str, type[Importeur]] = {}


def missing_required(entite: str, correspondance: dict) -> list:
    chosen = set(correspondance.values())
    # An address in one column ("Rue X 12, 4500 Huy") gives the postal code and the commune, row by row.
    split = {"code_postal", "commune"} if "rue" in chosen else set()
    return [c for c in IMPORTEURS[entite].champs if c.required and c.name not in chosen | split]


def guess_mapping(entite: str, headers: list[str], remembered: dict | None = None) -> dict[str, str]:
    """{column index: field}: the agency's last mapping first, then the French and Dutch names known."""
    champs = IMPORTEURS[entite].champs
    known = {}
    for champ in champs:
        for header in champ.headers():
            known.setdefault(header, champ.name)
    remembered = remembered or {}
    mapping, used = {}, set()
    for index, header in enumerate(headers):
        name = remembered.get(normalise(header)) or known.get(normalise(header))
        if name and name not in used and any(c.name == name for c in champs):
            mapping[str(index)] = name
            used.add(name)
    return mapping
