from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .models import Agence, PreferenceNotification
from .notifications import kinds_for

Mode = PreferenceNotification.Mode


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification the user's role can receive."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = dict(PreferenceNotification.objects.filter(user=user).values_list("kind", "mode"))
        for kind in kinds_for(user):
            choices = [(Mode.IMMEDIAT, Mode.IMMEDIAT.label)]
            if kind.digestible:
                choices.append((Mode.DIGEST, Mode.DIGEST.label))
            if kind.optional:
                choices.append((Mode.DESACTIVE, Mode.DESACTIVE.label))
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current.get(kind.code, Mode.IMMEDIAT),
                widget=forms.RadioSelect,
                help_text=None if kind.optional else _("Obligatoire : cette notification ne peut pas être coupée."),
            )

    def save(self) -> None:
        for code, mode in self.cleaned_data.items():
            PreferenceNotification.objects.update_or_create(user=self.user, kind=code, defaults={"mode": mode})


class AgenceParametresForm(forms.ModelForm):
    """What an agency admin sets for their agency: voucher price, annual fee and hour caps."""

    class Meta:
        model = Agence
        fields = [
            "prix_cheque",
            "cotisation_annuelle",
            "plafond_mensuel",
            "plafond_mensuel_majore",
            "plafond_mensuel_agricole",
            "plafond_hors_agricole",
            "plafond_annuel",
        ]
        localized_fields = ["prix_cheque", "cotisation_annuelle"]  # "6,20" as Belgians write it

    def clean(self):
        cleaned = super().clean()
        general, annual = cleaned.get("plafond_mensuel"), cleaned.get("plafond_annuel")
        if general is not None and annual is not None and general > annual:
            self.add_error("plafond_mensuel", _("Le plafond mensuel ne peut pas dépasser le plafond annuel."))
        return cleaned


class PlatformFormRenderer(TemplatesSetting):
    """Forms rendered whole (`{{ form }}`) open with the shared error summary, linked to the fields."""

    form_template_name = "forms/div.html"
