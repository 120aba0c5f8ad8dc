"""Reaching every store of the data map for one person: their rows (export), and, at anonymisation, the erasing of
those rows, of the admin log entries about them, of their sessions and of the mentions of them in other people's
free text (request logs, task arguments and results, pending digests, import rows)."""

import operator
import re
from functools import reduce

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import JSONField, Q
from django.utils import timezone

from .core import PLACEHOLDER_TEXTE, anonymise_everywhere, delete_history, dump, history_of
from .datamap import DELETE, mention_columns, stores_about

MIN_IDENTIFIER = 4  # shorter strings (initials, "Li") would erase unrelated words


def gather(kind: str, person) -> dict:
    """store -> the pks of the rows about `person` (taken before anything is erased or deleted)."""
    return {store: list(store.rows[kind](person).values_list("pk", flat=True)) for store in stores_about(kind)}


def export_rows(kind: str, person) -> dict[str, bytes]:
    files = {}
    gathered = gather(kind, person)
    for store, pks in gathered.items():
        if not store.export:
            continue
        model = store.model_class
        fields = [f.name for f in model._meta.concrete_fields if f.name not in store.hidden] if store.hidden else None
        files[f"{store.export}.json"] = dump(model.objects.filter(pk__in=pks).order_by("pk"), fields=fields)
        if getattr(model, "history", None) is not None:
            files[f"{store.export}_historique.json"] = dump(history_of(model, pks), fields=fields)
    files["journal_administration.json"] = dump(admin_log_about(gathered).order_by("pk"))
    return files


def erase_rows(gathered: dict) -> None:
    """A placeholder replaces a value, a blank stays blank (an empty reason does not become "(anonymisé)")."""
    for store, pks in gathered.items():
        if isinstance(store.erase, dict):
            model = store.model_class
            for column, value in store.erase.items():
                ids = pks
                if isinstance(value, str) and value:
                    ids = model.objects.filter(pk__in=pks).exclude(**{column: ""}).values_list("pk", flat=True)
                anonymise_everywhere(model, ids, {column: value})
        elif callable(store.erase):
            store.erase(pks)
        elif store.erase == DELETE:
            store.model_class.objects.filter(pk__in=pks).delete()
            delete_history(store.model_class, pks)


def admin_log_about(gathered: dict):
    entries = LogEntry.objects.none()
    for store, pks in gathered.items():
        if pks:
            content_type = ContentType.objects.get_for_model(store.model_class, for_concrete_model=False)
            entries |= LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    return entries


def scrub_admin_log(gathered: dict) -> None:
    """The admin log keeps who changed what and when; the names of the records it shows are erased."""
    admin_log_about(gathered).update(object_repr=PLACEHOLDER_TEXTE)


def revoke_sessions(user) -> int:
    """Logs the account out everywhere (sessions are signed blobs: decoded one by one)."""
    doomed = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def identifier_pattern(identifiers) -> re.Pattern | None:
    found = sorted({i.strip() for i in identifiers if i and len(i.strip()) >= MIN_IDENTIFIER}, key=len, reverse=True)
    if not found:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(i) for i in found) + r")\b", re.IGNORECASE)


def _scrubbed(value, pattern):
    if isinstance(value, str):
        return pattern.sub(PLACEHOLDER_TEXTE, value)
    if isinstance(value, list):
        return [_scrubbed(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v, pattern) for k, v in value.items()}
    return value


def scrub_mentions(identifiers) -> int:
    """Replaces the person's identifiers in every `mentions` column of the map, whoever the row belongs to."""
    pattern = identifier_pattern(identifiers)
    if pattern is None:
        return 0
    texts = [i for i in identifiers if i and len(i.strip()) >= MIN_IDENTIFIER]
    changed = 0
    for model, columns in mention_columns():
        rows = model.objects.only("pk", *columns)
        if not any(isinstance(model._meta.get_field(c), JSONField) for c in columns):
            # Plain text: the database narrows the rows (JSON is stored escaped, so it is read in full).
            rows = rows.filter(reduce(operator.or_, (Q(**{f"{c}__icontains": t}) for c in columns for t in texts)))
        for row in rows.iterator():
            values = {c: getattr(row, c) for c in columns}
            scrubbed = {c: _scrubbed(v, pattern) for c, v in values.items()}
            if scrubbed != values:
                model.objects.filter(pk=row.pk).update(**scrubbed)
                changed += 1
    return changed
