"""The audit trail of a record, as staff read it: who changed what, when (django-simple-history)."""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record

ACTIONS = {"+": _("Création"), "~": _("Modification"), "-": _("Suppression")}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)


def history_entries(obj, limit: int = 50) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = obj._meta.get_field(change.field)
                changes.append((str(field.verbose_name), _display(change.old), _display(change.new)))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else str(_("système")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=changes,
            )
        )
    return entries


def _display(value) -> str:
    return "—" if value in (None, "") else str(value)


@receiver(pre_create_historical_record)
def cut_change_reason(sender, history_instance, **kwargs):
    """A change reason is free text (a status change's motive, a correction's reason) kept in a bounded column:
    every one is cut here, whichever service or model wrote it, rather than failing the change."""
    reason = history_instance.history_change_reason
    limit = type(history_instance)._meta.get_field("history_change_reason").max_length
    if reason and limit and len(reason) > limit:
        history_instance.history_change_reason = reason[: limit - 1] + "…"
