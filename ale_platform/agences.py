"""Which agency a collaborator is working in. Members of several agencies switch between them."""

from django.db.models import F, Value

from .models import Agence

SESSION_KEY = "agence_id"


def current_agence(request) -> Agence | None:
    """Computed once per request."""
    if not hasattr(request, "_current_agence"):
        request._current_agence = _find_current_agence(request)
    return request._current_agence


def user_agences(request) -> list[Agence]:
    """The agencies the collaborator works for, the one they administer first; each carries `user_is_admin`.

    One query per request, shared by the current agency, the agency switcher and the dashboard's settings link.
    """
    if not hasattr(request, "_user_agences"):
        user = request.user
        if not user.is_authenticated or not (user.is_collaborateur or user.is_superuser):
            agences = []
        elif user.is_superuser:
            agences = list(Agence.objects.annotate(user_is_admin=Value(True)).order_by("nom"))
        else:
            memberships = Agence.objects.filter(memberships__user=user)
            agences = list(
                memberships.annotate(user_is_admin=F("memberships__is_admin")).order_by("-memberships__is_admin", "nom")
            )
        request._user_agences = agences
    return request._user_agences


def _find_current_agence(request) -> Agence | None:
    agences = user_agences(request)
    chosen = request.session.get(SESSION_KEY) if agences else None
    return next((a for a in agences if a.pk == chosen), agences[0] if agences else None)


def switch_agence(request, agence_id: int) -> Agence | None:
    agence = Agence.objects.for_user(request.user).filter(pk=agence_id).first()
    if agence is not None:
        request.session[SESSION_KEY] = agence.pk
        request.__dict__.pop("_user_agences", None)
        request._current_agence = _find_current_agence(request)
        return request._current_agence
    return agence
