"""Import of a CSV of vouchers (e.g. an export of the issuer's portal): preview, row-by-row errors, all or nothing.

Columns (header row required, `;` or `,`): numero; autorisation; nominatif; valeur; statut; prestation.
- a paper voucher has a 10-digit `numero`; an electronic one has no number and a `prestation` reference (P00000042);
- `autorisation` is the client's 10-digit authorisation number (the voucher-order reference);
- `nominatif`: oui/non (default oui); `valeur` in euros (default: the agency's price); `statut`: the state code.

Bad input never answers 500: an undecodable or oversized file, a row with more fields than the header, a value
outside the model's bounds, a number or reference twice in one file each get a French message. A row that names a
prestation passes `services.voucher_cover_problems`, as on the prestation page.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform import numbers
from utilisateurs.models import Autorisation

from .models import (
    NUMERO_CHEQUE_REGEX,
    STATUTS_ELECTRONIQUE,
    STATUTS_PAPIER,
    ChequeALE,
    Prestation,
)
from .rulebook import law_in_force
from .services import covered_hours, record_cheque, voucher_cover_problems

COLUMNS = ["numero", "autorisation", "nominatif", "valeur", "statut", "prestation"]
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
EXTRA = "__extra__"  # where csv.DictReader puts the fields beyond the header


def decode(raw: bytes) -> str:
    """The file's text (UTF-8, or Windows-1252 as Excel saves a CSV in Belgium); ValidationError otherwise."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("Fichier trop volumineux : au plus %(n)s Mo.") % {"n": MAX_BYTES // (1024 * 1024)})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ValidationError(
        _("Fichier illisible : enregistrez-le au format CSV (UTF-8 ou Windows) depuis votre tableur.")
    )


@dataclass
class Ligne:
    numero_ligne: int
    brut: dict
    errors: list[str] = field(default_factory=list)
    numero: str | None = None
    utilisateur: object = None
    nominatif: bool = True
    valeur: Decimal | None = None
    statut: str = "remis"
    prestation: Prestation | None = None

    @property
    def type(self) -> str:
        return "papier" if self.numero else "electronique"


def parse(text: str, agence) -> tuple[list[Ligne], list[str]]:
    """Every row with its errors; and errors of the file itself (header)."""
    import re

    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect, restkey=EXTRA)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error:
        return [], [_("Fichier illisible : ce n'est pas un CSV.")]
    missing = [c for c in ("numero", "autorisation") if c not in header]
    if missing:
        return [], [
            _("Colonnes manquantes : %(c)s (attendues : %(all)s).")
            % {"c": ", ".join(missing), "all": "; ".join(COLUMNS)}
        ]
    lignes, seen = [], {}
    try:
        rows = list(_rows(reader))
    except csv.Error:
        return [], [_("Fichier illisible : ce n'est pas un CSV.")]
    if len(rows) > MAX_ROWS:
        return [], [_("Fichier trop long : au plus %(n)s lignes.") % {"n": MAX_ROWS}]
    for index, row in rows:
        extra = [v for v in row.pop(EXTRA, []) if (v or "").strip()]
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()) and not extra:
            continue
        ligne = Ligne(index, row)
        if extra:
            ligne.errors.append(
                _("Plus de valeurs que de colonnes (en trop : %(v)s).") % {"v": "; ".join(e.strip() for e in extra)}
            )
        numero = row.get("numero", "").replace(" ", "").replace(".", "")
        reference = row.get("prestation", "").upper()
        if numero:
            if not re.fullmatch(NUMERO_CHEQUE_REGEX, numero):
                ligne.errors.append(_("Numéro « %(n)s » mal formé : 10 chiffres attendus.") % {"n": numero})
            elif numero in seen:
                ligne.errors.append(_("Numéro %(n)s déjà présent à la ligne %(l)s.") % {"n": numero, "l": seen[numero]})
            elif ChequeALE.objects.filter(numero=numero).exists():
                ligne.errors.append(_("Le chèque n° %(n)s est déjà enregistré.") % {"n": numero})
            seen.setdefault(numero, index)
            ligne.numero = numero
        elif not reference:
            ligne.errors.append(_("Ni numéro de chèque papier, ni référence de prestation électronique."))
        autorisation = (
            Autorisation.objects.filter(numero=row.get("autorisation", ""), utilisateur__agence=agence)
            .select_related("utilisateur")
            .first()
        )
        if autorisation is None:
            ligne.errors.append(
                _("Autorisation « %(a)s » inconnue dans cette agence.") % {"a": row.get("autorisation", "")}
            )
        else:
            ligne.utilisateur = autorisation.utilisateur
        nominatif = row.get("nominatif", "oui").lower() or "oui"
        if nominatif not in ("oui", "non", "1", "0"):
            ligne.errors.append(_("« nominatif » doit valoir oui ou non (lu : %(v)s).") % {"v": nominatif})
        ligne.nominatif = nominatif in ("oui", "1")
        ligne.valeur, error = _valeur(row.get("valeur", ""), agence)
        if error:
            ligne.errors.append(error)
        allowed = STATUTS_PAPIER if ligne.numero or not reference else STATUTS_ELECTRONIQUE
        ligne.statut = row.get("statut", "").lower() or allowed[0]
        if ligne.statut not in allowed:
            ligne.errors.append(
                _("État « %(s)s » inconnu (attendus : %(a)s).") % {"s": ligne.statut, "a": ", ".join(allowed)}
            )
        if reference:
            prestation = None
            if re.fullmatch(r"P[0-9]{8}", reference):
                prestation = Prestation.objects.filter(agence=agence, pk=int(reference[1:])).first()
            if prestation is None:
                ligne.errors.append(_("Prestation « %(r)s » inconnue dans cette agence.") % {"r": reference})
            elif ligne.utilisateur and prestation.utilisateur_id != ligne.utilisateur.pk:
                ligne.errors.append(_("La prestation %(r)s n'est pas celle de ce client.") % {"r": reference})
            elif not ligne.numero and prestation.cheques.filter(type="electronique").exists():
                ligne.errors.append(_("La prestation %(r)s a déjà sa référence électronique.") % {"r": reference})
            ligne.prestation = prestation
        lignes.append(ligne)
    if not lignes:
        return [], [_("Le fichier ne contient aucune ligne de chèque.")]
    check_prestations(lignes)
    return lignes, []


def _rows(reader):
    for index, row in enumerate(reader, start=2):
        yield index, row
        if index > MAX_ROWS + 1:
            return


def _valeur(raw: str, agence) -> tuple[Decimal | None, str | None]:
    """The voucher's unit value, within the legal minimum and the register's column."""
    if not raw:
        return agence.prix_cheque, None
    try:
        valeur = ChequeALE._meta.get_field("valeur").clean(raw.replace(",", "."), None)
    except ValidationError:
        return None, _("Valeur « %(v)s » illisible ou hors limites (par ex. 6,20).") % {"v": raw}
    minimum = law_in_force(agence.region, timezone.localdate()).prix_minimum_cheque
    if valeur < minimum:
        return valeur, _("Valeur de %(v)s € sous le minimum légal de %(m)s € (%(d)s € de moins).") % {
            "v": numbers.euros(valeur),
            "m": numbers.euros(minimum),
            "d": numbers.euros(minimum - valeur),
        }
    return valeur, None


def check_prestations(lignes: list[Ligne]) -> None:
    """The rows that name one prestation, together: the same rules as attaching vouchers on its page (worked hours
    only, never more vouchers than hours started), and one electronic reference per prestation, alone."""
    by_prestation: dict[int, list[Ligne]] = {}
    for ligne in lignes:
        if ligne.prestation is not None:
            by_prestation.setdefault(ligne.prestation.pk, []).append(ligne)
    for group in by_prestation.values():
        prestation = group[0].prestation
        electronic = [ligne for ligne in group if not ligne.numero]
        if electronic and len(group) > 1:
            problems = [
                _("La prestation %(r)s apparaît %(n)s fois alors qu'une référence électronique la couvre seule.")
                % {"r": prestation.reference, "n": len(group)}
            ]
        else:
            problems = voucher_cover_problems(prestation, None if electronic else len(group))
        for ligne in group:
            ligne.errors.extend(problems)


@transaction.atomic
def commit(text: str, agence, acting_user) -> int:
    """Re-reads the file and records every voucher, or none if any row is wrong."""
    lignes, file_errors = parse(text, agence)
    # Checked again with the prestations locked, so that two imports (or an import and the prestation page)
    # cannot both take the last hours of one prestation.
    locked = {ligne.prestation.pk for ligne in lignes if ligne.prestation is not None}
    if locked:
        list(Prestation.objects.select_for_update().filter(pk__in=locked))
        lignes, file_errors = parse(text, agence)
    bad = [ligne for ligne in lignes if ligne.errors]
    if file_errors or bad:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été importé."))
    for ligne in lignes:
        if ligne.numero:
            record_cheque(
                agence=agence,
                numero=ligne.numero,
                utilisateur=ligne.utilisateur,
                acting_user=acting_user,
                nominatif=ligne.nominatif,
                valeur=ligne.valeur,
                prestation=ligne.prestation,
                statut=ligne.statut,
            )
        else:
            cheque = ChequeALE.objects.create(
                agence=agence,
                type="electronique",
                utilisateur=ligne.utilisateur,
                prestation=ligne.prestation,
                quantite=ligne.prestation.cheques_dus - covered_hours(ligne.prestation),
                valeur=ligne.valeur,
                statut=ligne.statut,
                created_by=acting_user,
            )
            cheque.transitions.create(de="", vers=ligne.statut, par=acting_user, motif=_("Import CSV"))
    return len(lignes)
