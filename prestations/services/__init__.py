"""Writes of the prestations app, by concern: the rules every recording goes through (`checks`), the life of a
prestation (`lifecycle`), the voucher register (`vouchers`) and the agency's travel-cost rule (`travel`). Import
from here."""

from .checks import (
    COUNTING,
    AvertissementPrestation,
    belgian_holiday,
    check_all,
    eligibility_problem,
    ensure_eligible,
    fmt_h,
)
from .declarations import (
    AUTRES_HEURES,
    COMME_PREVU,
    PAS_EU_LIEU,
    can_declare,
    declare_prestation,
    dispute_prestation,
    validate_confirmed,
)
from .lifecycle import (
    cancel_prestation,
    confirm_hours,
    move_prestation,
    record_no_show,
    record_prestation,
    undo_cancellation,
    undo_cancellations,
    update_hours,
    validate_prestation,
)
from .travel import set_travel_rule
from .vouchers import (
    attach_voucher_range,
    attach_vouchers,
    change_cheque_statut,
    covered_hours,
    parse_value,
    record_cheque,
    record_electronic_cheque,
    validate_numero,
    voucher_cover_problems,
)

__all__ = [
    "AUTRES_HEURES",
    "COMME_PREVU",
    "COUNTING",
    "PAS_EU_LIEU",
    "can_declare",
    "declare_prestation",
    "dispute_prestation",
    "validate_confirmed",
    "AvertissementPrestation",
    "attach_voucher_range",
    "attach_vouchers",
    "belgian_holiday",
    "cancel_prestation",
    "change_cheque_statut",
    "check_all",
    "confirm_hours",
    "covered_hours",
    "eligibility_problem",
    "ensure_eligible",
    "fmt_h",
    "move_prestation",
    "parse_value",
    "record_cheque",
    "record_electronic_cheque",
    "record_no_show",
    "record_prestation",
    "set_travel_rule",
    "undo_cancellation",
    "undo_cancellations",
    "update_hours",
    "validate_numero",
    "validate_prestation",
    "voucher_cover_problems",
]
