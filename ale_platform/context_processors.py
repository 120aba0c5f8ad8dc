from .agences import current_agence, user_agences
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
        context["switchable_agences"] = user_agences(request)
    return context
