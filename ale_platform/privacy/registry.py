"""Which apps describe which kind of person, and what the apps above add to a person's file.

Each app registers from its `AppConfig.ready()`: the app owning a kind of person gives its model and its
`privacy` module (`label`, `export_files`, `expired`, `anonymise`); an app holding more rows about that
person adds export files and the dates that count as activity. See docs/privacy.md.
"""

from dataclasses import dataclass
from types import ModuleType

from ale_platform.extensions import Hook, Registry

from .core import max_of


@dataclass(frozen=True)
class PersonKind:
    model: type
    module: ModuleType


KINDS: dict[str, PersonKind] = {}

# kind -> callables(person) -> {file name: bytes}, added to the person's export
export_parts = Registry("privacy.export_parts")
# kind -> (model, field pointing to the person, date field): their latest date counts as activity
activity_dates = Registry("privacy.activity_dates")
# "purges" -> callables(now) -> int: files an app keeps for a while (e.g. uploaded imports), deleted nightly once
# their retention has passed; each returns how many it deleted
retention_purges = Registry("privacy.retention_purges")
# remark_reads(params, agences) -> the filterset of the reads of confidential remarks in those agencies
remark_reads = Hook("privacy.remark_reads")


def register_kind(kind: str, *, model: type, module: ModuleType) -> None:
    KINDS[kind] = PersonKind(model, module)


def extra_files(kind: str, person) -> dict[str, bytes]:
    files = {}
    for part in export_parts[kind]:
        files |= part(person)
    return files


def activity_annotations(kind: str) -> dict:
    """`derniere_activite_<n>` subqueries, one per registered source, for `last_activity()`."""
    return {
        f"derniere_activite_{n}": max_of(model, fk, field) for n, (model, fk, field) in enumerate(activity_dates[kind])
    }


def last_activities(obj, kind: str) -> list:
    return [getattr(obj, f"derniere_activite_{n}") for n in range(len(activity_dates[kind]))]
