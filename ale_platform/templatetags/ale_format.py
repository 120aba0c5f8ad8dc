"""Template filters for numbers and links, loaded in every template (TEMPLATES "builtins")."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.translation import gettext, ngettext

from ale_platform import french, identifiers, numbers

register = template.Library()


@register.filter
def heures(value) -> str:
    """{{ prestation.heures|heures }} h → 31,5 h."""
    return numbers.heures(value)


@register.filter
def euros(value) -> str:
    """{{ montant|euros }} € → 1 234,50 €."""
    return numbers.euros(value)


@register.filter(is_safe=True)
def elide(value):
    """{% blocktranslate asvar t %}…de {{ nom }}{% endblocktranslate %}{{ t|elide }} → "d'Isabelle"."""
    return french.elide(value)


@register.filter
def bce(value) -> str:
    """{{ agence.bce|bce }} → 0412.345.614: BCE, NISS and IBAN are printed one way everywhere (identifiers.py)."""
    return identifiers.format_bce(value or "")


@register.filter
def niss(value) -> str:
    """{{ prestataire.niss|niss }} → 85.07.30-033.28."""
    return identifiers.format_niss(value or "")


@register.filter
def iban(value) -> str:
    """{{ agence.iban|iban }} → BE20 0634 5218 7056."""
    return identifiers.format_iban(value or "")


@register.filter
def tel_href(value) -> str:
    """A phone number as written (081 62 63 64) into a `tel:` URL, which allows no spaces (tel:081626364)."""
    value = str(value or "").strip()
    return ("+" if value.startswith("+") else "") + re.sub(r"\D", "", value)


_CHOICE_LABELS: dict = {}


@register.filter
def label(obj, name: str) -> str:
    """{{ p|label:"statut" }} → what {{ p.get_statut_display }} shows, for a fraction of its cost: Django's display
    hashes every choice's lazy label (one translation lookup each) on every call, this reads one label."""
    field = obj._meta.get_field(name)
    labels = _CHOICE_LABELS.get(field)
    if labels is None:
        labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
    value = getattr(obj, field.attname)
    return str(labels.get(value, value))


@register.filter
def cheques(vouchers) -> str:
    """The vouchers that paid a prestation, as the former `_cheques.html` include wrote them ("n° 1234567890, n° …",
    "électronique, 3 heures (réf. …)", "—" when none), in Python with the same msgids: no template per row."""
    parts = []
    for c in vouchers:
        if c.numero:
            parts.append(gettext("n° %(n)s") % {"n": c.numero})
        else:
            text = ngettext(
                "électronique, %(h)s heure (réf. %(ref)s)", "électronique, %(h)s heures (réf. %(ref)s)", c.quantite
            )
            parts.append(text % {"h": c.quantite, "ref": c.prestation.reference})
    return conditional_escape(", ".join(parts) if parts else "—")
