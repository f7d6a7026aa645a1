"""The review UI's own protections: it serves decrypted reports, so only its opener may look.

- It listens on 127.0.0.1 only, and refuses a request whose Host is not that
  address and port (a web page elsewhere cannot reach it by DNS rebinding).
- `tipline review ui` prints a URL with a one-time launch token; opening it
  sets an HttpOnly, SameSite=Strict session cookie, and every other request
  needs that cookie (another user or program on the machine has neither).
- Every form carries a CSRF token bound to the session, checked in constant
  time before the form is read.
- Every response has a Content-Security-Policy without scripts (the UI has
  none), no-store caching, no referrer and no framing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import web

__all__ = ["HEADERS", "Guard"]

COOKIE = "tipline_review"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self';"
        " frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class Guard:
    """The launch token, the session and CSRF tokens of one UI run."""

    def __init__(self, port: int) -> None:
        self.launch = secrets.token_urlsafe(24)
        self._session = secrets.token_urlsafe(32)
        self._hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    def host_ok(self, request: web.Request) -> bool:
        return request.headers.get("Host", "") in self._hosts

    def launched(self, request: web.Request) -> bool:
        """True for the launch URL (its token in the query)."""
        given = request.query.get("t", "")
        return bool(given) and hmac.compare_digest(given, self.launch)

    def admit(self, response: web.StreamResponse) -> None:
        response.set_cookie(COOKIE, self._session, httponly=True, samesite="Strict", path="/")

    def has_session(self, request: web.Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), self._session)

    def csrf(self) -> str:
        return hmac.new(self._session.encode(), b"csrf", hashlib.sha256).hexdigest()

    def csrf_ok(self, given: str) -> bool:
        return hmac.compare_digest(given, self.csrf())
