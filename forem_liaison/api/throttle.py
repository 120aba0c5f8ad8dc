"""The API's rate limit: per Forem office (all its tokens together), a sliding window of one minute.

Built on django-ninja's `SimpleRateThrottle` (a request history in the cache); the limit is read from
`FOREM_API_RATE_LIMIT` (requests per minute, default 120) at each request, so a settings change applies at once.
Every answer to an authenticated request carries the IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers):
`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until a slot frees up) and `RateLimit-Policy`;
a 429 adds `Retry-After`, the same number of seconds.
"""

import math

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

WINDOW_SECONDS = 60


def limit_per_minute() -> int:
    return int(getattr(settings, "FOREM_API_RATE_LIMIT", 120))


class BureauRateThrottle(SimpleRateThrottle):
    scope = "forem_bureau"
    cache_format = "forem-api-throttle:%(ident)s"

    def __init__(self):
        self.rate = None
        self.num_requests, self.duration = limit_per_minute(), WINDOW_SECONDS

    def get_cache_key(self, request):
        jeton = getattr(request, "auth", None)
        if jeton is None:
            return None
        return self.cache_format % {"ident": jeton.bureau_id}

    def allow_request(self, request) -> bool:
        self.num_requests = limit_per_minute()
        allowed = super().allow_request(request)
        if self.key is not None:
            request.rate_limit_headers = self.headers()
        return allowed

    def reset_seconds(self) -> int:
        if not self.history:
            return 0
        return max(1, math.ceil(self.duration - (self.now - self.history[-1])))

    def wait(self):
        return self.reset_seconds()

    def headers(self) -> dict[str, str]:
        remaining = max(0, self.num_requests - len(self.history))
        return {
            "RateLimit-Limit": str(self.num_requests),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(self.reset_seconds()),
            "RateLimit-Policy": f"{self.num_requests};w={self.duration}",
        }
