"""The map of personal data covers every model and every text, JSON and file column of the project.

A new model, or a new such column on a registered model, fails here until it is classified in the app's
`privacy.register()` (personal or not), which decides how it is exported, anonymised and kept (docs/privacy.md).
"""

import pytest
from django.apps import apps
from django.db import models

from ale_platform.privacy.datamap import DELETE, HISTORY_COLUMNS, STORES
from ale_platform.privacy.models import TypePersonne

CLASSIFIED_TYPES = (models.CharField, models.TextField, models.JSONField, models.FileField, models.BinaryField)


def _columns(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if isinstance(f, CLASSIFIED_TYPES)}


def _base_of(model):
    """A simple-history model's tracked model (None for an ordinary model)."""
    return getattr(model, "instance_type", None)


def test_every_model_of_the_project_is_in_the_map():
    missing = [m._meta.label for m in apps.get_models() if _base_of(m) is None and m._meta.label not in STORES]
    assert missing == [], f"not in the privacy data map (register them in the app's privacy.py): {missing}"


@pytest.mark.parametrize("label", sorted(STORES))
def test_every_text_json_and_file_column_is_classified(label):
    store = STORES[label]
    columns = _columns(store.model_class)
    unclassified = columns - store.personal - store.other
    assert unclassified == set(), f"{label}: classify {sorted(unclassified)} as personal or other"
    unknown = (store.personal | store.other | store.mentions | store.hidden) - {
        f.name for f in store.model_class._meta.concrete_fields
    }
    assert unknown == set(), f"{label}: no such columns {sorted(unknown)}"
    assert not store.personal & store.other


def test_history_tables_hold_only_the_columns_of_their_registered_model():
    for model in apps.get_models():
        base = _base_of(model)
        if base is None:
            continue
        store = STORES[base._meta.label]
        extra = _columns(model) - store.personal - store.other - HISTORY_COLUMNS
        assert extra == set(), f"{model._meta.label}: {sorted(extra)}"


def test_every_store_of_personal_data_is_reached_by_a_person_or_has_a_retention():
    """Personal columns are either exported/erased with a person, or kept for a stated time, or scrubbed as
    mentions, or handled by a documented note (caches erased with the address)."""
    for label, store in STORES.items():
        if not store.personal:
            continue
        reached = bool(store.rows) or bool(store.mentions) or bool(store.retention) or bool(store.note)
        assert reached, f"{label} holds personal data but nothing exports, erases or expires it"


def test_rows_about_a_person_with_personal_columns_are_erased_or_handled_by_the_owning_app():
    for label, store in STORES.items():
        for kind in store.rows:
            assert kind in TypePersonne.values
        if store.rows and store.personal and store.erase is None:
            # Only the person's own file, their account, their documents and published feedback (trigger) are
            # anonymised by the owning app's own code; TransitionCheque's motif and the notifications sent to them
            # (task results) are scrubbed as mentions.
            assert label in {
                "prestataires.Prestataire",
                "prestataires.Document",
                "utilisateurs.Utilisateur",
                "ale_platform.User",
                "forem_liaison.RetourAdressage",
                "privacy.ExportDonnees",
                "prestations.TransitionCheque",
                "django_tasks_database.DBTaskResult",
            }, label
        assert store.erase is None or store.erase == DELETE or isinstance(store.erase, dict) or callable(store.erase)


def test_export_file_names_are_unique():
    names = [store.export for store in STORES.values() if store.export]
    assert len(names) == len(set(names))
