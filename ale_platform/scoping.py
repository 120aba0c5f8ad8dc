"""Who sees which rows, written once: every scoped queryset derives from one of the two bases below.

- `ScopedQuerySet`: nobody when anonymous, every row for the superuser, the rows of their agencies for a
  collaborator, and for any other role the rows the model's one hook `own_rows(user)` gives (none by default).
- `ScopedThroughQuerySet`: a row is visible when the row it belongs to (`scope_through`) is visible.

Views fetch through `for_staff(request)` (the rows of the agency the collaborator works in) or the shared
getter `get_object_for()`, so an object outside the user's scope is a 404 (its existence is not revealed).
"""

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from .extensions import Hook

# require_agence(request) -> the agency the collaborator works in (403 without one); provided by
# ale_platform.access from the app's ready(), since access reads the agencies defined on top of this module.
require_agence = Hook("ale_platform.require_agence")


class ScopedQuerySet(models.QuerySet):
    agence_path = "agence"  # from the row to its agency

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_collaborateur:
            return self.collaborator_rows(user)
        return self.own_rows(user)

    def collaborator_rows(self, user):
        return self.filter(**{f"{self.agence_path}__memberships__user": user})

    def own_rows(self, user):
        """The rows a person who is not staff may see (a worker's own file, a client's requests...)."""
        return self.none()

    def writable_by(self, user):
        """The rows a person who is not staff may change; by default every row they may see."""
        return self.for_user(user)

    def for_staff(self, request):
        """The rows of the agency the collaborator works in (the superuser's chosen agency included)."""
        return self.for_user(request.user).filter(**{self.agence_path: require_agence(request)})


class ScopedThroughQuerySet(models.QuerySet):
    scope_through: str  # the foreign key to the row this one belongs to
    agence_path: str | None = None  # the row's own agency, when it has one (else the parent's is used)

    @property
    def parent_model(self):
        return self.model._meta.get_field(self.scope_through).related_model

    def for_user(self, user):
        return self.filter(**{f"{self.scope_through}__in": self.parent_model.objects.for_user(user)})

    def writable_by(self, user):
        return self.filter(**{f"{self.scope_through}__in": self.parent_model.objects.writable_by(user)})

    def for_staff(self, request):
        if self.agence_path:
            return self.for_user(request.user).filter(**{self.agence_path: require_agence(request)})
        return self.filter(**{f"{self.scope_through}__in": self.parent_model.objects.for_staff(request)})


def is_staff(user) -> bool:
    return user.is_collaborateur or user.is_superuser


def scoped(request, model_or_queryset, *, write: bool = False):
    """Staff: the rows of the agency they work in. Anyone else: their own rows (write=True: those they may change)."""
    qs = model_or_queryset if isinstance(model_or_queryset, models.QuerySet) else model_or_queryset.objects.all()
    if is_staff(request.user):
        return qs.for_staff(request)
    return qs.writable_by(request.user) if write else qs.for_user(request.user)


def get_object_for(request, model_or_queryset, pk, *, write: bool = False):
    """The object `pk` if the user may see it (write=True: change it), else 404."""
    return get_object_or_404(scoped(request, model_or_queryset, write=write), pk=pk)


def get_own_object(request, model_or_queryset):
    """The one row a worker or a client owns (their file), else 404."""
    obj = scoped(request, model_or_queryset).first()
    if obj is None:
        raise Http404
    return obj
