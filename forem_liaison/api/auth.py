"""Bearer tokens of Forem offices (`JetonAPI`): only the SHA-256 is stored, revocation is immediate."""

from ninja.security import HttpBearer

from ..models import JetonAPI, hash_token


class BureauToken(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        return (
            JetonAPI.objects.active().select_related("bureau__service").filter(hashed_token=hash_token(token)).first()
        )
