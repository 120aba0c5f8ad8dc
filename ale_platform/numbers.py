"""One Belgian way to write hours and euros on every screen, message and PDF: 1 234,5 h, 1 234,50 €.

Independent of the active language (the agency is Belgian; nl-BE and de-BE write numbers the same way), so a
PDF rendered by a background task reads like the page that started it.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

THOUSANDS = "\u202f"  # narrow no-break space, as in formats/fr
DECIMAL = ","


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _belgian(number: Decimal, places: int) -> str:
    sign = "-" if number < 0 else ""
    text = f"{abs(number):.{places}f}"
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = THOUSANDS.join([whole, *groups])
    return sign + whole + (DECIMAL + fraction if fraction else "")


def heures(value) -> str:
    """Hours to the hundredth, without useless zeros: 45, 31,5, 13,25 (the unit stays in the sentence)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    places = 0 if number == number.to_integral() else (1 if number * 10 == (number * 10).to_integral() else 2)
    return _belgian(number, places)


def euros(value) -> str:
    """An amount with its two decimals: 6,20, 1 234,50 (the € sign stays in the sentence)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return _belgian(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), 2)
