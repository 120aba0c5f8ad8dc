import datetime

import pytest
from django.core.exceptions import ValidationError

from ale_platform.identifiers import (
    build_bce,
    build_belgian_iban,
    build_niss,
    format_bce,
    format_niss,
    niss_birth_date,
    niss_sex,
    validate_bce,
    validate_iban,
    validate_niss,
    validate_postal_code,
)


@pytest.mark.parametrize("niss", ["85.07.30-033.28", "85073003328", "00012556777"])
def test_valid_niss_of_both_centuries(niss):
    validate_niss(niss)


def test_niss_born_in_2000_or_later_uses_the_2_prefix():
    niss = build_niss(datetime.date(2003, 8, 15), 120)
    validate_niss(niss)
    assert niss_birth_date(niss) == datetime.date(2003, 8, 15)
    assert niss_sex(niss) == "F"
    # The same nine digits with the check of the 1900s belong to someone born in 1903.
    older = niss[:9] + f"{97 - int(niss[:9]) % 97:02d}"
    assert older != niss
    assert niss_birth_date(older) == datetime.date(1903, 8, 15)


def test_niss_birth_date_and_sex():
    niss = build_niss(datetime.date(1971, 2, 14), 33)
    assert niss_birth_date(niss) == datetime.date(1971, 2, 14)
    assert niss_sex(niss) == "M"
    assert format_niss(niss) == "71.02.14-033." + niss[-2:]


def test_bis_number_is_accepted():
    # BIS: month + 40 when the sex is known.
    base = "714214033"
    validate_niss(base + f"{97 - int(base) % 97:02d}")


@pytest.mark.parametrize("niss", ["85073003327", "1234", "abcdefghijk", ""])
def test_invalid_niss_has_a_french_message(niss):
    with pytest.raises(ValidationError) as exc:
        validate_niss(niss)
    assert "NISS" in exc.value.messages[0]


def test_bce():
    bce = build_bce(4_123_456)
    validate_bce(bce)
    validate_bce(f"BE {format_bce(bce)}")
    with pytest.raises(ValidationError, match="BCE"):
        validate_bce("0123456789")


def test_iban():
    validate_iban(build_belgian_iban(63, 1_234_567))
    validate_iban("BE62 5100 0754 7061")
    with pytest.raises(ValidationError, match="IBAN"):
        validate_iban("BE62 5100 0754 7062")


@pytest.mark.parametrize("code", ["50", "ABCD", "0999", "50300"])
def test_invalid_postal_code(code):
    with pytest.raises(ValidationError, match="code postal"):
        validate_postal_code(code)
