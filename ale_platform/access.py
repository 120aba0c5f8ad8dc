"""Role checks for views. Anonymous users go to the log-in page; a wrong role gets 403.

Object-level scoping is not done here but in the querysets (`ale_platform.scoping`): views fetch through
`for_staff(request)` or `get_object_for()`, so an object outside the user's scope is a 404.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .agences import current_agence
from .models import Role

STAFF = "staff"  # collaborators and the platform superuser


def _has_role(user, roles) -> bool:
    if STAFF in roles and (user.is_collaborateur or user.is_superuser):
        return True
    return user.role in roles


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(STAFF)
conseiller_required = role_required(Role.CONSEILLER)
client_required = role_required(Role.CLIENT)
prestataire_required = role_required(Role.PRESTATAIRE)


def require_agence(request):
    """The agency the collaborator works in; a collaborator without any membership cannot work."""
    agence = current_agence(request)
    if agence is None:
        raise PermissionDenied
    return agence
