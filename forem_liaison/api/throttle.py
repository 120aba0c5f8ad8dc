"""The API's rate limit: per Forem office (all its tokens together), over a sliding minute.

Plugged into django-ninja's throttling (`throttle=` on the API: ninja calls it after authentication and answers
429 with `Retry-After` from `wait()`). The request history lives in the cache like ninja's `SimpleRateThrottle`;
the per-request values are kept on the request and in a thread-local, never on the shared throttle object, so two
threads cannot mix their answers. The limit is read from `FOREM_API_RATE_LIMIT` (requests per minute, default
120) at each request. Every answer to an authenticated request carries the IETF RateLimit headers
(draft-ietf-httpapi-ratelimit-headers): `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until a
slot frees up) and `RateLimit-Policy`; a 429 adds `Retry-After`, the same number of seconds.
"""

import math
import threading

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

WINDOW_SECONDS = 60


def limit_per_minute() -> int:
    return int(getattr(settings, "FOREM_API_RATE_LIMIT", 120))


class BureauRateThrottle(SimpleRateThrottle):
    cache_format = "forem-api-throttle:%(ident)s"

    def __init__(self):
        self.rate, self.duration = None, WINDOW_SECONDS
        self._local = threading.local()

    def get_cache_key(self, request):
        jeton = getattr(request, "auth", None)
        return None if jeton is None else self.cache_format % {"ident": jeton.bureau_id}

    def allow_request(self, request) -> bool:
        key = self.get_cache_key(request)
        if key is None:
            return True
        limit, now = limit_per_minute(), self.timer()
        history = [moment for moment in self.cache.get(key, []) if moment > now - self.duration]
        allowed = len(history) < limit
        if allowed:
            history.insert(0, now)
            self.cache.set(key, history, self.duration)
        reset = max(1, math.ceil(self.duration - (now - history[-1]))) if history else 0
        self._local.reset = reset
        request.rate_limit_headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - len(history))),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": f"{limit};w={self.duration}",
        }
        return allowed

    def wait(self):
        return getattr(self._local, "reset", self.duration)
