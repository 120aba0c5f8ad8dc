"""French typography the translations cannot know in advance: "de" before a name becomes "d'" (elision).

"Le dossier de Isabelle" → "Le dossier d'Isabelle"; "ALE de Éghezée" → "ALE d'Éghezée". Only before a capitalised
word starting with a vowel (a name), never before an acronym ("de ALE…") nor an H (h aspiré: "de Huy", "de Hannut").
Applied only when French is active: the other languages' sentences keep their own rules.
"""

import re

from django.utils.translation import get_language

_DE_BEFORE_VOWEL_NAME = re.compile(r"\b([Dd])e ([AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ][a-zà-ÿ])")


def elide(text):
    """The text with "de" + vowel-initial name elided (French only). The `|elide` filter (is_safe) keeps an
    escaped text marked safe: only "e " becomes "'"."""
    if not text or not (get_language() or "fr").startswith("fr"):
        return text
    return _DE_BEFORE_VOWEL_NAME.sub(r"\1'\2", str(text))
