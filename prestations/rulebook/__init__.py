"""The rule book: the one place where caps, pay and voucher counts are decided (docs/regles.md).

- `law`: the legal values of a region on a date (data, `RegleLegale`), the allowance and vouchers due;
- `caps`: the caps binding a worker on a date and the person's hours against them (all their files together).

Eligibility lives in `prestataires.eligibility`; every screen, PDF, service, API and the bench generator read
these modules instead of repeating a number.
"""

from .caps import Caps, HourMeters, Meter, caps_for, effective_category, hour_meters, lock_person
from .law import (
    NoLaw,
    amount_due,
    law_in_force,
    minimum_voucher_price,
    pay_rate,
    seuil_evaluation_forem,
    voucher_price,
    vouchers_due,
)

__all__ = [
    "Caps",
    "HourMeters",
    "Meter",
    "NoLaw",
    "amount_due",
    "caps_for",
    "effective_category",
    "hour_meters",
    "law_in_force",
    "lock_person",
    "minimum_voucher_price",
    "pay_rate",
    "seuil_evaluation_forem",
    "voucher_price",
    "vouchers_due",
]
