"""A real log-in over HTTP, as a browser does it: the log-in form, then the second factor's code when asked.

The load test's sessions come from here, so that they hold what a real log-in leaves in the session (allauth's
authentication records, the MFA middleware's marks) and nothing forged. Standard library only: it talks to a
running server (gunicorn, or pytest-django's live server).
"""

import base64
import hashlib
import hmac
import re
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

LOGIN = "/accounts/login/"
SECOND_FACTOR = "/accounts/2fa/authenticate/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class LoginFailed(RuntimeError):
    pass


def totp_code(secret: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238, as an authenticator app computes it (allauth's defaults: SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept by hand: the production settings mark them Secure, which urllib's jar will not send over http."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request, redirects not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 (the test's own server)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Referer", self.base_url + path)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and 4xx/5xx
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        text = response.read().decode("utf-8", "replace")
        return response.status, response.headers.get("Location", ""), text

    def form_post(self, path: str, fields: dict) -> tuple[int, str]:
        status, _location, page = self.request(path)
        token = TOKEN.search(page)
        if status != 200 or not token:
            raise LoginFailed(f"GET {path} answered {status} without a form")
        status, location, _body = self.request(path, {"csrfmiddlewaretoken": token.group(1), **fields})
        return status, location


def log_in(base_url: str, email: str, password: str, totp_secret: str | None = None) -> str:
    """Logs in through allauth's pages (and its second-factor page when it asks); returns the session key."""
    browser = Browser(base_url)
    status, location = browser.form_post(LOGIN, {"login": email, "password": password})
    if status != 302:
        raise LoginFailed(f"{email}: the log-in form answered {status}")
    if urllib.parse.urlsplit(location).path == SECOND_FACTOR:
        if not totp_secret:
            raise LoginFailed(f"{email}: a code is asked and no TOTP secret was given")
        for attempt in range(2):
            status, location = browser.form_post(SECOND_FACTOR, {"code": totp_code(totp_secret)})
            if status == 302:
                break
            # A code is accepted once (allauth remembers it): a log-in a moment ago used it; wait for the next.
            if attempt == 0:
                time.sleep(30 - time.time() % 30 + 1)
        else:
            raise LoginFailed(f"{email}: the second factor's code was refused")
    if "sessionid" not in browser.cookies:
        raise LoginFailed(f"{email}: no session after the log-in")
    return browser.cookies["sessionid"]
