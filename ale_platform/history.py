"""The audit trail of a record (django-simple-history): how services write it, and how staff read it.

Services take `acting_user` and save through `save_as()`, so the history row names who acted (and why) even
outside a web request (a task, a command, the API); the request middleware is only a fallback.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _


def save_as(obj, acting_user, *, reason: str = "", update_fields=None):
    """Saves `obj`; its history row records `acting_user` and, if given, `reason` (cut to the column's 100)."""
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason.strip()[:100]
    obj.save(update_fields=update_fields)
    return obj


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
