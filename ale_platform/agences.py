"""Which agency a collaborator is working in. Members of several agencies switch between them."""

from .models import Agence

SESSION_KEY = "agence_id"


def current_agence(request) -> Agence | None:
    """Computed once per request."""
    if not hasattr(request, "_current_agence"):
        request._current_agence = _find_current_agence(request)
    return request._current_agence


def _find_current_agence(request) -> Agence | None:
    user = request.user
    if not user.is_authenticated or not (user.is_collaborateur or user.is_superuser):
        return None
    if user.is_superuser:
        agences = Agence.objects.order_by("nom")
    else:  # the agency they administer first, then by name
        agences = Agence.objects.filter(memberships__user=user).order_by("-memberships__is_admin", "nom")
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        agence = agences.filter(pk=chosen).first()
        if agence is not None:
            return agence
    return agences.first()


def switch_agence(request, agence_id: int) -> Agence | None:
    agence = Agence.objects.for_user(request.user).filter(pk=agence_id).first()
    if agence is not None:
        request.session[SESSION_KEY] = agence.pk
        request._current_agence = agence
    return agence
