"""Expected HTTP status of every URL for every role. Each app declares its own in `matrix_<app>.py`.

Conventions: an anonymous visitor is sent to the log-in page (302); a role that has no business on a
page gets 403; an object outside the user's scope (another agency's, another client's) is a 404, so
that its existence is not revealed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "client", "prestataire", "collab_a", "collab_b", "conseiller")


@dataclass(frozen=True)
class Expect:
    statuses: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable | None = None  # POST data built from the world


def expect(*, kwargs=None, method="get", data=None, **statuses) -> Expect:
    """Default: anonymous 302 (log-in), everyone else 403. Name the roles that differ."""
    unknown = set(statuses) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    base = {role: 403 for role in ROLES} | {"anonymous": 302}
    return Expect(statuses=base | statuses, kwargs=kwargs or (lambda world: {}), method=method, data=data)


STAFF = {"collab_a": 200, "collab_b": 200}
# An object of agency A: its collaborators see it, agency B's get a 404.
STAFF_OBJECT_A = {"collab_a": 200, "collab_b": 404}
EVERYONE = {role: 200 for role in ROLES}
