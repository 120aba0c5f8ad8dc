"""Import of a CSV of vouchers (e.g. an export of the issuer's portal): preview, row-by-row errors, all or nothing.

Columns (header row required, `;` or `,`): numero; autorisation; nominatif; valeur; statut; prestation.
- a paper voucher has a 10-digit `numero`; an electronic one has no number and a `prestation` reference (P00000042);
- `autorisation` is the client's 10-digit authorisation number (the voucher-order reference);
- `nominatif`: oui/non (default oui); `valeur` in euros (default: the agency's price); `statut`: the state code.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ale_platform import numbers
from utilisateurs.models import Autorisation

from .models import (
    NUMERO_CHEQUE_REGEX,
    PRIX_MINIMUM_CHEQUE,
    STATUTS_ELECTRONIQUE,
    STATUTS_PAPIER,
    ChequeALE,
    Prestation,
)
from .services import enregistrer_cheque

COLUMNS = ["numero", "autorisation", "nominatif", "valeur", "statut", "prestation"]
MAX_ROWS = 5000


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
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("numero", "autorisation") if c not in header]
    if missing:
        return [], [
            _("Colonnes manquantes : %(c)s (attendues : %(all)s).")
            % {"c": ", ".join(missing), "all": "; ".join(COLUMNS)}
        ]
    lignes, seen = [], {}
    for index, row in enumerate(reader, start=2):
        if index > MAX_ROWS + 1:
            return lignes, [_("Fichier trop long : au plus %(n)s lignes.") % {"n": MAX_ROWS}]
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        ligne = Ligne(index, row)
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
        try:
            ligne.valeur = Decimal(row.get("valeur", "").replace(",", ".")) if row.get("valeur") else agence.prix_cheque
            if ligne.valeur < PRIX_MINIMUM_CHEQUE:
                ligne.errors.append(
                    _("Valeur de %(v)s € sous le minimum légal de 5,95 € (%(d)s € de moins).")
                    % {"v": numbers.euros(ligne.valeur), "d": numbers.euros(PRIX_MINIMUM_CHEQUE - ligne.valeur)}
                )
        except InvalidOperation:
            ligne.errors.append(_("Valeur « %(v)s » illisible.") % {"v": row.get("valeur")})
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
    return lignes, []


@transaction.atomic
def commit(text: str, agence, acting_user) -> int:
    """Re-reads the file and records every voucher, or none if any row is wrong."""
    lignes, file_errors = parse(text, agence)
    bad = [ligne for ligne in lignes if ligne.errors]
    if file_errors or bad:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été importé."))
    for ligne in lignes:
        if ligne.numero:
            enregistrer_cheque(
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
                quantite=ligne.prestation.cheques_dus,
                valeur=ligne.valeur,
                statut=ligne.statut,
                created_by=acting_user,
            )
            cheque.transitions.create(de="", vers=ligne.statut, par=acting_user, motif="Import CSV")
    return len(lignes)
