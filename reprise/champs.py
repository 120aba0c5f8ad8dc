"""Columns of the importable files: their French label, the header names recognised (French and Dutch), and
the conversion of a cell's text into what the domain's forms expect."""

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from ale_platform.identifiers import compact_bce, compact_identifier, compact_niss

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S")
TRUE = {"oui", "o", "yes", "y", "ja", "j", "1", "x", "vrai", "true", "waar"}
FALSE = {"non", "n", "no", "nee", "0", "faux", "false", "onwaar", ""}


def normalise(text: str) -> str:
    """'Code postal' → 'codepostal', 'N° NISS' → 'nniss', 'Date d'inscription' → 'datedinscription'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def closest(text: str, options: dict):
    """The option an office's word means: the same word (case, accents, spacing aside), else the only option that
    contains it or that it contains ("jardinage" → "Petit jardinage"), else the only close spelling; None when
    unsure (two candidates, or a word too short to tell)."""
    key = normalise(text)
    if key in options:
        return options[key]
    if len(key) < 4:
        return None
    containing = {id(v): v for k, v in options.items() if len(k) >= 4 and (key in k or k in key)}
    if len(containing) == 1:
        return next(iter(containing.values()))
    if containing:
        return None
    close = {id(options[k]): options[k] for k in difflib.get_close_matches(key, list(options), n=3, cutoff=0.85)}
    return next(iter(close.values())) if len(close) == 1 else None


def parse_time(text: str):
    """'8:30', '08.30', '8h30', '8h', '08:30:00' (a time cell) → time; None when unreadable."""
    found = re.fullmatch(r"(\d{1,2})\s*(?:[:.hH]\s*(\d{2})?)?(?::\d{2})?", text.strip())
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def parse_hours(text: str):
    """'3,5', '3.5', '3:30' or '3h30' → Decimal('3.5'); None when unreadable."""
    text = text.strip().lower().replace(",", ".").rstrip("h").strip()
    found = re.fullmatch(r"(\d{1,2})\s*[:h]\s*(\d{2})", text)
    if found:
        return Decimal(found[1]) + Decimal(found[2]) / 60
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_date(text: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class ThisYear:
    """An example written with this year, e.g. ThisYear("01/01/{year}"): read when a template is downloaded, so a
    server started in December hands out next year's examples in January."""

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __str__(self) -> str:
        return self.pattern.format(year=timezone.localdate().year)


@dataclass(frozen=True)
class Champ:
    """One field an imported column may feed."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: "str | ThisYear" = ""
    allowed: str = ""
    kind: str = "text"  # text, date, time, hours, count, bool, niss, bce, identifiant, choice
    choices: dict = field(default_factory=dict)  # normalised text → stored value

    def headers(self) -> set[str]:
        return {normalise(self.name), normalise(self.label), *(normalise(a) for a in self.aliases)}

    def convert(self, text: str):
        """The cell as the form expects it, or raises ValueError with the French reason."""
        text = text.strip()
        if not text:
            return ""
        if self.kind == "date":
            day = parse_date(text)
            if day is None:
                raise ValueError(_("Date illisible « %(v)s » : écrivez-la JJ/MM/AAAA.") % {"v": text})
            return day
        if self.kind == "time":
            moment = parse_time(text)
            if moment is None:
                raise ValueError(_("Heure illisible « %(v)s » : écrivez-la HH:MM (par exemple 08:30).") % {"v": text})
            return moment
        if self.kind == "hours":
            hours = parse_hours(text)
            if hours is None:
                raise ValueError(_("Nombre d'heures illisible « %(v)s » : écrivez-le 3,5 ou 3:30.") % {"v": text})
            return hours
        if self.kind == "count":
            if not text.isdigit():
                raise ValueError(_("Nombre entier attendu, pas « %(v)s ».") % {"v": text})
            return int(text)
        if self.kind == "bool":
            if normalise(text) in TRUE:
                return True
            if normalise(text) in FALSE:
                return False
            raise ValueError(_("Répondez oui ou non (pas « %(v)s »).") % {"v": text})
        if self.kind == "niss":
            return compact_niss(text)
        if self.kind == "bce":
            return compact_bce(text)
        if self.kind == "identifiant":
            return compact_identifier(text)
        if self.kind == "choice":
            value = closest(text, self.choices)
            if value is None:
                raise ValueError(
                    _("Valeur « %(v)s » non reconnue. Valeurs permises : %(allowed)s.")
                    % {"v": text, "allowed": self.allowed}
                )
            return value
        return text


def choices_of(text_choices, **extra) -> dict:
    """Recognised spellings of a TextChoices: its codes, its French labels and the given extra words."""
    found = {}
    for value, label in text_choices.choices:
        found[normalise(value)] = value
        found[normalise(label)] = value
    for word, value in extra.items():
        found[normalise(word)] = value
    return found


def _allowed_of(text_choices) -> str:
    return ", ".join(f"{value} ({label})" for value, label in text_choices.choices)


allowed_of = lazy(_allowed_of, str)
