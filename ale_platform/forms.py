from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from . import widget_html
from .models import PreferenceNotification
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


class PlatformFormRenderer(TemplatesSetting):
    """Forms rendered whole (`{{ form }}`) open with the shared error summary, linked to the fields."""

    form_template_name = "forms/div.html"

    def render(self, template_name, context, request=None):
        """Inputs and selects written in Python (`widget_html`: the same bytes, a fraction of the time)."""
        if template_name in widget_html.TEMPLATES:
            html = widget_html.render(template_name, context)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
