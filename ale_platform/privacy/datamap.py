"""The map of where personal data lives: one `Store` per model, read by the export and by the anonymisation.

Every model of the project is registered here (by the app that owns it, from its `AppConfig.ready()`; the core
registers Django's, allauth's and the task queue's), each of its text, JSON and file columns classified as
personal or not. tests/privacy/test_datamap.py fails when a model or such a column is not classified, so a new
store of personal data cannot be added without deciding how it is exported, anonymised and how long it is kept.

A store with `rows` for a kind of person holds rows about that person: the export dumps them (and their
simple-history rows) into `<export>.json`; the anonymisation applies `erase` to them (placeholders written in the
live rows and their history, `DELETE`, or a function of the owning app) and scrubs the admin log entries about
them. `erase=None` means the owning app's `privacy.anonymise()` handles them (per-row placeholders, files, a
database trigger), or that the rows are kept on purpose (hours, vouchers, dates: `note` says which). Columns in
`mentions` are free text where other people's names may appear (a request's log, a task's arguments): they are
searched for the anonymised person's identifiers whoever the row belongs to.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

DELETE = "delete"

# Columns simple-history adds to every historical model (its change reason is wiped with the record's data).
HISTORY_COLUMNS = frozenset({"history_date", "history_change_reason", "history_type"})


@dataclass(frozen=True, eq=False)  # hashed by identity: one per model
class Store:
    model: str  # "app_label.ModelName"
    personal: frozenset[str] = frozenset()  # text/JSON/file columns holding personal data
    other: frozenset[str] = frozenset()  # text/JSON/file columns holding none
    rows: dict[str, Callable] = field(default_factory=dict)  # kind -> person -> queryset of rows about them
    # placeholders for those rows, DELETE, a function(pks) of the owning app, or None (the app's anonymise / kept)
    erase: dict | str | Callable | None = None
    export: str | None = None  # file name in the person's export (without ".json")
    mentions: frozenset[str] = frozenset()  # free-text columns where anyone's name may appear
    hidden: frozenset[str] = frozenset()  # secrets left out of the export (password hash, tokens)
    retention: str = ""  # how long the rows stay (docs/privacy.md)
    note: str = ""

    @property
    def model_class(self):
        return apps.get_model(self.model)


STORES: dict[str, Store] = {}


def register_store(store: Store) -> Store:
    if store.model in STORES:
        raise ValueError(f"{store.model} is already in the privacy data map")
    STORES[store.model] = store
    return store


def stores_about(kind: str) -> list[Store]:
    return [s for s in STORES.values() if kind in s.rows]


def mention_columns() -> list[tuple[type, frozenset[str]]]:
    return [(s.model_class, s.mentions) for s in STORES.values() if s.mentions]


def s(*names: str) -> frozenset[str]:
    """Shorthand for a set of column names."""
    return frozenset(names)
