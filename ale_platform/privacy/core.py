"""Helpers shared by the apps' `privacy.py`: JSON dumps, history scrubbing, account closing, file deletion."""

import calendar
import datetime

from django.contrib.auth.hashers import make_password
from django.core import serializers

PLACEHOLDER_NOM = "Anonyme"
PLACEHOLDER_TEXTE = "(anonymisé)"


def dump(records, fields=None) -> bytes:
    """Every field (or `fields`) of every record (a queryset or a list of model instances), as indented JSON."""
    return serializers.serialize("json", list(records), indent=2, fields=fields).encode()


def history_of(model, ids) -> list:
    """The simple-history rows of the records `ids` of `model` (empty when the model has no history)."""
    history = getattr(model, "history", None)
    if history is None:
        return []
    return list(history.model.objects.filter(id__in=list(ids)).order_by("history_date"))


def scrub_history(model, ids, values: dict) -> int:
    """Overwrites `values` in every history row of those records, so that the audit trail keeps no personal data.

    Fields the history does not track (excluded fields) are skipped; the change reasons are wiped too.
    """
    history = getattr(model, "history", None)
    if history is None:
        return 0
    tracked = {f.name for f in history.model._meta.get_fields()}
    kept = {k: v for k, v in values.items() if k in tracked}
    if "history_change_reason" in tracked:
        kept["history_change_reason"] = None
    return history.model.objects.filter(id__in=list(ids)).update(**kept)


def anonymise_everywhere(model, ids, values: dict) -> None:
    """Writes the placeholders in the live rows and in all their history rows."""
    ids = list(ids)
    if not ids:
        return
    model.objects.filter(pk__in=ids).update(**values)
    scrub_history(model, ids, values)


def delete_history(model, ids) -> None:
    history = getattr(model, "history", None)
    if history is not None:
        history.model.objects.filter(id__in=list(ids)).delete()


def delete_files(queryset, field: str) -> None:
    """Deletes the stored files (through the storage API) and the rows, with their history."""
    model = queryset.model
    ids = []
    for obj in queryset:
        stored = getattr(obj, field)
        if stored:
            stored.delete(save=False)
        ids.append(obj.pk)
    model.objects.filter(pk__in=ids).delete()
    delete_history(model, ids)


def person_identifiers(person) -> list[str]:
    """The strings that identify a person in free text elsewhere: names, NISS (both forms), e-mails, phone, street."""
    from ale_platform.identifiers import format_niss

    get = lambda name: (getattr(person, name, "") or "").strip()  # noqa: E731
    prenom, nom = get("prenom"), get("nom")
    found = [f"{prenom} {nom}", f"{nom} {prenom}", nom, get("email"), get("telephone"), get("rue")]
    if niss := get("niss"):
        found += [niss, format_niss(niss)]
    if bce := get("bce"):
        found.append(bce)
    compte = getattr(person, "compte", None)
    if compte is not None:
        found += [compte.email, f"{compte.first_name} {compte.last_name}".strip()]
    return [f for f in found if f.strip()]


def close_account(user) -> None:
    """Deactivates a person's account and scrubs its e-mail and names (live row, history, allauth rows)."""
    if user is None:
        return
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    values = {"email": f"anonyme-{user.pk}@anonyme.invalid", "first_name": "", "last_name": ""}
    type(user).objects.filter(pk=user.pk).update(is_active=False, password=make_password(None), **values)
    scrub_history(type(user), [user.pk], values | {"is_active": False})
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    from .reach import revoke_sessions

    revoke_sessions(user)


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest(*days) -> datetime.date | None:
    found = [d.date() if isinstance(d, datetime.datetime) else d for d in days if d is not None]
    return max(found) if found else None


def max_of(model, fk: str, field: str):
    """A correlated subquery: the latest `field` of the `model` rows pointing to the outer row through `fk`.

    Several of these on one queryset do not multiply rows as joined aggregates would.
    """
    from django.db.models import Max, OuterRef, Subquery

    rows = model.objects.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(latest=Max(field))
    return Subquery(rows.values("latest")[:1])
