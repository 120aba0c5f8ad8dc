from django.utils.functional import SimpleLazyObject

from .agences import current_agence, user_agences
from .extensions import Registry
from .navigation import AGENCY_ADMIN, nav_for
from .undo import pending as pending_undo

# role -> the models whose `compte` is a person's own file (registered by the apps that own those files)
PERSON_FILES = Registry("ale_platform.person_files")


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "spe": SimpleLazyObject(_default_service)}
    items = list(nav_for(user))
    if (user.is_collaborateur or user.is_superuser) and any(a.user_is_admin for a in user_agences(request)):
        items += AGENCY_ADMIN
    context = {
        "nav_items": [
            {"label": item.label, "url": item.url, "current": request.path.startswith(item.url)} for item in items
        ]
    }
    context["account_name"] = account_name(user)
    # Called by base.html only (a callable): the offer is shown once, on the page after the action, like a message.
    context["undo_offer"] = lambda: pending_undo(request)
    context["spe"] = SimpleLazyObject(lambda: service_emploi(request, user))
    if user.is_collaborateur or user.is_superuser:
        context["current_agence"] = current_agence(request)
        context["switchable_agences"] = user_agences(request)
    return context


def account_name(user) -> str:
    """The name shown in the header: the account's, else the client's or worker's file, else the e-mail."""
    name = user.get_full_name()
    if name:
        return name
    for model in PERSON_FILES[user.role]:
        row = model.objects.filter(compte=user).values("prenom", "nom").first()
        if row:
            return " ".join(part for part in (row["prenom"], row["nom"]) if part)
    return user.email


def _default_service():
    from .emploi import service_of
    from .models import Region

    return service_of(Region.WALLONIE)


def service_emploi(request, user):
    """The public employment service the page names (`spe` in templates): that of the staff's current agency, of
    the adviser's office, of the worker's or client's agency; the Forem before log-in. Read only when a template
    names it."""
    agence = None
    if user.is_collaborateur or user.is_superuser:
        agence = current_agence(request)
    elif user.is_conseiller:
        conseiller = getattr(user, "conseiller", None)
        if conseiller is not None:
            return conseiller.bureau.service
    else:
        for model in PERSON_FILES[user.role]:
            row = model.objects.filter(compte=user).select_related("agence").first()
            if row is not None:
                agence = row.agence
                break
    return agence.service_emploi if agence is not None else _default_service()
