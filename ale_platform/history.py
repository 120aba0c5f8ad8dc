"""The audit trail of a record (django-simple-history): how services write it, and how staff read it.

Services take `acting_user` and save through `save_as()`, so the history row names who acted (and why) even
outside a web request (a task, a command, the API); the request middleware is only a fallback. Staff read values
as the screens show them: choice labels, people's names (not ids), local dates and times, oui/non, Belgian numbers.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import models
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record

from . import numbers


def save_as(obj, acting_user, *, reason: str = "", update_fields=None):
    """Saves `obj`; its history row records `acting_user` and, if given, `reason` (cut by `cut_change_reason`)."""
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason.strip()
    obj.save(update_fields=update_fields)
    return obj


ACTIONS = {"+": _("Création"), "~": _("Modification"), "-": _("Suppression")}
AMOUNT_WORDS = ("prix", "montant", "valeur", "cotisation", "taux")


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)


def history_entries(obj, limit: int = 50) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    related: dict[tuple[type, object], str] = {}
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    (
                        str(field.verbose_name),
                        display_value(field, change.old, related),
                        display_value(field, change.new, related),
                    )
                )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else gettext("système"),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=changes,
            )
        )
    return entries


def display_value(field, value, related: dict | None = None) -> str:
    """A historical value as a person reads it on the record's own page."""
    if value in (None, ""):
        return "—"
    if related is None:
        related = {}
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        key = (field.related_model, value)
        if key not in related:
            target = field.related_model._default_manager.filter(pk=value).first()
            related[key] = str(target) if target is not None else gettext("n° %(pk)s (supprimé)") % {"pk": value}
        return related[key]
    if isinstance(field, models.BooleanField):
        return gettext("oui") if value else gettext("non")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(field, models.DecimalField | models.FloatField):
        if any(word in field.name for word in AMOUNT_WORDS):
            return numbers.euros(value) + " €"
        return numbers.heures(value)
    return str(value)


@receiver(pre_create_historical_record)
def cut_change_reason(sender, history_instance, **kwargs):
    """A change reason is free text (a status change's motive, a correction's reason) kept in a bounded column:
    every one is cut here, whichever service or model wrote it, rather than failing the change."""
    reason = history_instance.history_change_reason
    limit = type(history_instance)._meta.get_field("history_change_reason").max_length
    if reason and limit and len(reason) > limit:
        history_instance.history_change_reason = reason[: limit - 1] + "…"
