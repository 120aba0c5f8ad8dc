"""What the workers' files hold beside their identity: their eligibility bases and their ALE contracts.

Import order (docs/demarrer-avec-vos-fichiers.md): workers, then their eligibility bases, then their contracts
(signing one makes the worker actif, after checking eligibility), then this year's prestations.

- A basis (`SituationEligibilite`) is matched by the worker's NISS and the basis (one per basis and worker, a
  database constraint): checked by the worker file's own form (`SituationForm`: dates in order, proof after the
  start, months for 24/36, and `eligibility.basis_period_problem`: a basis the region's rules know, in force
  during the situation).
- A contract (`ContratALE`) is matched by the worker's NISS and its start date; it is recorded by the worker file's
  services (`create_contrat`, `sign_contrat`: not for a closed file, one unsigned contract at a time, signature not
  in the future, eligibility on the signature date and the first day, the worker becomes actif). The preview
  records the rows in a transaction that is rolled back; the import records them again, for good.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from simple_history.utils import update_change_reason

from ale_platform.history import save_as
from prestataires import eligibility
from prestataires.forms import SituationForm
from prestataires.models import BaseEligibilite, ContratALE, Prestataire, SituationEligibilite
from prestataires.services import create_contrat, sign_contrat

from .champs import Champ, allowed_of
from .entites import IMPORTEURS, Importeur, Resultat, SituationImportForm, _display
from .models import Entite
from .statuts import BASES

PRESTATAIRE = Champ(
    "prestataire",
    _l("NISS du prestataire"),
    (
        "niss",
        "nissprestataire",
        "nissduprestataire",
        "prestataire",
        "travailleur",
        "nisstravailleur",
        "insz",
        "inszprestataire",
        "werknemer",
        "inszwerknemer",
        "rijksregisternummer",
        "numeronational",
        "registrenational",
    ),
    required=True,
    kind="niss",
    example="85.07.30-033.28",
    allowed=_l("le NISS d'un prestataire déjà importé dans l'agence"),
)


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


class SituationsImporteur(_ParPrestataire):
    entite = Entite.SITUATIONS
    key_field = "base"
    champs = [
        PRESTATAIRE,
        Champ(
            "base",
            _l("Base d'éligibilité"),
            ("basedeligibilite", "situation", "motif", "grondslag", "basis", "voie", "route"),
            required=True,
            kind="choice",
            choices=BASES,
            example="ris",
            allowed=allowed_of(BaseEligibilite),
        ),
        Champ(
            "depuis",
            _l("Depuis le"),
            ("debut", "du", "datededebut", "sinds", "vanaf", "begindatum"),
            required=True,
            kind="date",
            example="01/03/2024",
            allowed=_l("JJ/MM/AAAA : début du chômage, du RIS, de l'inscription au Forem ou date de l'adressage"),
        ),
        Champ(
            "jusqu_au",
            _l("Jusqu'au"),
            ("fin", "au", "datedefin", "tot", "einddatum", "jusqua"),
            kind="date",
            example="",
            allowed=_l("JJ/MM/AAAA, fin connue de la situation ; vide : en cours"),
        ),
        Champ(
            "mois_indemnises",
            _l("Mois d'allocations sur 36"),
            ("moisindemnises", "moisdallocations", "maandenuitkering"),
            kind="count",
            example="",
            allowed=_l("de 0 à 36 ; obligatoire pour la base 24 mois sur 36"),
        ),
        Champ(
            "avec_allocations",
            _l("Perçoit des allocations"),
            ("allocations", "allocataire", "uitkering", "metuitkering"),
            kind="bool",
            example="non",
            allowed=_l("oui ou non ; non si vide"),
        ),
        Champ(
            "preuve",
            _l("Preuve"),
            ("attestation", "bewijs", "justificatif"),
            required=True,
            example="Attestation du CPAS",
            allowed=_l("la pièce qui l'établit (attestation CAPAC, du CPAS, du Forem…)"),
        ),
        Champ(
            "date_preuve",
            _l("Date de la preuve"),
            ("datedelapreuve", "datedepreuve", "datepreuve", "datedelattestation", "datumbewijs"),
            required=True,
            kind="date",
            example="15/03/2024",
            allowed=_l("JJ/MM/AAAA, pas avant le début de la situation"),
        ),
    ]
    FORM_FIELDS = list(SituationForm.Meta.fields)

    def key(self, values):
        if not (values.get("prestataire") and values.get("base")):
            return ""
        return f"{values['prestataire']}:{values['base']}"

    def prepare(self, rows):
        self.prepare_workers(rows)
        self.existing = {
            (s.prestataire_id, s.base): s
            for s in SituationEligibilite.objects.filter(prestataire__in=list(self.workers.values()))
        }
        self.regles = eligibility.rules_of(self.agence.region)

    def check(self, ligne, values):
        worker = self.worker(ligne, values)
        if worker is None:
            return
        instance = self.existing.get((worker.pk, values.get("base")))
        before, data = self._overlay(instance, values, {"avec_allocations": False})
        data = {k: ("" if v is None else v) for k, v in data.items()}
        form = SituationImportForm(
            data=data,
            instance=instance or SituationEligibilite(prestataire=worker),
            prestataire=worker,
            regles=self.regles,
        )
        if not self._finish(ligne, form, before, self.FORM_FIELDS):
            return
        ligne.libelle = f"{worker} — {form.cleaned_data['base']}"
        form.instance.prestataire = worker
        self._writer(ligne, form)


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


IMPORTEURS[SituationsImporteur.entite] = SituationsImporteur
IMPORTEURS[ContratsImporteur.entite] = ContratsImporteur
