"""Eligibility bases of the agency's workers (`SituationEligibilite`)."""

from django.utils.translation import gettext_lazy as _l

from prestataires import eligibility
from prestataires.forms import SituationForm
from prestataires.models import BaseEligibilite, SituationEligibilite
from prestataires.services import basis_end_recorded

from ..champs import Champ, allowed_of
from ..models import Entite
from ..statuts import BASES
from ..validation import for_import
from .base import IMPORTEURS, _ParPrestataire
from .colonnes import PRESTATAIRE

SituationImportForm = for_import(SituationForm)


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
        # A new row is written in bulk (no save signal): the end date it brings is announced after the write by the
        # same trigger as the form's; a changed row is saved one by one, and its save signal announces it.
        self._writer(ligne, form, after_save=_announce_new_end if instance is None else None)


def _announce_new_end(situation) -> None:
    basis_end_recorded(situation, previous=None)


IMPORTEURS[SituationsImporteur.entite] = SituationsImporteur
