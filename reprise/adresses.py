"""An address written in one cell, the way offices keep it, split into street and number, postal code and commune.

Belgian forms: "Rue de la Station 12 bte 3, 4500 Huy", "12 rue de la Station - 4500 HUY", "Rue de la Station, 12
4500 Huy", "Chaussée de Namur 81 B-5030 Gembloux". The platform keeps the street and its number (box included)
in one field (`rue`), so "12 rue X" becomes "Rue X 12".
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ale_platform.geo import codes_postaux

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
        """The postal code exists in Belgium (`geo.codes_postaux`: every Belgian postal code)."""
        return codes_postaux.exists(self.code_postal)

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


def check_place(code: str, commune: str) -> tuple[str, str]:
    """(postal code, remark) of a row's postal code and commune, checked against every Belgian postal code
    (`geo.codes_postaux`): a code that does not exist, or a commune of another code, gives a remark (the row is
    imported all the same); a commune written without a code gets its code when it has only one. The remark is ""
    when all is well; a name the list does not know (a section such as "Tihange", a typo) is not a mismatch."""
    code, commune = str(code or "").strip(), str(commune or "").strip()
    if code:
        if not (code.isdigit() and len(code) == 4):
            return code, ""  # the form says what a postal code looks like
        if not codes_postaux.exists(code):
            return code, _("Code postal %(cp)s : il n'existe pas en Belgique, vérifiez-le.") % {"cp": code}
        if not commune or codes_postaux.matches(code, commune):
            return code, ""
        elsewhere = codes_postaux.codes_of(commune)
        if not elsewhere:
            return code, ""
        return code, _(
            "Code postal %(cp)s et commune « %(c)s » ne correspondent pas : le %(cp)s est celui de %(own)s, "
            "%(c)s a le %(other)s. Vérifiez l'un ou l'autre."
        ) % {
            "cp": code,
            "c": commune,
            "own": " / ".join(str(c) for c in codes_postaux.communes(code)),
            "other": ", ".join(elsewhere),
        }
    if not commune:
        return "", ""
    codes = codes_postaux.codes_of(commune)
    if len(codes) == 1:
        return codes[0], _("Code postal complété : %(cp)s (%(c)s).") % {"cp": codes[0], "c": commune}
    if codes:
        return "", _("Code postal manquant : %(c)s en a plusieurs (%(codes)s), indiquez le bon.") % {
            "c": commune,
            "codes": ", ".join(codes),
        }
    return "", ""
