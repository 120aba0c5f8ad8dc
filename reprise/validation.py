"""The domain's forms, made fit for thousands of rows.

A model's check constraints are validated by Django with one query each (per row: five for a worker). During an
import they are evaluated in memory when their condition is made of plain lookups (all of this project's are),
and by the database otherwise; uniqueness is left to the forms' own checks (`clean_niss`, `clean_numero`…) and to
the importer, which already knows every existing record. The database still enforces every constraint on write.
"""

import operator
import re

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

OPERATORS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, expected: value in expected,
    "regex": lambda value, expected: re.search(expected, value or "") is not None,
}


def _value(instance, name):
    return getattr(instance, instance._meta.get_field(name).attname)


def _lookup(instance, lookup: str, expected) -> bool | None:
    name, _sep, op = lookup.partition("__")
    op = op or "exact"
    try:
        value = _value(instance, name)
        if isinstance(expected, F):
            expected = _value(instance, expected.name)
    except Exception:  # noqa: BLE001 — an unusual lookup: let the database say
        return None
    if op == "isnull":
        return (value is None) is expected
    if op not in OPERATORS or hasattr(expected, "resolve_expression") or value is None or expected is None:
        return None
    return OPERATORS[op](value, expected)


def holds(q: Q, instance) -> bool | None:
    """Whether `instance` meets `q`; None when that cannot be told in memory."""
    results = []
    for child in q.children:
        result = holds(child, instance) if isinstance(child, Q) else _lookup(instance, *child)
        results.append(result)
    if q.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if value is None:
        return None
    return not value if q.negated else value


class ImportValidation:
    """Mixed into a domain ModelForm: same fields, same clean methods, constraints checked without queries."""

    def validate_unique(self):
        pass  # the form's own clean methods and the importer check every uniqueness the import can break

    def validate_constraints(self):
        if self._errors:
            return  # the row is refused already; a constraint's generic message would only restate it
        instance = self.instance
        for constraint in instance._meta.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            result = holds(constraint.condition, instance)
            try:
                if result is None:
                    constraint.validate(type(instance), instance)
                elif not result:
                    raise ValidationError(constraint.get_violation_error_message())
            except ValidationError as exc:
                self._update_errors(exc)


def for_import(form_class):
    return type(f"Import{form_class.__name__}", (ImportValidation, form_class), {})
