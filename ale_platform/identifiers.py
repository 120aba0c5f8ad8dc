"""Belgian identifiers, checked with python-stdnum: NISS (national/BIS number), BCE, IBAN, postal codes.

Each validator raises a French ValidationError for the form field and returns nothing; the `clean_*`
helpers return the compact form that is stored.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban as std_iban
from stdnum.be import bis as std_bis
from stdnum.be import nn as std_nn
from stdnum.be import vat as std_vat
from stdnum.exceptions import ValidationError as StdnumError

SEPARATORS = re.compile(r"[\s./\-\u2010-\u2015]")  # spaces (non-breaking too), dots, slashes, dashes


def strip_separators(value) -> str:
    """What was typed without spaces, dots, slashes or dashes: a search prefix (never zero-padded)."""
    return SEPARATORS.sub("", str(value or ""))


def compact_niss(value) -> str:
    """The NISS as stored and compared, however it was typed: '85.07.30-033.28', '85 07 30 033 28', and a number
    cell that lost its leading zero (born 2000–2009: 5010100123 → 05010100123). Every form and the import use it."""
    number = SEPARATORS.sub("", str(value or ""))
    if number.isdigit() and len(number) == 10:
        number = "0" + number
    return number


def validate_niss(value: str) -> None:
    """A national register number or a BIS number, 11 digits with the mod-97 check (both centuries). The value is
    checked as given (separators aside): the forms restore a lost leading zero before (`compact_niss`), a model
    field or the API never stores 10 digits."""
    number = strip_separators(value)
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(_("Le NISS compte 11 chiffres (ex. 85.07.30-033.28)."), code="niss_length")
    try:
        if int(number[2:4]) >= 20:
            std_bis.validate(number)
        else:
            std_nn.validate(number)
    except StdnumError as exc:
        raise ValidationError(
            _("Ce NISS n'est pas valide : les deux derniers chiffres (contrôle) ne correspondent pas."),
            code="niss_invalid",
        ) from exc


def niss_birth_date(value: str) -> datetime.date | None:
    """The birth date encoded in a NISS, or None when it is incomplete (month or day 00)."""
    number = compact_niss(value)
    module = std_bis if int(number[2:4]) >= 20 else std_nn
    try:
        return module.get_birth_date(number)
    except StdnumError:
        return None


def niss_sex(value: str) -> str | None:
    """'M' or 'F' from the counter (odd: men, even: women); None for a BIS number without known sex."""
    number = compact_niss(value)
    if 20 <= int(number[2:4]) < 40:
        return None
    return "M" if int(number[6:9]) % 2 else "F"


def format_niss(value: str) -> str:
    number = compact_niss(value)
    return std_nn.format(number) if len(number) == 11 else value


def compact_bce(value) -> str:
    """The BCE number as stored and compared: 'BE0532384401', 'BE 0532.384.401', '0532-384-401' and a number cell
    that lost its leading zero (532384401) are all '0532384401'."""
    number = SEPARATORS.sub("", str(value or "")).upper()
    if number.startswith("BE"):
        number = number[2:]
    if number.isdigit() and len(number) == 9:
        number = "0" + number
    return number


def compact_identifier(value) -> str:
    """A column that holds a NISS or a BCE number (a client): separators and a `BE` prefix removed."""
    number = SEPARATORS.sub("", str(value or "")).upper()
    return number[2:] if number.startswith("BE") and number[2:].isdigit() else number


def validate_bce(value: str) -> None:
    try:
        std_vat.validate(compact_bce(value))
    except StdnumError as exc:
        raise ValidationError(
            _("Ce numéro d'entreprise (BCE) n'est pas valide : 10 chiffres, ex. 0123.456.749."),
            code="bce_invalid",
        ) from exc


def format_bce(value: str) -> str:
    number = compact_bce(value)
    return f"{number[:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else value


def validate_iban(value: str) -> None:
    try:
        std_iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(_("Cet IBAN n'est pas valide (ex. BE62 5100 0754 7061)."), code="iban_invalid") from exc


def compact_iban(value: str) -> str:
    return std_iban.compact(value or "")


def format_iban(value: str) -> str:
    """In groups of four, as printed on bank cards and statements: BE62 5100 0754 7061."""
    return std_iban.format(value) if value else value


def validate_postal_code(value: str) -> None:
    if not (value.isdigit() and len(value) == 4 and 1000 <= int(value) <= 9999):
        raise ValidationError(_("Un code postal belge compte 4 chiffres (ex. 5000)."), code="postal_code")


# Builders for demo data and tests: real check digits, never real people.


def build_niss(birth: datetime.date, counter: int) -> str:
    """A valid NISS for a birth date and a counter (odd: man, even: woman), both centuries."""
    base = f"{birth:%y%m%d}{counter:03d}"
    prefix = "2" if birth.year >= 2000 else ""
    return f"{base}{97 - int(prefix + base) % 97:02d}"


def build_bce(first_eight: int) -> str:
    """A valid enterprise number from 8 digits (leading 0 like most BCE numbers)."""
    base = f"{first_eight:08d}"
    return f"{base}{97 - int(base) % 97:02d}"


def build_belgian_iban(bank_code: int, account: int) -> str:
    """A valid Belgian IBAN from a 3-digit bank code and a 7-digit account number."""
    from stdnum.iban import calc_check_digits

    first_ten = f"{bank_code:03d}{account:07d}"
    national = int(first_ten) % 97 or 97
    bban = f"{first_ten}{national:02d}"
    return f"BE{calc_check_digits('BE00' + bban)}{bban}"
