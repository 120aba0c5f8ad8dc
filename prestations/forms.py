from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from ale_platform.models import Activite
from ale_platform.numbers import euros
from prestataires.models import Prestataire
from utilisateurs.models import Utilisateur

from .models import STATUTS_PAPIER, Prestation, RegleFraisDeplacement, StatutCheque
from .rulebook.travel import Regles, agency_rule_problems, travel_law_in_force


def add_service_errors(form, exc: ValidationError) -> None:
    """Puts a service's errors next to the matching fields (others at the top of the form)."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class HeuresField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Heures prestées"))
        kwargs.setdefault("help_text", _("Par quarts d'heure : 2,5 pour 2 h 30."))
        super().__init__(max_digits=5, decimal_places=2, min_value=0, localize=True, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})


class MotifDerogationField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Motif de dérogation (facultatif)"),
            required=False,
            max_length=300,
            help_text=_(
                "Seulement pour passer outre un avertissement (jour férié). Les plafonds ne se contournent pas."
            ),
            **kwargs,
        )


class PrestationForm(forms.Form):
    prestataire = forms.ModelChoiceField(queryset=Prestataire.objects.none(), label=_("Prestataire"))
    utilisateur = forms.ModelChoiceField(queryset=Utilisateur.objects.none(), label=_("Utilisateur·rice"))
    activite = forms.ModelChoiceField(queryset=Activite.objects.none(), label=_("Activité"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    debut = forms.TimeField(label=_("Début"), widget=TimeInput())
    fin = forms.TimeField(label=_("Fin"), widget=TimeInput())
    heures = HeuresField()
    statut = forms.ChoiceField(
        label=_("Statut"),
        choices=[(Prestation.Statut.EFFECTUEE, _("Heures prestées")), (Prestation.Statut.PLANIFIEE, _("Planifiée"))],
    )
    motif_derogation = MotifDerogationField()

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prestataire"].queryset = Prestataire.objects.filter(agence=agence)
        self.fields["utilisateur"].queryset = Utilisateur.objects.filter(agence=agence)
        self.fields["activite"].queryset = Activite.objects.filter(agence=agence, active=True)


class HeuresForm(forms.Form):
    prefix = "heures"  # several forms share the prestation's page: unique ids

    debut = forms.TimeField(label=_("Début"), widget=TimeInput())
    fin = forms.TimeField(label=_("Fin"), widget=TimeInput())
    heures = HeuresField()
    motif_derogation = MotifDerogationField()


class DeplacerForm(forms.Form):
    prefix = "deplacer"  # several forms share the prestation's page: unique ids

    date = forms.DateField(label=_("Nouvelle date"), widget=DateInput())
    debut = forms.TimeField(label=_("Nouveau début"), widget=TimeInput())
    fin = forms.TimeField(label=_("Nouvelle fin"), widget=TimeInput())
    motif = forms.CharField(label=_("Motif du déplacement"), max_length=100)
    motif_derogation = MotifDerogationField()


class AnnulerForm(forms.Form):
    prefix = "annuler"  # several forms share the prestation's page: unique ids

    motif = forms.CharField(label=_("Motif de l'annulation"), max_length=100)


class AbsenceForm(forms.Form):
    prefix = "absence"  # several forms share the prestation's page: unique ids

    absence_de = forms.ChoiceField(
        label=_("Qui ne s'est pas présenté·e ?"),
        choices=[("prestataire", _("Le ou la prestataire")), ("utilisateur", _("L'utilisateur·rice"))],
    )
    motif = forms.CharField(label=_("Précision"), max_length=100, required=False)


class AttacherChequesForm(forms.Form):
    prefix = "cheques"  # several forms share the prestation's page: unique ids

    numeros = forms.CharField(
        label=_("Numéros des chèques papier"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un numéro de 10 chiffres par ligne (ou séparés par des virgules)."),
    )
    nominatif = forms.BooleanField(label=_("Chèques nominatifs"), required=False, initial=True)
    electronique = forms.BooleanField(label=_("Chèques électroniques (référence de la prestation)"), required=False)

    def numeros_list(self) -> list[str]:
        raw = self.cleaned_data.get("numeros", "")
        return [n.strip() for n in raw.replace(",", "\n").splitlines() if n.strip()]


class ChequeForm(forms.Form):
    numero = forms.CharField(label=_("Numéro du chèque"), max_length=20, help_text=_("10 chiffres."))
    utilisateur = forms.ModelChoiceField(queryset=Utilisateur.objects.none(), label=_("Utilisateur·rice"))
    nominatif = forms.BooleanField(label=_("Nominatif"), required=False, initial=True)
    valeur = forms.DecimalField(label=_("Valeur (€)"), max_digits=6, decimal_places=2, localize=True)
    statut = forms.ChoiceField(
        label=_("État"), choices=[(s, StatutCheque(s).label) for s in STATUTS_PAPIER], initial="remis"
    )
    emis_le = forms.DateField(
        label=_("Émis le"), required=False, widget=DateInput(), help_text=_("Si l'émetteur l'imprime sur le chèque.")
    )
    valable_jusqu_au = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=DateInput(),
        help_text=_("Si l'émetteur l'imprime sur le chèque."),
    )

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utilisateur"].queryset = Utilisateur.objects.filter(agence=agence)
        self.fields["valeur"].initial = agence.prix_cheque
        self.fields["valeur"].widget = forms.TextInput(attrs={"inputmode": "decimal"})


class ChequeStatutForm(forms.Form):
    statut = forms.ChoiceField(label=_("Nouvel état"), choices=StatutCheque.choices)
    motif = forms.CharField(label=_("Motif"), max_length=300, required=False)

    def __init__(self, *args, cheque, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = cheque.next_states


class MoisForm(forms.Form):
    mois = forms.CharField(label=_("Mois"), widget=forms.TextInput(attrs={"type": "month"}))

    def clean_mois(self):
        import datetime

        try:
            return datetime.datetime.strptime(self.cleaned_data["mois"], "%Y-%m").date()
        except ValueError as exc:
            raise ValidationError(_("Mois attendu au format AAAA-MM.")) from exc


__all__ = ["NON_FIELD_ERRORS"]


class DistanceForm(forms.Form):
    prefix = "distance"  # several forms share the prestation's page: unique ids

    distance_km = forms.DecimalField(
        label=_("Distance domicile – lieu (km, aller)"),
        required=False,
        min_value=0,
        max_value=500,
        decimal_places=1,
        localize=True,
        help_text=_("Pré-remplie à partir des adresses quand elles sont localisées ; vide = pas de frais."),
    )


class TravelRuleChecks:
    """The law's bounds on an agency's travel-cost rule (`rulebook.travel.agency_rule_problems`), next to the fields."""

    def _post_clean(self):
        super()._post_clean()
        for name, problem in agency_rule_problems(self.instance).items():
            self.add_error(name if name in self.fields else None, problem)


class RegleFraisDeplacementAdminForm(TravelRuleChecks, forms.ModelForm):
    class Meta:
        model = RegleFraisDeplacement
        fields = ["agence", "region", "en_vigueur_du", "seuil_km", "taux_km", "a_charge_de", "source"]


class FraisDeplacementForm(TravelRuleChecks, forms.ModelForm):
    """The agency's travel-cost rule from a date; a change is saved as a new dated rule (the old one stays)."""

    class Meta:
        model = RegleFraisDeplacement
        fields = ["en_vigueur_du", "seuil_km", "taux_km", "a_charge_de"]
        widgets = {"en_vigueur_du": DateInput()}
        localized_fields = ["seuil_km", "taux_km"]

    def __init__(self, *args, agence, **kwargs):
        from django.utils import timezone

        today = timezone.localdate()
        current = Regles(agence).on(today)
        super().__init__(*args, instance=RegleFraisDeplacement(agence=agence), **kwargs)
        if current is not None:
            self.initial.update(
                {"seuil_km": current.seuil_km, "taux_km": current.taux_km, "a_charge_de": current.a_charge_de}
            )
        self.initial["en_vigueur_du"] = current.en_vigueur_du if current and current.agence_id else today
        self.fields["en_vigueur_du"].help_text = _(
            "Minimum légal : au-delà de 5 km, au moins 0,15 € par km à charge de l'ALE, sauf si l'ALE les "
            "facture à l'utilisateur (AR 5.6.2002)."
        )
        law = travel_law_in_force(agence.region, today)
        if law is not None and law.taux_min_utilisateur is not None:
            self.fields["taux_km"].help_text = _("Facturés à l'utilisateur : au moins %(t)s € par km (theux.be).") % {
                "t": euros(law.taux_min_utilisateur)
            }

    def full_clean(self):
        # A settings page posted without this section (an older page, an API client) leaves the rule as it is.
        if self.is_bound and not any(key.startswith(f"{self.prefix}-") for key in self.data):
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def changes(self) -> dict | None:
        """The rule to save (`services.set_travel_rule`), or None when the section was left as it was."""
        if not self.cleaned_data or not self.has_changed():
            return None
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DeclarationForm(forms.Form):
    """What happened on a past slot, as the worker (or staff for them) says: one of three answers."""

    kind = forms.ChoiceField(
        choices=[
            ("comme_prevu", _("Fait comme prévu")),
            ("autres_heures", _("Autres heures")),
            ("pas_eu_lieu", _("N'a pas eu lieu")),
        ],
        widget=forms.HiddenInput,
    )
    debut = forms.TimeField(label=_("Début"), widget=TimeInput(), required=False)
    fin = forms.TimeField(label=_("Fin"), widget=TimeInput(), required=False)
    absence_de = forms.ChoiceField(
        label=_("Qui était absent·e ?"),
        choices=[("utilisateur", _("L'utilisateur·rice")), ("prestataire", _("Moi / le·la prestataire"))],
        required=False,
    )
    motif = forms.CharField(label=_("Raison"), max_length=200, required=False)


class ContestationForm(forms.Form):
    motif = forms.CharField(
        label=_("Qu'est-ce qui ne va pas ?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChequesParPlageForm(forms.Form):
    """Paper vouchers a client handed in, by range: attached to that client's worked prestations of the month."""

    prefix = "plage"  # shares the closing screen with the month's form: unique ids

    utilisateur = forms.ModelChoiceField(queryset=Utilisateur.objects.none(), label=_("Utilisateur·rice"))
    mois = forms.DateField(
        label=_("Mois des prestations"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    du = forms.CharField(label=_("Du n°"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    au = forms.CharField(label=_("Au n°"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utilisateur"].queryset = Utilisateur.objects.filter(agence=agence)
