"""Walks every admin page of every registered model (changelist, add, change, history, one version, delete) with
each role, on a row of agency A and a row of agency B, and checks `admin_matrix.ADMIN_MATRIX`. Then tries to write
another agency's rows through every page that takes a POST, and checks that nothing changed."""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from ale_platform.admin_site import AgenceScopedAdmin, HistoryAdmin

from .admin_matrix import ADMIN_MATRIX, OUTSIDERS, SCOPED_READONLY, SUPERUSER, expected_status
from .admin_world import ADMIN_ROLES, build_admin_world

# The admin world takes some rows from the demo (this month's vouchers and summaries) and builds others on set
# days of 2026: it is walked on a day of that year with a month of work behind it.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-02")]


def _label(model) -> str:
    return model._meta.label


def test_every_admin_model_has_an_expectation():
    registered = {_label(model) for model in admin.site._registry}
    assert not registered - ADMIN_MATRIX.keys(), "Admin models without an expectation in tests/authz/admin_matrix.py"
    assert not ADMIN_MATRIX.keys() - registered, "Expectations for models no longer in the admin"


def test_history_pages_are_the_audit_trail_kind():
    """simple-history's stock admin reverts past versions and reads its table unscoped: never used as is."""
    stock = [
        _label(model)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert stock == []


def test_scoped_kinds_match_the_model_admins():
    for model, model_admin in admin.site._registry.items():
        kind = ADMIN_MATRIX[_label(model)].kind
        assert (kind != SUPERUSER) == isinstance(model_admin, AgenceScopedAdmin), _label(model)


def _urls(model, model_admin, row_a, row_b):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    yield "changelist", None, reverse(f"{info}_changelist")
    yield "add", None, reverse(f"{info}_add")
    scoped = isinstance(model_admin, AgenceScopedAdmin)
    for side, row in (("a", row_a), ("b", row_b)) if scoped else (("a", row_a),):
        yield "change", side, reverse(f"{info}_change", args=[row.pk])
        yield "history", side, reverse(f"{info}_history", args=[row.pk])
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = row.history.order_by("history_id").first()
            assert version is not None, f"{_label(model)} #{row.pk} has no history"
            yield "version", side, reverse(f"{info}_simple_history", args=[row.pk, version.history_id])
        yield "delete", side, reverse(f"{info}_delete", args=[row.pk])


def _clients(world):
    clients = {}
    for role in ADMIN_ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        clients[role] = client
    return clients


def test_every_admin_page_with_every_role():
    world = build_admin_world()
    clients = _clients(world)
    failures = []
    for model, model_admin in admin.site._registry.items():
        spec = ADMIN_MATRIX[_label(model)]
        row_a, row_b = world.rows[model]
        for view, side, url in _urls(model, model_admin, row_a, row_b):
            for role in ADMIN_ROLES:
                if role in OUTSIDERS and view not in ("changelist", "change"):
                    continue  # turned away before any model code runs: one page of each kind is enough
                expected = expected_status(spec, view, role, side)
                got = clients[role].get(url).status_code
                if got != expected:
                    failures.append(f"{role} GET {url} ({view}, agency {side}): got {got}, expected {expected}")
    assert not failures, f"{len(failures)} unexpected:\n" + "\n".join(failures)


def _snapshot(row):
    fresh = type(row)._default_manager.filter(pk=row.pk).first()
    return fresh and model_to_dict(fresh)


def test_no_admin_page_writes_another_agencys_row_or_reverts_a_version():
    world = build_admin_world()
    clients = _clients(world)
    failures = []
    for model, model_admin in admin.site._registry.items():
        row_a, _row_b = world.rows[model]
        before = _snapshot(row_a)
        data = model_to_dict(row_a) | {"agence": world.agence_b.pk, "post": "yes", "_change_history": "1"}
        data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list | dict)}
        for view, _side, url in _urls(model, model_admin, row_a, row_a):
            if view in ("changelist", "add", "history"):
                continue
            # Agency B's admin on agency A's row; the superuser may change and delete, but never revert.
            for role in ("admin_b", "superuser") if view == "version" else ("admin_b",):
                if role == "admin_b" and not isinstance(model_admin, AgenceScopedAdmin):
                    continue
                got = clients[role].post(url, data).status_code
                if got not in (403, 404):
                    failures.append(f"{role} POST {url} ({view}): got {got}, expected 403 or 404")
        if isinstance(model_admin, AgenceScopedAdmin):
            # The changelist's actions (delete_selected) on agency A's row, as agency B's admin.
            changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            action = {"action": "delete_selected", "_selected_action": [row_a.pk], "post": "yes"}
            got = clients["admin_b"].post(changelist, action).status_code
            if got >= 500:
                failures.append(f"admin_b POST {changelist} (delete_selected): got {got}")
        if _snapshot(row_a) != before:
            failures.append(f"{_label(model)} #{row_a.pk} was changed")
    assert not failures, "\n".join(failures)


def test_read_only_models_are_read_only_for_everyone():
    read_only = [label for label, spec in ADMIN_MATRIX.items() if spec.kind == SCOPED_READONLY]
    for model, model_admin in admin.site._registry.items():
        if _label(model) in read_only:
            assert not model_admin.has_change_permission(_superuser_request(), None), _label(model)


def _superuser_request():
    from django.test import RequestFactory

    from ale_platform.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request
