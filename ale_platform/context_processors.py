from .agences import current_agence
from .models import Agence
from .navigation import nav_for


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    context = {
        "nav_items": [
            {"label": item.label, "url": item.url, "current": request.path.startswith(item.url)}
            for item in nav_for(user)
        ]
    }
    if user.is_collaborateur or user.is_superuser:
        context["current_agence"] = current_agence(request)
        context["switchable_agences"] = SimpleLazyList(lambda: list(Agence.objects.for_user(user)))
    return context


class SimpleLazyList:
    """Evaluated only if the template iterates it (the switcher), so pages that don't show it pay nothing."""

    def __init__(self, factory):
        self._factory = factory
        self._value = None

    def _get(self):
        if self._value is None:
            self._value = self._factory()
        return self._value

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())
