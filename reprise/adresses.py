"""An address written in one cell, the way offices keep it, split into street and number, postal code and commune.

Belgian forms: "Rue de la Station 12 bte 3, 4500 Huy", "12 rue de la Station - 4500 HUY", "Rue de la Station, 12
4500 Huy", "Chaussée de Namur 81 B-5030 Gembloux". The platform keeps the street and its number (box included)
in one field (`rue`), so "12 rue X" becomes "Rue X 12".
"""

import re
from dataclasses import dataclass

from ale_platform.geo.communes import CENTROIDES

ADDRESS = re.compile(
    r"^(?P<street>.*?)[\s,;–-]*\b(?:B\s*-?\s*)?(?P<cp>[1-9]\d{3})\s*[-–]?\s*(?P<commune>[^\d,;]*[^\d\s,;.-][^\d,;]*?)[\s.]*$",
    re.IGNORECASE,
)
LEADING_NUMBER = re.compile(
    r"^(?P<number>\d+\s*[a-zA-Z]?(?:\s*(?:bte|boîte|bus|b)\.?\s*\w+)?)\s*,?\s+(?P<street>\D.*)$"
)


@dataclass(frozen=True)
class Adresse:
    rue: str
    code_postal: str
    commune: str

    @property
    def known_postal_code(self) -> bool:
        """The postal code is one of the Walloon communes the project knows (`geo.communes`)."""
        return self.code_postal in CENTROIDES

    def __str__(self) -> str:
        return f"{self.rue}, {self.code_postal} {self.commune}"


def split_address(text: str) -> Adresse | None:
    """The address's parts, or None when no postal code followed by a commune ends it."""
    found = ADDRESS.match(" ".join(str(text).split()))
    if not found:
        return None
    street = found["street"].strip(" ,;-–")
    if not street:
        return None
    moved = LEADING_NUMBER.match(street)
    if moved:
        street = f"{moved['street'].strip(' ,;-–')} {moved['number']}"
    street = re.sub(r"\s*,\s*(?=\d)", " ", street)  # "Rue X, 12" → "Rue X 12"
    street = street[0].upper() + street[1:]
    commune = found["commune"].strip(" -–")
    if commune.isupper():
        commune = commune.title()
    return Adresse(rue=street, code_postal=found["cp"], commune=commune)
