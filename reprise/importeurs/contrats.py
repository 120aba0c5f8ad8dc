"""ALE contracts of the agency's workers (`ContratALE`), recorded by the worker page's services."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from simple_history.utils import update_change_reason

from ale_platform.history import save_as
from prestataires.models import ContratALE
from prestataires.services import create_contrat, sign_contrat

from ..champs import Champ
from ..models import Entite
from .base import IMPORTEURS, Resultat, _display, _ParPrestataire
from .colonnes import PRESTATAIRE

# The rule book's error keys → the columns of the file.
CONTRACT_COLUMN = {"date_debut": "date_debut", "date_signature": "date_signature", "statut": "prestataire"}


class ContratsImporteur(_ParPrestataire):
    entite = Entite.CONTRATS
    key_field = "date_debut"
    champs = [
        PRESTATAIRE,
        Champ(
            "date_debut",
            _l("Date de début"),
            ("debut", "du", "datededebut", "debutducontrat", "begindatum", "aanvang", "startdatum"),
            required=True,
            kind="date",
            example="01/02/2024",
            allowed=_l("JJ/MM/AAAA"),
        ),
        Champ(
            "date_signature",
            _l("Date de signature"),
            ("signature", "signele", "signeele", "ondertekend", "ondertekeningsdatum", "datumondertekening"),
            kind="date",
            example="25/01/2024",
            allowed=_l("JJ/MM/AAAA, pas dans le futur ; vide : contrat à signer"),
        ),
        Champ(
            "date_fin",
            _l("Date de fin"),
            ("fin", "au", "datedefin", "findecontrat", "einddatum", "einde"),
            kind="date",
            example="",
            allowed=_l("JJ/MM/AAAA, pas avant le début ; vide : en cours"),
        ),
    ]

    reason = ""
    keep = False  # True when importing for good; the preview's recordings are rolled back

    def key(self, values):
        if not (values.get("prestataire") and values.get("date_debut")):
            return ""
        return f"{values['prestataire']}:{values['date_debut']}"

    def analyse(self, table, correspondance, progress=None):
        with transaction.atomic():
            lignes = super().analyse(table, correspondance, progress)
            if not self.keep:
                transaction.set_rollback(True)
        return lignes

    def import_rows(self, table, correspondance, progress=None, *, reason, user):
        self.reason, self.keep = reason, True
        return self.analyse(table, correspondance, progress)

    def prepare(self, rows):
        self.prepare_workers(rows)
        self.existing = {
            (c.prestataire_id, c.date_debut): c
            for c in ContratALE.objects.filter(prestataire__in=list(self.workers.values()))
        }

    def check(self, ligne, values):
        worker = self.worker(ligne, values)
        debut, signature, fin = values.get("date_debut"), values.get("date_signature"), values.get("date_fin")
        if fin and debut and fin < debut:
            ligne.refuse(self.label("date_fin"), _("La fin du contrat ne peut pas précéder son début."))
        if worker is None or ligne.statut == Resultat.REFUSE:
            return
        ligne.libelle = _("%(p)s — contrat du %(d)s") % {"p": worker, "d": debut.strftime("%d/%m/%Y")}
        contrat = self.existing.get((worker.pk, debut))
        if contrat is not None:
            self._compare(ligne, contrat, signature, fin)
            if ligne.statut != Resultat.MISE_A_JOUR:
                return
        try:
            with transaction.atomic():
                if contrat is None:
                    contrat = create_contrat(prestataire=worker, date_debut=debut, acting_user=self.acting_user)
                if signature and not contrat.date_signature:
                    contrat = sign_contrat(contrat=contrat, date_signature=signature, acting_user=self.acting_user)
                if fin and not contrat.date_fin:
                    contrat.date_fin = fin
                    save_as(contrat, self.acting_user, update_fields=["date_fin"])
                if self.reason:
                    update_change_reason(contrat, self.reason)
        except ValidationError as exc:
            ligne.changements = []
            for field_name, messages in exc.message_dict.items():
                ligne.refuse(self.label(CONTRACT_COLUMN.get(field_name, "prestataire")), " ".join(messages))
            return
        except IntegrityError:
            ligne.changements = []
            ligne.refuse(_("Ligne"), _("Ce contrat ne peut pas être enregistré tel quel : vérifiez-le."))
            return
        if ligne.statut != Resultat.MISE_A_JOUR:
            ligne.statut = Resultat.NOUVEAU

    def _compare(self, ligne, contrat, signature, fin):
        """The contract starting on that day is known: unchanged, completed (signature, end), or a conflict."""
        changes = []
        for name, known, new in (
            ("date_signature", contrat.date_signature, signature),
            ("date_fin", contrat.date_fin, fin),
        ):
            if not new or known == new:
                continue
            if known:
                ligne.refuse(
                    self.label(name),
                    _("Ce contrat indique déjà le %(d)s : corrigez-le à l'écran si le fichier a raison.")
                    % {"d": _display(known)},
                )
                return
            changes.append([self.label(name), "", _display(new)])
        ligne.changements = changes
        ligne.statut = Resultat.MISE_A_JOUR if changes else Resultat.INCHANGE


IMPORTEURS[ContratsImporteur.entite] = ContratsImporteur
