"""Rows of a small table carried on another query as one text column, so a page reads them in the same statement.

Matching reads, for every worker of an agency, their eligibility situations, absences and slots already planned,
and once for the page the region's law and eligibility rules. Each of these was one more query; packed, they ride
on the workers' query as subqueries (a correlated one per worker, an uncorrelated one that PostgreSQL runs once).

`packed(queryset, key=...)` is a Subquery: the rows of `queryset` (filtered on an OuterRef, or on a constant),
grouped by `key`, each as a JSON object of the model's columns, joined by the ASCII record separator (which JSON
text never contains: control characters are escaped in JSON strings). `unpack(model, text)` gives unsaved model
instances back, each column through its own field's `to_python`, so the code that applies a rule to instances
(eligibility.explain, the law's pick) runs unchanged on them. PostgreSQL and SQLite.
"""

import datetime
import functools
import json
from decimal import Decimal

from django.db import models
from django.db.models import StringAgg, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONObject

SEPARATOR = "\x1e"


def _columns(model, fields=None) -> list[str]:
    if fields is not None:
        return list(fields)
    return [f.attname for f in model._meta.concrete_fields]


def packed(queryset, *, key: str, fields=None) -> Subquery:
    """The rows of `queryset` for one value of `key`, packed into one text (NULL when there is no row).

    SQLite cannot order an aggregate: `unpack` puts the rows in the model's default ordering."""
    model = queryset.model
    row = Cast(JSONObject(**{name: name for name in _columns(model, fields)}), TextField())
    aggregated = StringAgg(row, delimiter=Value(SEPARATOR))
    return Subquery(
        queryset.order_by().values(key).annotate(_packed=aggregated).values("_packed")[:1], output_field=TextField()
    )


def _json(value):
    # SQLite keeps a JSON column as text and JSON_OBJECT embeds it as a string.
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _time(value):
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


def _decimal(value):
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _bool(value):
    return value if value is None else bool(value)


def _same(value):
    return value


@functools.cache
def _converters(model) -> dict:
    """{column: function} giving each JSON value the Python type its field gives (what `to_python` does, the
    common types without its general parsing: matching unpacks a few hundred rows per page)."""
    out = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.JSONField):
            out[f.attname] = _json
        elif isinstance(f, models.DateTimeField):
            out[f.attname] = f.to_python
        elif isinstance(f, models.DateField):
            out[f.attname] = _date
        elif isinstance(f, models.TimeField):
            out[f.attname] = _time
        elif isinstance(f, models.DecimalField):
            out[f.attname] = _decimal
        elif isinstance(f, models.BooleanField):
            out[f.attname] = _bool
        elif isinstance(f, (models.IntegerField, models.CharField, models.TextField, models.ForeignKey)):
            out[f.attname] = _same
        else:
            out[f.attname] = f.to_python
    return out


def rows(model, text: str | None) -> list[dict]:
    """The rows packed in `text` by `packed`, as {column: value} of the field's Python type (cheaper than
    instances where only a few values are read); in no particular order."""
    if not text:
        return []
    convert = _converters(model)
    return [
        {name: convert[name](value) for name, value in row.items()}
        for row in json.loads(f"[{text.replace(SEPARATOR, ',')}]", parse_float=Decimal)
    ]


def unpack(model, text: str | None) -> list:
    """The unsaved instances of `model` packed in `text` by `packed` (an empty list for NULL), in the model's
    default ordering as a plain read would give them."""
    return _in_default_order(model, [model(**values) for values in rows(model, text)])


def _sortable(value):
    return (0, 0) if value is None else (1, value)


def _in_default_order(model, instances: list) -> list:
    """As a plain read of the model would give them: its Meta ordering (field names, "-" for descending), then
    pk; an empty value (None) sorts first."""
    ordering = [o for o in (model._meta.ordering or []) if isinstance(o, str)]
    for spec in reversed([*ordering, "pk"]):
        name = spec.lstrip("-")
        attname = model._meta.pk.attname if name == "pk" else model._meta.get_field(name).attname
        instances.sort(key=lambda i, a=attname: _sortable(getattr(i, a)), reverse=spec.startswith("-"))
    return instances
