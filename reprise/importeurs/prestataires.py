"""Workers (`Prestataire`); a status column becomes an eligibility basis."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ale_platform.history import save_as
from ale_platform.identifiers import compact_niss, niss_birth_date, niss_sex, validate_niss
from ale_platform.models import Activite
from prestataires import eligibility
from prestataires.forms import PrestataireForm
from prestataires.models import NISS_AUTRE_AGENCE, Langue, OrganismePaiement, Prestataire, Sexe, SituationEligibilite

from ..champs import Champ, allowed_of, choices_of, normalise
from ..models import Entite
from ..statuts import STATUT_HELP, base_of
from ..validation import ImportValidation
from .base import IMPORTEURS, Importeur, Resultat
from .colonnes import ADRESSE
from .situations import SituationImportForm


class PrestataireImportForm(ImportValidation, PrestataireForm):
    def clean_niss(self):
        # No query: the importer matched the row to the agency's record with this NISS, if any.
        return compact_niss(self.cleaned_data["niss"])


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
        self.elsewhere = Prestataire.objects.niss_in_other_agencies(self.agence, niss)
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
            ligne.refuse(self.label("niss"), NISS_AUTRE_AGENCE)
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
            activite = self.find_activite("activites", name)
            if activite is None:
                ligne.refuse(self.label("activites"), _("Activité inconnue dans l'agence : « %(a)s ».") % {"a": name})
            else:
                found.append(activite)
                if normalise(name) != normalise(activite.nom):
                    ligne.notes.append(_("« %(w)s » lu comme « %(a)s »") % {"w": name, "a": activite.nom})
        return found


IMPORTEURS[PrestatairesImporteur.entite] = PrestatairesImporteur
