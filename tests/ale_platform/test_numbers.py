"""One Belgian number format on screens, messages and PDFs, whatever the language of the request."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from ale_platform import numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("31.50"), "31,5"),
        (45, "45"),
        (Decimal("13.25"), "13,25"),
        (Decimal("1234.5"), "1\u202f234,5"),
        (0, "0"),
        (Decimal("-2.5"), "-2,5"),
        (None, ""),
    ],
)
def test_hours_use_the_decimal_comma_without_useless_zeros(value, text):
    assert numbers.heures(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("6.2"), "6,20"), (1234.5, "1\u202f234,50"), (Decimal("7.005"), "7,01"), (5, "5,00")]
)
def test_amounts_keep_two_decimals(value, text):
    assert numbers.euros(value) == text


def test_the_filters_are_in_every_template_and_ignore_the_language():
    template = engines["django"].from_string("{{ h|heures }} h · {{ e|euros }} € · tel:{{ t|tel_href }}")
    with translation.override("nl"):
        text = template.render({"h": Decimal("31.5"), "e": Decimal("6.2"), "t": "081 62 63 64"})
    assert text == "31,5 h · 6,20 € · tel:081626364"


def test_international_phone_numbers_keep_their_plus():
    template = engines["django"].from_string("{{ t|tel_href }}")
    assert template.render({"t": "+32 81 62 63 64"}) == "+3281626364"
