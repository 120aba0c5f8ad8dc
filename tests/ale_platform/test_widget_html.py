"""The inputs and selects written in Python (ale_platform.widget_html) are byte for byte what Django's templates
give, so the forms look and behave the same for a fraction of the rendering time."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import override

from ale_platform.forms import PlatformFormRenderer


class Everything(forms.Form):
    texte = forms.CharField(label="Nom", required=False, max_length=20, widget=forms.TextInput(attrs={"id": "f-q"}))
    nombre = forms.DecimalField(required=False, min_value=0, widget=forms.NumberInput(attrs={"step": "0.5"}))
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    courriel = forms.EmailField(required=False, disabled=True)
    cache = forms.CharField(required=False, widget=forms.HiddenInput)
    mot = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    choix = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("a", "Alpha & <b>"), ("b", mark_safe("<i>Bêta</i>")), (3, Decimal("1.5"))],
        widget=forms.Select(attrs={"data-x": '"quoted"', "required": True, "hidden": False}),
    )
    groupes = forms.ChoiceField(required=False, choices=[("Groupe <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    plusieurs = forms.MultipleChoiceField(required=False, choices=[("1", "Un"), ("2", "Deux")])


CASES = [
    {},
    {"texte": "O'Brien & <script>", "nombre": "2.5", "date": "2026-12-07", "choix": "a", "groupes": "y"},
    {"choix": "3", "groupes": "z", "cache": '"x"', "mot": "secret", "plusieurs": ["1", "2"]},
]


@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_widget_is_what_the_templates_give(data, language):
    with override(language):
        fast = Everything(data or None, initial={"date": datetime.date(2026, 1, 2)}, renderer=PlatformFormRenderer())
        slow = Everything(data or None, initial={"date": datetime.date(2026, 1, 2)}, renderer=TemplatesSetting())
        for name in fast.fields:
            assert str(fast[name]) == str(slow[name]), name
        assert str(fast) == str(
            Everything(data or None, initial={"date": datetime.date(2026, 1, 2)}, renderer=_TemplatesOnly())
        )


class _TemplatesOnly(PlatformFormRenderer):
    """The project's renderer with every widget through its template (what it was before widget_html)."""

    def render(self, template_name, context, request=None):
        return TemplatesSetting.render(self, template_name, context, request=request)


def test_widgets_left_to_the_templates_still_render():
    """Radios, checkboxes and textareas are not written in Python: the engine renders them, unchanged."""

    class Other(forms.Form):
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        case = forms.BooleanField(required=False)
        zone = forms.CharField(widget=forms.Textarea)

    fast, slow = Other(renderer=PlatformFormRenderer()), Other(renderer=TemplatesSetting())
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name])
