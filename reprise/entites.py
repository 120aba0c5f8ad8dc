"""Each kind of importable file: its columns, how a row finds its existing record, and how it is checked.

A row is checked by the domain's own form (PrestataireForm, UtilisateurForm, InscriptionForm, AutorisationForm),
fed with the existing record's values overlaid by the file's non-empty cells: the rules live in one place, and
an unchanged row is recognised as such (importing the same file twice changes nothing).
"""

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from simple_history.utils import bulk_create_with_history

from ale_platform.geo.models import Localisation
from ale_platform.geo.services import queue_inserted, stamp_unsaved
from ale_platform.history import save_as
from ale_platform.identifiers import compact_bce, compact_niss, niss_birth_date, niss_sex, validate_niss
from ale_platform.models import Activite, TypeUtilisateur
from prestataires import eligibility
from prestataires.forms import PrestataireForm, SituationForm
from prestataires.models import Langue, OrganismePaiement, Prestataire, Sexe, SituationEligibilite
from utilisateurs.forms import AutorisationForm, ContactForm, InscriptionForm, SiteForm, UtilisateurForm
from utilisateurs.models import Autorisation, Contact, Inscription, Site, Utilisateur

from .adresses import split_address
from .champs import FALSE, TRUE, Champ, ThisYear, allowed_of, choices_of, closest, normalise, parse_date
from .models import Entite
from .statuts import STATUT_HELP, base_of
from .validation import ImportValidation, for_import

logger = logging.getLogger(__name__)


class PrestataireImportForm(ImportValidation, PrestataireForm):
    def clean_niss(self):
        # No query: the importer matched the row to the agency's record with this NISS, if any.
        return compact_niss(self.cleaned_data["niss"])


class UtilisateurImportForm(ImportValidation, UtilisateurForm):
    def __init__(self, *args, known: dict[str, dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known  # {"niss": {niss: client}, "bce": {bce: client}}: the agency's clients the file names

    def number_taken(self, field, value):
        # No query: the importer loaded every client of the agency with a NISS or BCE number of the file.
        other = self.known[field].get(value)
        return other is not None and other.pk != self.instance.pk


class InscriptionImportForm(ImportValidation, InscriptionForm):
    def __init__(self, *args, known: dict[tuple[int, int], Inscription], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known  # {(client pk, year): registration}: every registration of the file's clients

    def year_taken(self, annee):
        # No query: the importer loaded every registration of the clients the file names.
        other = self.known.get((self.utilisateur.pk, annee))
        return other is not None and other.pk != self.instance.pk


class AutorisationImportForm(ImportValidation, AutorisationForm):
    def __init__(self, *args, activites, **kwargs):
        super().__init__(*args, activites=activites, **kwargs)
        field, offered = self.fields["activite"], self.allowed_activites

        def to_python(value):
            # No query: among the activities the importer loaded, those the domain form allows this client.
            if value in field.empty_values:
                return None
            try:
                return offered[int(value)]
            except (KeyError, TypeError, ValueError):
                raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice") from None

        field.to_python = to_python

    def _get_validation_exclusions(self):
        # The model's own check that the activity exists is one query a row: the field found it among the loaded
        # ones, and the foreign key holds on write.
        return {*super()._get_validation_exclusions(), "activite"}


SiteImportForm = for_import(SiteForm)
SituationImportForm = for_import(SituationForm)
ContactImportForm = for_import(ContactForm)


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

    def __init__(self, agence, acting_user=None):
        self.agence = agence
        self.acting_user = acting_user
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
                try:
                    values[name] = self.champ(name).convert(row[index] if index < len(row) else "")
                except ValueError as exc:
                    ligne.refuse(self.label(name), exc)
                    values[name] = ""
            self._split_address(ligne, values, set(mapping.values()))
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
            if progress and (done % 250 == 0 or done == len(rows)):
                progress(done)
        lignes = [ligne for ligne, _values in rows]
        skipped = [
            Ligne(numero=n, statut=Resultat.IGNOREE, libelle=str(why)) for n, why in getattr(table, "skipped", ())
        ]
        return sorted(lignes + skipped, key=lambda ligne: ligne.numero) if skipped else lignes

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
        note = _("Adresse lue : %(r)s · %(cp)s · %(c)s") % {"r": found.rue, "cp": found.code_postal, "c": found.commune}
        if not found.known_postal_code:
            note += " " + _("(code postal hors de la liste des communes wallonnes : à vérifier)")
        ligne.notes.append(note)

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


# --- common columns ----------------------------------------------------------------------------------

ADRESSE = [
    Champ(
        "rue",
        _l("Rue et numéro"),
        ("adresse", "rueetnumero", "straat", "adres", "straatennummer"),
        required=True,
        example="Rue de la Station 12",
    ),
    Champ(
        "code_postal",
        _l("Code postal"),
        ("cp", "postcode", "codepost"),
        required=True,
        example="5030",
        allowed=_l("4 chiffres, entre 1000 et 9999"),
    ),
    Champ(
        "commune",
        _l("Commune"),
        ("localite", "ville", "gemeente", "woonplaats", "plaats"),
        required=True,
        example="Gembloux",
    ),
    Champ(
        "telephone",
        _l("Téléphone"),
        ("tel", "gsm", "telefoon", "telefoonnummer", "portable", "telnr"),
        example="081 12 34 56",
    ),
    Champ(
        "email",
        _l("E-mail"),
        ("mail", "courriel", "adresseemail", "emailadres", "adresseelectronique"),
        example="nom@example.be",
    ),
]
CLIENT = Champ(
    "client",
    _l("NISS ou BCE du client"),
    (
        "client",
        "utilisateur",
        "niss",
        "bce",
        "nissoubce",
        "identifiant",
        "klant",
        "gebruiker",
        "insz",
        "ondernemingsnummer",
        "rijksregisternummer",
        "numerodentreprise",
        "bceduclient",
        "nissduclient",
        "identifiantduclient",
    ),
    required=True,
    kind="identifiant",
    example="85.07.30-033.28",
    allowed=_l("le NISS (particulier) ou le numéro BCE (personne morale) d'un client déjà importé"),
)


class PrestatairesImporteur(Importeur):
    entite = Entite.PRESTATAIRES
    key_field = "niss"
    fusion = True
    champs = [
        Champ("nom", _l("Nom"), ("nomdefamille", "achternaam", "naam", "familienaam"), required=True, example="Dupont"),
        Champ("prenom", _l("Prénom"), ("voornaam",), required=True, example="Marie"),
        Champ(
            "niss",
            _l("NISS"),
            (
                "nniss",
                "numeroniss",
                "numeronational",
                "registrenational",
                "nrn",
                "numeroderegistrenational",
                "rijksregisternummer",
                "rrn",
                "insz",
                "inszenummer",
                "nnational",
                "nregistrenational",
                "nregistre",
            ),
            required=True,
            kind="niss",
            example="85.07.30-033.28",
            allowed=_l("11 chiffres, points et tirets permis"),
        ),
        Champ(
            "date_naissance",
            _l("Date de naissance"),
            ("naissance", "nele", "neele", "nee", "datedenaissance", "geboortedatum", "datenaissance"),
            kind="date",
            example="30/07/1985",
            allowed=_l("JJ/MM/AAAA ; déduite du NISS si vide"),
        ),
        Champ(
            "sexe",
            _l("Sexe"),
            ("genre", "geslacht"),
            kind="choice",
            choices=choices_of(Sexe, h="M", homme="M", v="F", vrouw="F", man="M", femme="F"),
            example="F",
            allowed=_l("F ou M ; déduit du NISS si vide"),
        ),
        *ADRESSE,
        Champ(
            "langue",
            _l("Langue de contact"),
            ("langue", "taal", "contacttaal"),
            kind="choice",
            choices=choices_of(Langue, francais="fr", nederlands="nl", neerlandais="nl", deutsch="de"),
            example="fr",
            allowed=allowed_of(Langue),
        ),
        Champ(
            "iban",
            _l("IBAN"),
            ("comptebancaire", "numerodecompte", "compte", "rekeningnummer", "bankrekening"),
            example="BE62 5100 0754 7061",
        ),
        Champ(
            "organisme_paiement",
            _l("Organisme de paiement"),
            ("organisme", "op", "caisse", "uitbetalingsinstelling", "syndicat", "vakbond"),
            kind="choice",
            choices=choices_of(OrganismePaiement, hvw="capac", acv="csc", abvv="fgtb", aclvb="cgslb", ocmw="cpas"),
            example="capac",
            allowed=allowed_of(OrganismePaiement),
        ),
        Champ("cpas", _l("CPAS"), ("ocmw",), example="", allowed=_l("si l'organisme de paiement est le CPAS")),
        Champ(
            "date_inscription",
            _l("Date d'inscription à l'ALE"),
            (
                "dateinscription",
                "datedinscription",
                "inscritle",
                "inscritdepuis",
                "inschrijvingsdatum",
                "ingeschrevenop",
            ),
            kind="date",
            example="15/01/2020",
            allowed=_l("JJ/MM/AAAA ; aujourd'hui si vide"),
        ),
        Champ(
            "activites",
            _l("Activités acceptées"),
            ("activite", "activiteit", "activiteiten", "taken"),
            example="Jardinage, Petits travaux",
            allowed=_l("noms des activités de l'agence, séparés par des virgules"),
        ),
        Champ(
            "statut_eligibilite",
            _l("Statut (base d'éligibilité)"),
            ("statut", "statutdutravailleur", "statutduprestataire", "situation", "status", "categorie"),
            example="RIS",
            allowed=STATUT_HELP,
        ),
        Champ(
            "statut_depuis",
            _l("Statut depuis le"),
            ("statutdepuis", "statutdepuisle", "depuis", "depuisle", "datedustatut", "sinds"),
            kind="date",
            example="01/03/2024",
            allowed=_l("JJ/MM/AAAA : début du chômage, du RIS…"),
        ),
    ]
    FORM_FIELDS = [name for name in PrestataireForm.Meta.fields]

    def prepare(self, rows):
        niss = {r.get("niss") for r in rows if r.get("niss")}
        self.existing = {
            p.niss: p
            for p in Prestataire.objects.filter(agence=self.agence, niss__in=niss).prefetch_related("activites")
        }
        self.elsewhere = set(
            Prestataire.objects.exclude(agence=self.agence).filter(niss__in=niss).values_list("niss", flat=True)
        )
        self.activites = {normalise(a.nom): a for a in Activite.objects.filter(agence=self.agence)}
        self.situations = set(
            SituationEligibilite.objects.filter(prestataire__in=list(self.existing.values())).values_list(
                "prestataire_id", "base"
            )
        )
        self.regles = eligibility.rules_of(self.agence.region) if any(r.get("statut_eligibilite") for r in rows) else []

    def check(self, ligne, values):
        niss = values.get("niss", "")
        ligne.libelle = f"{values.get('prenom', '')} {values.get('nom', '')}".strip()
        instance = self.existing.get(niss)
        if instance is None and niss in self.elsewhere:
            ligne.refuse(self.label("niss"), _("Ce NISS est déjà inscrit dans une autre agence."))
            return
        activites = self._activites(ligne, values)
        before, data = self._overlay(instance, values, {"langue": Langue.FR, "date_inscription": self.today})
        quiet = ()
        try:
            validate_niss(niss)
            data["date_naissance"] = data.get("date_naissance") or niss_birth_date(niss)
            data["sexe"] = data.get("sexe") or niss_sex(niss) or ""
        except ValidationError:
            # The form says what is wrong with the NISS; what was to be deduced from it is not missing.
            quiet = {"date_naissance", "sexe"} - {name for name, value in values.items() if value}
        data = {k: ("" if v is None else v) for k, v in data.items()}
        form = PrestataireImportForm(data=data, instance=instance or Prestataire(), agence=self.agence)
        extra = []
        if activites is not None and instance is not None:
            old = {a.nom for a in instance.activites.all()}
            new = {a.nom for a in activites}
            if old != new:
                extra.append([self.label("activites"), ", ".join(sorted(old)), ", ".join(sorted(new))])
        if ligne.statut == Resultat.REFUSE:
            if not form.is_valid():
                self._form_errors(ligne, form, self.FORM_FIELDS, quiet)
            return
        situation = self._situation(ligne, values, instance, form) if form.is_valid() else None
        if situation is not None:
            extra.append([self.label("statut_eligibilite"), "", situation.get_base_display()])
        if self._finish(ligne, form, before, self.FORM_FIELDS, extra, quiet):
            self._writer(
                ligne,
                form,
                after_save=self._save_situation(situation) if situation is not None else None,
                relations={"activites": activites} if activites is not None else None,
            )

    def _situation(self, ligne, values, instance, form):
        """The worker's status, when it names an eligibility basis with its start, as an unsaved situation checked
        by the worker page's form; otherwise a note of the row says why no basis is created (never a refusal)."""
        text = values.get("statut_eligibilite", "")
        if not text:
            return None
        base = base_of(text)
        if base is None:
            ligne.notes.append(
                _("Statut « %(s)s » : il ne dit pas la base d'éligibilité ; importez le fichier des bases.")
                % {"s": text}
            )
            return None
        if instance is not None and (instance.pk, base) in self.situations:
            return None
        depuis = values.get("statut_depuis")
        if not depuis:
            ligne.notes.append(
                _("Statut « %(s)s » : sans date de début (colonne « Statut depuis le »), aucune base créée.")
                % {"s": text}
            )
            return None
        worker = form.instance
        worker.agence = self.agence
        situation_form = SituationImportForm(
            data={
                "base": base,
                "depuis": depuis,
                "preuve": _("Statut « %(s)s » du fichier de reprise") % {"s": text},
                "date_preuve": max(depuis, self.today),
            },
            instance=SituationEligibilite(prestataire=worker),
            prestataire=worker,
            regles=self.regles,
        )
        if not situation_form.is_valid():
            reasons = " ".join(" ".join(errors) for errors in situation_form.errors.values())
            ligne.notes.append(_("Statut « %(s)s » : aucune base créée. %(r)s") % {"s": text, "r": reasons})
            return None
        return situation_form.save(commit=False)

    def _save_situation(self, situation):
        def save(worker):
            situation.prestataire = worker
            save_as(situation, self.acting_user, reason=self.reason)

        return save

    def _activites(self, ligne, values):
        text = values.get("activites", "")
        if not text:
            return None
        found = []
        for name in (n.strip() for n in re.split(r"[,;/]", text)):
            if not name:
                continue
            activite = closest(name, self.activites)
            if activite is None:
                ligne.refuse(self.label("activites"), _("Activité inconnue dans l'agence : « %(a)s ».") % {"a": name})
            else:
                found.append(activite)
                if normalise(name) != normalise(activite.nom):
                    ligne.notes.append(_("« %(w)s » lu comme « %(a)s »") % {"w": name, "a": activite.nom})
        return found


TYPES = choices_of(
    TypeUtilisateur,
    pp="particulier",
    personnephysique="particulier",
    personneprivee="particulier",
    famille="particulier",
    administrationcommunale="autorite_locale",
    ville="autorite_locale",
    province="autorite_locale",
    commune="autorite_locale",
    cpas="autorite_locale",
    gemeente="autorite_locale",
    ocmw="autorite_locale",
    vzw="asbl",
    association="asbl",
    ecole="enseignement",
    school="enseignement",
    onderwijs="enseignement",
    agriculteur="agricole",
    horticulteur="agricole",
    landbouw="agricole",
    tuinbouw="agricole",
    prive="particulier",
)


class UtilisateursImporteur(Importeur):
    entite = Entite.UTILISATEURS
    key_field = "niss"
    fusion = True
    champs = [
        Champ(
            "type",
            _l("Type"),
            ("typedutilisateur", "categorie", "soort", "typegebruiker"),
            kind="choice",
            choices=TYPES,
            example="particulier",
            allowed=_l(
                "particulier, autorite_locale (commune, CPAS), asbl, enseignement (école), agricole ; "
                "particulier si vide et NISS rempli"
            ),
        ),
        Champ(
            "nom",
            _l("Nom ou dénomination"),
            (
                "nom",
                "denomination",
                "raisonsociale",
                "nomraisonsociale",
                "nomoudenomination",
                "naam",
                "achternaam",
                "benaming",
            ),
            required=True,
            example="Lambert",
        ),
        Champ("prenom", _l("Prénom"), ("voornaam",), example="Jean", allowed=_l("obligatoire pour un particulier")),
        Champ(
            "niss",
            _l("NISS"),
            (
                "nniss",
                "numeroniss",
                "numeronational",
                "registrenational",
                "nnational",
                "nregistrenational",
                "rijksregisternummer",
                "rrn",
                "insz",
            ),
            kind="niss",
            example="85.07.30-033.28",
            allowed=_l("pour un particulier"),
        ),
        Champ(
            "bce",
            _l("Numéro d'entreprise (BCE)"),
            (
                "bce",
                "nbce",
                "numerodentreprise",
                "nentreprise",
                "numerobce",
                "tva",
                "ondernemingsnummer",
                "kbo",
                "kbonummer",
            ),
            kind="bce",
            example="",
            allowed=_l("10 chiffres, pour une personne morale"),
        ),
        *ADRESSE,
        Champ(
            "inscription_payee",
            _l("Inscription payée"),
            ("inscriptionpayee", "cotisationpayee", "inscriptionpayeele", "payele", "lidgeldbetaald", "betaald"),
            example="oui",
            allowed=_l("oui, non, ou la date du paiement : l'inscription de l'année (de cette date)"),
        ),
        Champ(
            "activites_autorisees",
            _l("Activités autorisées"),
            ("activitesautorisees", "activites", "autorisations", "toegelatenactiviteiten"),
            example="",
            allowed=_l(
                "lues pour information : les autorisations s'importent avec leur numéro (fichier des autorisations)"
            ),
        ),
    ]
    FORM_FIELDS = list(UtilisateurForm.Meta.fields)

    def key(self, values):
        if values.get("niss"):
            return "niss:" + values["niss"]
        return "bce:" + values["bce"] if values.get("bce") else ""

    def prepare(self, rows):
        # Their compact forms too ("BE0123456749" → "0123456749"): the form checks those are nobody else's.
        niss = {r["niss"] for r in rows if r.get("niss")}
        niss |= {compact_niss(n) for n in niss}
        bce = {r["bce"] for r in rows if r.get("bce")}
        bce |= {compact_bce(b) for b in bce}
        mine = Utilisateur.objects.filter(agence=self.agence)
        self.by_niss = {u.niss: u for u in mine.filter(niss__in=niss)}
        self.by_bce = {u.bce: u for u in mine.filter(bce__in=bce)}
        others = Utilisateur.objects.exclude(agence=self.agence)
        self.elsewhere = set(others.filter(niss__in=niss).values_list("niss", flat=True)) | set(
            others.filter(bce__in=bce).values_list("bce", flat=True)
        )
        known = [*self.by_niss.values(), *self.by_bce.values()]
        self.inscriptions = (
            set(Inscription.objects.filter(utilisateur__in=known).values_list("utilisateur_id", "annee"))
            if any(r.get("inscription_payee") for r in rows)
            else set()
        )

    def check(self, ligne, values):
        niss, bce = values.get("niss", ""), values.get("bce", "")
        ligne.libelle = f"{values.get('prenom', '')} {values.get('nom', '')}".strip()
        if not niss and not bce:
            ligne.refuse(self.label("niss"), _("Indiquez le NISS (particulier) ou le numéro BCE (personne morale)."))
            return
        instance = self.by_niss.get(niss) if niss else self.by_bce.get(bce)
        if instance is None and (niss or bce) in self.elsewhere:
            field_name = "niss" if niss else "bce"
            ligne.refuse(self.label(field_name), _("Ce numéro est déjà celui d'un client d'une autre agence."))
            return
        before, data = self._overlay(instance, values)
        if not data.get("type"):
            if niss and not bce:
                data["type"] = TypeUtilisateur.PARTICULIER
            else:
                ligne.refuse(self.label("type"), _("Indiquez le type d'une personne morale (commune, ASBL, école…)."))
                return
        form = UtilisateurImportForm(
            data=data,
            instance=instance or Utilisateur(agence=self.agence),
            agence=self.agence,
            known={"niss": self.by_niss, "bce": self.by_bce},
        )
        inscription = self._inscription(ligne, values, instance, form) if form.is_valid() else None
        self._authorised(ligne, values)
        extra = [[self.label("inscription_payee"), "", str(inscription.annee)]] if inscription is not None else []
        if self._finish(ligne, form, before, self.FORM_FIELDS, extra):
            self._writer(ligne, form, after_save=self._save_inscription(inscription) if inscription else None)

    def _inscription(self, ligne, values, instance, form):
        """ "Inscription payée" (oui, or the payment's date) becomes the registration of the year (of that date),
        checked by the client page's form; an existing one is left as it is."""
        paid = values.get("inscription_payee", "")
        if not paid:
            return None
        day = paid if isinstance(paid, datetime.date) else parse_date(str(paid))
        if day is None and normalise(paid) not in TRUE:
            if normalise(paid) not in FALSE:
                ligne.notes.append(
                    _("Inscription payée « %(v)s » : ni oui/non ni une date, rien n'est créé.") % {"v": paid}
                )
            return None
        annee = day.year if day else self.today.year
        if instance is not None and (instance.pk, annee) in self.inscriptions:
            return None
        client = form.instance
        client.agence = self.agence
        inscription_form = InscriptionImportForm(
            data={
                "annee": annee,
                "cotisation": self.agence.cotisation_annuelle,
                "payee_le": day or "",
                "validee": True,
            },
            instance=Inscription(utilisateur=client),
            utilisateur=client,
            known={},
        )
        if not inscription_form.is_valid():
            reasons = " ".join(" ".join(errors) for errors in inscription_form.errors.values())
            ligne.notes.append(_("Inscription payée : aucune inscription créée. %(r)s") % {"r": reasons})
            return None
        return inscription_form.save(commit=False)

    def _save_inscription(self, inscription):
        def save(client):
            inscription.utilisateur = client
            save_as(inscription, self.acting_user, reason=self.reason)

        return save

    def _authorised(self, ligne, values):
        """Authorised activities need an authorisation's number and dates: the row says which file brings them."""
        text = values.get("activites_autorisees", "")
        if text:
            ligne.notes.append(
                _(
                    "Activités autorisées « %(a)s » : une autorisation demande son numéro et ses dates ; importez "
                    "le fichier des autorisations pour ce client."
                )
                % {"a": text}
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


class InscriptionsImporteur(_ParClient):
    entite = Entite.INSCRIPTIONS
    key_field = "client"
    champs = [
        CLIENT,
        Champ(
            "annee",
            _l("Année"),
            ("jaar", "exercice"),
            required=True,
            example=ThisYear("{year}"),
            allowed=_l("l'année passée, en cours ou prochaine"),
        ),
        Champ(
            "cotisation",
            _l("Cotisation (€)"),
            ("montant", "bijdrage", "lidgeld", "cotisationannuelle"),
            example="7,44",
            allowed=_l("montant en euros ; celle de l'agence si vide"),
        ),
        Champ(
            "payee_le",
            _l("Payée le"),
            ("datedepaiement", "paiement", "betaaldop", "betaaldatum", "paye"),
            kind="date",
            example=ThisYear("15/01/{year}"),
            allowed=_l("JJ/MM/AAAA"),
        ),
        Champ(
            "validee",
            _l("Validée"),
            ("valide", "gevalideerd", "validation"),
            kind="bool",
            example="oui",
            allowed=_l("oui ou non ; oui si vide"),
        ),
    ]
    FORM_FIELDS = list(InscriptionForm.Meta.fields)

    def key(self, values):
        return f"{values.get('client', '')}:{values.get('annee', '')}" if values.get("client") else ""

    def prepare(self, rows):
        self.prepare_clients(rows)
        self.existing = {
            (i.utilisateur_id, i.annee): i
            for i in Inscription.objects.filter(utilisateur__in=list(self.clients.values()))
        }

    def check(self, ligne, values):
        client = self.client(ligne, values)
        if client is None:
            return
        annee = values.get("annee", "")
        instance = self.existing.get((client.pk, int(annee))) if str(annee).isdigit() else None
        if values.get("cotisation"):
            values = {**values, "cotisation": values["cotisation"].replace(",", ".").replace("€", "").strip()}
        before, data = self._overlay(instance, values, {"cotisation": self.agence.cotisation_annuelle, "validee": True})
        data = {k: ("" if v is None else v) for k, v in data.items()}
        form = InscriptionImportForm(
            data=data, instance=instance or Inscription(utilisateur=client), utilisateur=client, known=self.existing
        )
        if self._finish(ligne, form, before, self.FORM_FIELDS):
            form.instance.utilisateur = client
            self._writer(ligne, form)


class AutorisationsImporteur(_ParClient):
    entite = Entite.AUTORISATIONS
    key_field = "numero"
    champs = [
        CLIENT,
        Champ(
            "activite",
            _l("Activité"),
            ("activiteit", "typedactivite", "prestation"),
            required=True,
            example="Jardinage",
            allowed=_l("le nom d'une activité de l'agence"),
        ),
        Champ(
            "numero",
            _l("Numéro d'autorisation"),
            (
                "nautorisation",
                "numerodautorisation",
                "autorisation",
                "machtigingsnummer",
                "toelatingsnummer",
                "nummer",
                "numero",
            ),
            required=True,
            kind="identifiant",
            example="1234567890",
            allowed=_l("10 chiffres"),
        ),
        Champ(
            "debut",
            _l("Début"),
            ("du", "datededebut", "valablede", "validede", "van", "begin", "begindatum"),
            required=True,
            kind="date",
            example=ThisYear("01/01/{year}"),
            allowed=_l("JJ/MM/AAAA"),
        ),
        Champ(
            "fin",
            _l("Fin"),
            ("au", "datedefin", "jusquau", "validejusquau", "tot", "einde", "einddatum"),
            required=True,
            kind="date",
            example=ThisYear("31/12/{year}"),
            allowed=_l("JJ/MM/AAAA, après le début"),
        ),
    ]
    FORM_FIELDS = list(AutorisationForm.Meta.fields)

    def prepare(self, rows):
        self.prepare_clients(rows)
        numeros = {r["numero"] for r in rows if r.get("numero")}
        self.existing = {
            a.numero: a for a in Autorisation.objects.filter(numero__in=numeros).select_related("utilisateur")
        }
        self.activites = {normalise(a.nom): a for a in Activite.objects.filter(agence=self.agence)}

    def check(self, ligne, values):
        client = self.client(ligne, values)
        name = values.get("activite", "")
        activite = closest(name, self.activites)
        if activite is not None and normalise(name) != normalise(activite.nom):
            ligne.notes.append(_("« %(w)s » lu comme « %(a)s »") % {"w": name, "a": activite.nom})
        if activite is None:
            ligne.refuse(self.label("activite"), _("Activité inconnue dans l'agence : « %(a)s ».") % {"a": name})
        if client is None or activite is None:
            return
        if not activite.allows(client.type) or not activite.active:
            ligne.refuse(
                self.label("activite"),
                _("L'agence ne propose pas « %(a)s » aux clients de type « %(t)s ».")
                % {"a": activite, "t": client.get_type_display()},
            )
            return
        instance = self.existing.get(values.get("numero", ""))
        if instance is not None and instance.utilisateur_id != client.pk:
            other_agency = instance.utilisateur.agence_id != self.agence.pk
            ligne.refuse(
                self.label("numero"),
                _("Ce numéro d'autorisation appartient à un client d'une autre agence.")
                if other_agency
                else _("Ce numéro d'autorisation appartient à un autre client : %(c)s.") % {"c": instance.utilisateur},
            )
            return
        before, data = self._overlay(instance, values)
        data["activite"] = activite.pk
        form = AutorisationImportForm(
            data=data,
            instance=instance or Autorisation(utilisateur=client),
            utilisateur=client,
            activites=self.activites.values(),
        )
        if self._finish(ligne, form, before, self.FORM_FIELDS):
            form.instance.utilisateur = client
            self._writer(ligne, form)


class SitesImporteur(_ParClient):
    entite = Entite.SITES
    key_field = "nom"
    champs = [
        CLIENT,
        Champ(
            "nom",
            _l("Nom du site"),
            ("site", "lieu", "implantation", "vestiging", "locatie", "naamsite"),
            required=True,
            example="École du Centre",
        ),
        *ADRESSE[:3],
    ]
    FORM_FIELDS = list(SiteForm.Meta.fields)

    def key(self, values):
        return f"{values.get('client', '')}:{normalise(values.get('nom', ''))}" if values.get("nom") else ""

    def prepare(self, rows):
        self.prepare_clients(rows)
        self.existing = {
            (s.utilisateur_id, normalise(s.nom)): s
            for s in Site.objects.filter(utilisateur__in=list(self.clients.values()))
        }

    def check(self, ligne, values):
        client = self.client(ligne, values)
        if client is None:
            return
        ligne.libelle = f"{client} — {values.get('nom', '')}"
        instance = self.existing.get((client.pk, normalise(values.get("nom", ""))))
        before, data = self._overlay(instance, values)
        form = SiteImportForm(data=data, instance=instance or Site(utilisateur=client), utilisateur=client)
        if self._finish(ligne, form, before, self.FORM_FIELDS):
            form.instance.utilisateur = client
            self._writer(ligne, form)


class ContactsImporteur(_ParClient):
    entite = Entite.CONTACTS
    key_field = "nom"
    champs = [
        CLIENT,
        Champ("nom", _l("Nom"), ("nomdefamille", "achternaam", "naam", "familienaam"), required=True, example="Martin"),
        Champ("prenom", _l("Prénom"), ("voornaam",), required=True, example="Claire"),
        Champ("fonction", _l("Fonction"), ("role", "qualite", "functie"), example="Directrice"),
        *ADRESSE[3:],
    ]
    FORM_FIELDS = list(ContactForm.Meta.fields)

    def key(self, values):
        if not values.get("nom"):
            return ""
        return f"{values.get('client', '')}:{normalise(values['nom'])}:{normalise(values.get('prenom', ''))}"

    def prepare(self, rows):
        self.prepare_clients(rows)
        self.existing = {
            (c.utilisateur_id, normalise(c.nom), normalise(c.prenom)): c
            for c in Contact.objects.filter(utilisateur__in=list(self.clients.values()))
        }

    def check(self, ligne, values):
        client = self.client(ligne, values)
        if client is None:
            return
        ligne.libelle = f"{values.get('prenom', '')} {values.get('nom', '')} ({client})"
        key = (client.pk, normalise(values.get("nom", "")), normalise(values.get("prenom", "")))
        instance = self.existing.get(key)
        before, data = self._overlay(instance, values)
        form = ContactImportForm(data=data, instance=instance or Contact(utilisateur=client))
        if self._finish(ligne, form, before, self.FORM_FIELDS):
            form.instance.utilisateur = client
            self._writer(ligne, form)


IMPORTEURS: dict[str, type[Importeur]] = {
    cls.entite: cls
    for cls in (
        PrestatairesImporteur,
        UtilisateursImporteur,
        InscriptionsImporteur,
        AutorisationsImporteur,
        SitesImporteur,
        ContactsImporteur,
    )
}


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
