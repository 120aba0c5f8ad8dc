from .agences import current_agence, user_agences
from .navigation import AGENCY_ADMIN, nav_for


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = list(nav_for(user))
    if (user.is_collaborateur or user.is_superuser) and any(a.user_is_admin for a in user_agences(request)):
        items += AGENCY_ADMIN
    context = {
        "nav_items": [
            {"label": item.label, "url": item.url, "current": request.path.startswith(item.url)} for item in items
        ]
    }
    if user.is_collaborateur or user.is_superuser:
        context["current_agence"] = current_agence(request)
        context["switchable_agences"] = user_agences(request)
    return context
