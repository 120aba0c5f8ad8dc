"""Django's input and select widgets written in Python, byte for byte what their templates give.

A filter form of a list is rendered on every request: through the templates, each `<input>` is two template
renders and each `<option>` two more (the option and its attributes), which made the widgets a fifth of the worker
list's time (docs/performance.md). The form renderer (`ale_platform.forms.PlatformFormRenderer`) answers the
templates below from here and leaves every other template (radios, checkboxes, textareas, the forms' own layouts)
to the template engine. `tests/ale_platform/test_widget_html.py` compares both ways on every case.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime


def _text(value) -> str:
    """`{{ value }}`: localized (numbers, dates) and escaped, as the template engine prints it."""
    return conditional_escape(localize(template_localtime(value)))


WIDGETS = "django/forms/widgets/"
# Templates made of `{% include "django/forms/widgets/input.html" %}` and a newline.
INCLUDING_INPUT = {
    f"{WIDGETS}{name}.html"
    for name in ("text", "number", "date", "email", "url", "tel", "search", "password", "hidden", "datetime", "time")
}
INPUT = f"{WIDGETS}input.html"
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
TEMPLATES = INCLUDING_INPUT | {INPUT, SELECT}


def attrs(values: dict) -> str:
    """attrs.html: ` name="value"`, ` name` when True, nothing when False."""
    out = []
    for name, value in values.items():
        if value is False:
            continue
        out.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        )
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{attrs(widget['attrs'])}>\n"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str | None:
    out = [f'<select name="{conditional_escape(widget["name"])}"{attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def render(template_name: str, context: dict) -> str | None:
    """The widget's HTML, or None when this module does not write that template (the engine does then); stripped,
    as the form renderer strips what a template gives."""
    widget = context.get("widget")
    if widget is None:
        return None
    if template_name in INCLUDING_INPUT or template_name == INPUT:
        return _input(widget).strip()
    if template_name == SELECT:
        html = _select(widget)
        return None if html is None else html.strip()
    return None
