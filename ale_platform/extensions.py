"""Extension points: how a lower app uses what an upper app knows without importing it.

The lower app declares a `Hook` (one function, provided by one app) or a `Registry` (entries added by any
number of apps) in its `extensions.py`; the upper app fills it from its `AppConfig.ready()`. Imports then
run downward only (docs/architecture.md), and import-linter checks it.
"""

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One function that the declaring app calls and exactly one installed app provides."""

    def __init__(self, name: str):
        self.name = name
        self._impl = None

    def provide(self, func):
        if self._impl is not None and self._impl is not func:
            raise ImproperlyConfigured(f"{self.name} is already provided by {self._impl.__module__}.")
        self._impl = func
        return func

    def __call__(self, *args, **kwargs):
        if self._impl is None:
            raise ImproperlyConfigured(f"No installed app provides {self.name}.")
        return self._impl(*args, **kwargs)


class Registry:
    """Entries that any number of apps add under a key, read back in the order they were added."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict = {}

    def register(self, key, entry):
        entries = self._entries.setdefault(key, [])
        if entry not in entries:
            entries.append(entry)
        return entry

    def __getitem__(self, key) -> tuple:
        return tuple(self._entries.get(key, ()))

    def keys(self):
        return self._entries.keys()


# agency_price_problems(agence) -> {field: why}: the agency's voucher prices below the law in force today in its
# region (general, and agricultural/horticultural work); provided by prestations (its rule book), called by the
# admin's agency form so that it cannot go below the law either (the settings page checks the same).
agency_price_problems = Hook("ale_platform.agency_price_problems")
