"""Columns of the importable files: their French label, the header names recognised (French and Dutch), and
the conversion of a cell's text into what the domain's forms expect."""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext as _

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S")
TRUE = {"oui", "o", "yes", "y", "ja", "j", "1", "x", "vrai", "true", "waar"}
FALSE = {"non", "n", "no", "nee", "0", "faux", "false", "onwaar", ""}


def normalise(text: str) -> str:
    """'Code postal' → 'codepostal', 'N° NISS' → 'nniss', 'Date d'inscription' → 'datedinscription'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def parse_date(text: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Champ:
    """One field an imported column may feed."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    allowed: str = ""
    kind: str = "text"  # text, date, bool, niss, bce, identifiant, choice
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
        if self.kind == "bool":
            if normalise(text) in TRUE:
                return True
            if normalise(text) in FALSE:
                return False
            raise ValueError(_("Répondez oui ou non (pas « %(v)s »).") % {"v": text})
        if self.kind in ("niss", "bce", "identifiant"):
            digits = re.sub(r"[\s./-]", "", text)
            # A number cell loses its leading zero: 5.01.01-… (born in 2005) or 0123.456.749 (BCE).
            if digits.isdigit() and self.kind == "niss" and len(digits) == 10:
                digits = digits.zfill(11)
            if digits.isdigit() and self.kind == "bce" and len(digits) == 9:
                digits = digits.zfill(10)
            return digits
        if self.kind == "choice":
            value = self.choices.get(normalise(text))
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
