"""Extension points: the lower apps' hooks are all provided once the apps are ready, and a hook says clearly
when nothing provides it (rather than failing later with an AttributeError)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ale_platform.extensions import Hook, Registry
from ale_platform.privacy import registry as privacy_registry
from ale_platform.privacy.models import TypePersonne
from prestataires import extensions as prestataires_ext
from utilisateurs import extensions as utilisateurs_ext


def _hooks(module):
    return [value for value in vars(module).values() if isinstance(value, Hook)]


@pytest.mark.parametrize(
    "hook", [*_hooks(prestataires_ext), *_hooks(utilisateurs_ext), privacy_registry.remark_reads], ids=str
)
def test_every_declared_hook_is_provided_by_an_installed_app(hook):
    assert hook._impl is not None, hook.name


def test_every_kind_of_person_is_registered():
    assert set(privacy_registry.KINDS) == set(TypePersonne.values)


def test_an_unprovided_hook_names_itself():
    hook = Hook("demo.nothing")
    with pytest.raises(ImproperlyConfigured, match="demo.nothing"):
        hook()


def test_a_hook_is_provided_once():
    hook = Hook("demo.once")
    hook.provide(len)
    hook.provide(len)
    with pytest.raises(ImproperlyConfigured):
        hook.provide(max)


def test_registry_keeps_order_and_ignores_repeats():
    registry = Registry("demo")
    registry.register("k", "a")
    registry.register("k", "b")
    registry.register("k", "a")
    assert registry["k"] == ("a", "b")
    assert registry["other"] == ()
