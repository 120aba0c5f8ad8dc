"""Rule: a paper voucher's issue and validity dates, where the issuer prints them (alebru.zendesk.com: Brussels'
paper vouchers have an end of validity), are recorded; a voucher no longer valid on the prestation's date does not
pay it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from prestations.models import ChequeALE
from prestations.services import attach_vouchers, record_cheque

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_paper_voucher_past_its_validity_does_not_pay_the_prestation():
    s = ready()
    worked = rec(s, 1, D(2026, 11, 20))
    expired = record_cheque(
        agence=s.agence,
        numero="1234567890",
        utilisateur=s.utilisateur,
        acting_user=s.staff,
        emis_le=D(2025, 1, 1),
        valable_jusqu_au=D(2026, 12, 31),
    )
    assert (expired.emis_le, expired.valable_jusqu_au) == (D(2025, 1, 1), D(2026, 12, 31))
    ChequeALE.objects.filter(pk=expired.pk).update(valable_jusqu_au=D(2026, 11, 1))
    with pytest.raises(ValidationError) as exc:
        attach_vouchers(prestation=worked, numeros=["1234567890"], acting_user=s.staff)
    assert "n'était plus valable le 20/11/2026 (valable jusqu'au 01/11/2026)" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        record_cheque(
            agence=s.agence,
            numero="1234567891",
            utilisateur=s.utilisateur,
            acting_user=s.staff,
            prestation=worked,
            valable_jusqu_au=D(2026, 11, 19),
        )
    assert "valable_jusqu_au" in exc.value.message_dict


def test_a_voucher_cannot_end_its_validity_before_its_issue():
    s = ready()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChequeALE.objects.create(
            agence=s.agence,
            numero="1234567892",
            utilisateur=s.utilisateur,
            valeur="6.00",
            emis_le=D(2026, 6, 1),
            valable_jusqu_au=D(2026, 5, 1),
        )
