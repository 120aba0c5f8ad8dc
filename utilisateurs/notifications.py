"""What the clients' notifications read at sending time (ale_platform.notifications.SENDING_CONTEXT): the e-mail
names the client to the agency's staff, while the task queue and the digests keep only the request's id
(docs/privacy.md, "Notifications: a link, not the details")."""

from ale_platform.notifications import NEW_REQUEST, SENDING_CONTEXT

from .models import Demande


def client_of_request(context: dict) -> dict:
    demande = Demande.objects.select_related("utilisateur").filter(pk=context.get("demande")).first()
    return {"client": str(demande.utilisateur)} if demande else {}


def register() -> None:
    SENDING_CONTEXT.register(NEW_REQUEST.code, client_of_request)
