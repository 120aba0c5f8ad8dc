"""Clients' authorisations (`Autorisation`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ale_platform.models import Activite
from utilisateurs.forms import AutorisationForm
from utilisateurs.models import Autorisation

from ..champs import Champ, ThisYear, normalise
from ..models import Entite
from ..validation import ImportValidation
from .base import IMPORTEURS, _ParClient
from .colonnes import CLIENT
from .utilisateurs import provisional_series


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
        # The provisional authorisations a clients' file gave (decision 53): the real number replaces theirs.
        self.provisional = {
            (a.utilisateur_id, a.activite_id): a
            for a in Autorisation.objects.filter(
                utilisateur__in=list(self.clients.values()), numero__startswith=provisional_series(self.agence)
            ).order_by("fin")
        }

    def check(self, ligne, values):
        client = self.client(ligne, values)
        name = values.get("activite", "")
        activite = self.find_activite("activite", name)
        if activite is not None and normalise(name) != normalise(activite.nom):
            ligne.notes.append(_("« %(w)s » lu comme « %(a)s »") % {"w": name, "a": activite.nom})
        if activite is None:
            ligne.refuse(self.label("activite"), _("Activité inconnue dans l'agence : « %(a)s ».") % {"a": name})
        if client is None or activite is None:
            return
        if not activite.allows(*client.types_du_lieu) or not activite.active:
            ligne.refuse(
                self.label("activite"),
                _("L'agence ne propose pas « %(a)s » aux clients de type « %(t)s ».")
                % {"a": activite, "t": client.get_type_display()},
            )
            return
        instance = self.existing.get(values.get("numero", "")) or self.provisional.pop((client.pk, activite.pk), None)
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


IMPORTEURS[AutorisationsImporteur.entite] = AutorisationsImporteur
