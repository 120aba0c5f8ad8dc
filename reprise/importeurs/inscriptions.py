"""Clients' yearly registrations (`Inscription`)."""

from django.utils.translation import gettext_lazy as _l

from utilisateurs.forms import InscriptionForm
from utilisateurs.models import Inscription

from ..champs import Champ, ThisYear
from ..models import Entite
from ..validation import ImportValidation
from .base import IMPORTEURS, _ParClient
from .colonnes import CLIENT


class InscriptionImportForm(ImportValidation, InscriptionForm):
    def __init__(self, *args, known: dict[tuple[int, int], Inscription], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known  # {(client pk, year): registration}: every registration of the file's clients

    def year_taken(self, annee):
        # No query: the importer loaded every registration of the clients the file names.
        other = self.known.get((self.utilisateur.pk, annee))
        return other is not None and other.pk != self.instance.pk


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


IMPORTEURS[InscriptionsImporteur.entite] = InscriptionsImporteur
