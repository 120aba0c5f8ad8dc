"""Searching names and places as people type them: accents, case, hyphens and apostrophes do not matter
("eghezee" finds "Éghezée", "jean pierre" finds "Jean-Pierre"), and identifiers match with or without their
separators ("85.07.30-033.28", "85073003328", "0412.345.614").

The database folds the stored text at query time with `Folded` (PostgreSQL: `unaccent` + `lower`; SQLite: the same
`fold` as below, registered as a function on each connection), and the typed text is folded in Python: nothing
stored can go stale (bulk imports, anonymisation, admin edits), and both engines give the same results.
docs/decisions.md, "Search".
"""

import re
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Concat
from django.dispatch import receiver

# Letters that NFKD does not decompose but PostgreSQL's unaccent spells out.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l"})
# Hyphens, apostrophes (straight and typographic) and dots are word separators when searching.
_SEPARATORS = "-'’."
_PG_SEPARATORS = "-''’."
_SEPARATOR_RE = re.compile(f"[{re.escape(_SEPARATORS)}]")
_IDENTIFIER_RE = re.compile(r"^[\d\s./-]+$")


def fold(text) -> str:
    """Lower case, no accents, separators as spaces: the form both sides of a search compare in."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATOR_RE.sub(" ", bare.lower())


class Folded(Func):
    """`fold()` computed by the database, on one text expression."""

    function = "ale_fold"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"translate(lower(unaccent(%(expressions)s)), '{_PG_SEPARATORS}', '{' ' * len(_SEPARATORS)}')",
            **extra_context,
        )


@receiver(connection_created, dispatch_uid="ale_platform.search.register_fold")
def register_fold_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("ale_fold", 1, fold, deterministic=True)


def identifier_digits(value: str) -> str:
    """The digits of a typed NISS or BCE ("85.07.30-033.28" → "85073003328", "BE 0532.384.401" → "0532384401");
    "" if it is not one."""
    value = re.sub(r"^[Bb][Ee]\s*", "", (value or "").strip())
    if not _IDENTIFIER_RE.match(value):
        return ""
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 4 else ""


def text_search(queryset, value: str, fields: list[str], identifiers: tuple[str, ...] = ()):
    """Rows where every typed word appears in one of `fields` (folded), or whose identifier starts with the digits
    typed (a BCE also without its leading 0)."""
    words = fold(value).split()
    if not words:
        return queryset
    parts = []
    for field in fields:
        parts += [F(field), Value(" ")]
    queryset = queryset.alias(_recherche=Folded(Concat(*parts, output_field=CharField())))
    condition = Q()
    for word in words:
        condition &= Q(_recherche__contains=word)
    digits = identifier_digits(value)
    for identifier in identifiers if digits else ():
        condition |= Q(**{f"{identifier}__startswith": digits})
        if identifier == "bce" and len(digits) <= 9:
            condition |= Q(**{f"{identifier}__startswith": f"0{digits}"})
        if identifier == "niss" and len(digits) == 10:  # a whole NISS that lost its leading zero in a spreadsheet
            condition |= Q(**{identifier: f"0{digits}"})
    return queryset.filter(condition)
