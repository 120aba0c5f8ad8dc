"""Chèques ALE: the agency's voucher register, e.g. an export of the issuer's portal.

A paper voucher has a 10-digit number; an electronic one has no number and names its prestation (P00000042). Each
row names the client's authorisation number (the voucher order's reference). The rules stay in
`prestations.services.vouchers`: value bounds (`parse_value`), the cover of a prestation (`voucher_cover_problems`,
as on the prestation page: worked hours only, never more vouchers than hours started, one electronic reference
alone), and the writes (`record_cheque`, `record_electronic_cheque`).

The file is imported whole or not at all: vouchers are money, a half-imported register would be wrong twice.
A voucher already in the register with the same number (or a prestation's electronic voucher) is "unchanged" when
the file says the same thing about it, so importing the same file twice changes nothing.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from prestations.models import STATUTS_ELECTRONIQUE, STATUTS_PAPIER, ChequeALE, Prestation
from prestations.services import (
    parse_value,
    record_cheque,
    record_electronic_cheque,
    validate_numero,
    voucher_cover_problems,
)
from utilisateurs.models import Autorisation

from ..champs import Champ
from ..models import Entite
from .base import IMPORTEURS, Importeur, ImportRefuse, Resultat

REFERENCE = re.compile(r"P[0-9]{8}")


class ChequesImporteur(Importeur):
    entite = Entite.CHEQUES
    key_field = "numero"
    tout_ou_rien = True
    champs = [
        Champ(
            "numero",
            _l("Numéro du chèque"),
            ("numerocheque", "numeroducheque", "ncheque", "cheque", "chequenummer", "nummercheque", "chequenr"),
            kind="identifiant",
            example="5000000001",
            allowed=_l("10 chiffres pour un chèque papier ; vide pour un chèque électronique"),
        ),
        Champ(
            "autorisation",
            _l("Numéro d'autorisation"),
            ("nautorisation", "numerodautorisation", "machtigingsnummer", "toelatingsnummer", "bestelbon"),
            required=True,
            kind="identifiant",
            example="9026000001",
            allowed=_l("le numéro d'autorisation d'un client de l'agence (10 chiffres)"),
        ),
        Champ(
            "nominatif",
            _l("Nominatif"),
            ("nominatief", "opnaam"),
            kind="bool",
            example="oui",
            allowed=_l("oui ou non ; oui si vide"),
        ),
        Champ(
            "valeur",
            _l("Valeur (€)"),
            ("montant", "prix", "waarde", "bedrag", "valeurunitaire"),
            example="7,50",
            allowed=_l("en euros, au moins le minimum légal ; le prix de l'agence si vide"),
        ),
        Champ(
            "statut",
            _l("État"),
            ("etat", "status", "toestand"),
            example="remis",
            allowed=format_lazy(
                _l("papier : {p} (remis si vide) ; électronique : {e} (validee si vide)"),
                p=", ".join(STATUTS_PAPIER),
                e=", ".join(STATUTS_ELECTRONIQUE),
            ),
        ),
        Champ(
            "prestation",
            _l("Référence de la prestation"),
            ("reference", "referentie", "prestatie", "referenceprestation"),
            example="",
            allowed=_l("P suivi de 8 chiffres (P00000042) ; obligatoire pour un chèque électronique"),
        ),
    ]

    def analyse(self, table, correspondance, progress=None):
        # A value beyond the header's last column: the row is shifted (a separator too many), not to be guessed.
        self.extras = {
            numero: [cell for cell in row[table.header_width :] if cell.strip()]
            for numero, row in zip(table.lines, table, strict=True)
        }
        lignes = super().analyse(table, correspondance, progress)
        self._check_prestations(lignes)
        for ligne in lignes:
            if ligne.statut == Resultat.REFUSE:
                ligne.objet = None
        return lignes

    def prepare(self, rows):
        numeros = {r["numero"] for r in rows if r.get("numero")}
        self.cheques = {c.numero: c for c in ChequeALE.objects.filter(numero__in=numeros)}
        numbers = {r["autorisation"] for r in rows if r.get("autorisation")}
        self.autorisations = {
            a.numero: a
            for a in Autorisation.objects.filter(numero__in=numbers, utilisateur__agence=self.agence).select_related(
                "utilisateur"
            )
        }
        pks = {int(ref[1:]) for r in rows if REFERENCE.fullmatch(ref := str(r.get("prestation", "")).upper())}
        self.prestations = {
            p.pk: p for p in Prestation.objects.filter(agence=self.agence, pk__in=pks).select_related("utilisateur")
        }
        self.electroniques = {
            c.prestation_id: c for c in ChequeALE.objects.filter(prestation__in=pks, type=ChequeALE.Type.ELECTRONIQUE)
        }

    def check(self, ligne, values):
        extra = self.extras.get(ligne.numero)
        if extra:
            ligne.refuse(_("Ligne"), _("Plus de valeurs que de colonnes (en trop : %(v)s).") % {"v": "; ".join(extra)})
        numero, reference = values.get("numero", ""), str(values.get("prestation", "")).strip().upper()
        if numero:
            try:
                numero = validate_numero(numero)
            except ValidationError as exc:
                ligne.refuse(self.label("numero"), " ".join(exc.message_dict["numero"]))
        elif not reference:
            ligne.refuse(
                self.label("numero"), _("Ni numéro de chèque papier, ni référence de prestation électronique.")
            )
        autorisation = self.autorisations.get(values.get("autorisation", ""))
        if autorisation is None:
            ligne.refuse(
                self.label("autorisation"),
                _("Autorisation « %(a)s » inconnue dans cette agence.") % {"a": values.get("autorisation", "")},
            )
        client = autorisation.utilisateur if autorisation else None
        nominatif = values.get("nominatif", "")
        nominatif = True if nominatif == "" else nominatif
        valeur, problem = parse_value(values.get("valeur", ""), self.agence)
        if problem:
            ligne.refuse(self.label("valeur"), problem)
        allowed = STATUTS_PAPIER if numero or not reference else STATUTS_ELECTRONIQUE
        statut = str(values.get("statut", "")).strip().lower() or allowed[0]
        if statut not in allowed:
            ligne.refuse(
                self.label("statut"),
                _("État « %(s)s » inconnu (attendus : %(a)s).") % {"s": statut, "a": ", ".join(allowed)},
            )
        prestation = self._prestation(ligne, reference, client) if reference else None
        ligne.libelle = (
            _("Chèque n° %(n)s") % {"n": numero} if numero else _("Chèque électronique %(r)s") % {"r": reference}
        ) + (f" — {client}" if client else "")
        ligne.objet = {
            "numero": numero,
            "utilisateur": client,
            "nominatif": nominatif,
            "valeur": valeur,
            "statut": statut,
            "prestation": prestation,
        }
        if ligne.statut == Resultat.REFUSE:
            return
        known = self.cheques.get(numero) if numero else self.electroniques.get(prestation.pk)
        if known is None:
            ligne.statut = Resultat.NOUVEAU
        elif self._same(known, ligne.objet):
            ligne.statut = Resultat.INCHANGE
        elif numero:
            ligne.refuse(
                self.label("numero"),
                _("Le chèque n° %(n)s est déjà enregistré (%(c)s, %(s)s) : un numéro ne sert qu'une fois.")
                % {"n": numero, "c": known.utilisateur, "s": known.get_statut_display().lower()},
            )
        else:
            ligne.refuse(
                self.label("prestation"),
                _("La prestation %(r)s a déjà sa référence électronique.") % {"r": reference},
            )

    def _prestation(self, ligne, reference, client):
        prestation = self.prestations.get(int(reference[1:])) if REFERENCE.fullmatch(reference) else None
        if prestation is None:
            ligne.refuse(
                self.label("prestation"), _("Prestation « %(r)s » inconnue dans cette agence.") % {"r": reference}
            )
        elif client and prestation.utilisateur_id != client.pk:
            ligne.refuse(
                self.label("prestation"), _("La prestation %(r)s n'est pas celle de ce client.") % {"r": reference}
            )
        return prestation

    def _same(self, cheque, row) -> bool:
        """The register already holds what the row says (its state may have moved on since: still the same)."""
        return (
            cheque.agence_id == self.agence.pk
            and cheque.utilisateur_id == row["utilisateur"].pk
            and cheque.valeur == row["valeur"]
            and (row["prestation"] is None or cheque.prestation_id == row["prestation"].pk)
        )

    def _check_prestations(self, lignes):
        """The rows naming one prestation, together: the rules of attaching vouchers on its page, and one electronic
        reference per prestation, alone. Rows already in the register count as covering, not as new."""
        groups: dict[int, list] = {}
        for ligne in lignes:
            prestation = (ligne.objet or {}).get("prestation")
            if prestation is not None and ligne.statut != Resultat.INCHANGE:
                groups.setdefault(prestation.pk, []).append(ligne)
        for group in groups.values():
            prestation = group[0].objet["prestation"]
            electronic = [ligne for ligne in group if not ligne.objet["numero"]]
            if electronic and len(group) > 1:
                problems = [
                    _("La prestation %(r)s apparaît %(n)s fois alors qu'une référence électronique la couvre seule.")
                    % {"r": prestation.reference, "n": len(group)}
                ]
            else:
                problems = voucher_cover_problems(prestation, None if electronic else len(group))
            for ligne in group:
                for problem in problems:
                    ligne.refuse(self.label("prestation"), problem)

    def import_rows(self, table, correspondance, progress=None, *, reason, user):
        with transaction.atomic():
            lignes = self.analyse(table, correspondance, progress)
            if self.prestations:
                # Checked again with the prestations locked: two imports (or an import and the prestation page)
                # cannot both take the last hours of one prestation.
                list(Prestation.objects.select_for_update().filter(pk__in=list(self.prestations)).order_by("pk"))
                lignes = self.analyse(table, correspondance, progress)
            refused = [ligne for ligne in lignes if ligne.statut == Resultat.REFUSE]
            if refused:
                raise ImportRefuse(lignes, _("Le fichier contient des lignes refusées : rien n'a été importé."))
            for ligne in lignes:
                if ligne.statut != Resultat.NOUVEAU:
                    continue
                row = ligne.objet
                try:
                    if row["numero"]:
                        record_cheque(
                            agence=self.agence,
                            numero=row["numero"],
                            utilisateur=row["utilisateur"],
                            acting_user=user,
                            nominatif=row["nominatif"],
                            valeur=row["valeur"],
                            prestation=row["prestation"],
                            statut=row["statut"],
                            reason=reason,
                        )
                    else:
                        record_electronic_cheque(
                            prestation=row["prestation"],
                            acting_user=user,
                            valeur=row["valeur"],
                            statut=row["statut"],
                            reason=reason,
                        )
                except ValidationError as exc:
                    for messages in exc.message_dict.values():
                        ligne.refuse(self.label("numero" if row["numero"] else "prestation"), " ".join(messages))
                    raise ImportRefuse(
                        lignes, _("Le fichier contient des lignes refusées : rien n'a été importé.")
                    ) from exc
        return lignes


IMPORTEURS[ChequesImporteur.entite] = ChequesImporteur
