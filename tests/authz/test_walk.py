"""Walks every URL pattern of the project with each role and checks the expected status.

A new URL without an expectation in a `matrix_<app>.py` fails `test_every_url_has_an_expectation`.
allauth's own pages are left to their tests; the admin's inner pages are walked by test_admin_walk.py and
every reachable form is fuzzed by test_fuzz_walk.py.
"""

import importlib
import pkgutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import authz

from .matrix import ROLES


def _matrix() -> dict:
    merged, modules = {}, []
    for info in pkgutil.iter_modules(authz.__path__):
        if info.name.startswith("matrix_"):
            module = importlib.import_module(f"tests.authz.{info.name}")
            modules.append(module)
            overlap = merged.keys() & module.MATRIX.keys()
            assert not overlap, f"URL names declared twice: {overlap}"
            merged.update(module.MATRIX)
    return merged, modules


MATRIX, MODULES = _matrix()


def _walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace if p.namespace else None
            full = ":".join(filter(None, [namespace, ns])) or None
            yield from _walk(p.url_patterns, full)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def project_url_names() -> set[str]:
    names = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith("allauth."):
            continue
        if name.startswith("admin:") and name != "admin:index":
            continue
        names.add(name)
    return names


def test_every_url_has_an_expectation():
    missing = project_url_names() - MATRIX.keys()
    assert not missing, f"URLs without an access expectation in tests/authz/matrix_*.py: {sorted(missing)}"


def test_no_expectation_for_a_missing_url():
    stale = MATRIX.keys() - project_url_names()
    assert not stale, f"Expectations for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(url_name, world):
    for module in MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    spec = MATRIX[url_name]
    url = reverse(url_name, kwargs=spec.kwargs(world))
    failures = []
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        data = spec.data(world) if spec.data else None
        response = getattr(client, spec.method)(url, data)
        expected = spec.statuses[role]
        if response.status_code != expected:
            failures.append(f"{role}: got {response.status_code}, expected {expected}")
        elif role == "anonymous" and expected == 302:
            assert response["Location"].startswith((reverse(settings.LOGIN_URL), "/admin/login/")), response["Location"]
    assert not failures, f"{url_name} ({url}): " + "; ".join(failures)
