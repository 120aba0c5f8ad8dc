"""Template filters for numbers and links, loaded in every template (TEMPLATES "builtins")."""

import re

from django import template

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
