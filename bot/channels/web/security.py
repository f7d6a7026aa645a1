"""Middlewares every response passes through: strict security headers and clean errors.

Headers: a Content-Security-Policy that allows only this site's own script and
style (no inline code at all), no framing, no referrer, no camera, microphone
or location, and `no-store` so a shared device's browser cache keeps nothing.

Errors: whatever goes wrong, the browser gets a short page (or JSON for the
script) in the reporter's language saying that nothing was changed; never a
traceback. A turn that fails commits nothing, so the draft stays as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Protocol

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from locales import N_, TiplineError

log = logging.getLogger("tipline.web")

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Server": "Tipline",  # no versions to fingerprint
}

# What each refusal says; every one promises that nothing was lost, because nothing was.
MESSAGES = {
    400: N_("Something in that request was not right, so nothing was changed."),
    403: N_("This page had expired, so your answer was not sent. Please send it again."),
    404: N_("There is no page here."),
    405: N_("Something in that request was not right, so nothing was changed."),
    413: N_("That upload is too large: the limit is {limit} MB in total. Nothing was sent."),
    415: N_("Something in that request was not right, so nothing was changed."),
    500: N_("Something went wrong on our side, so nothing was changed. Please try again."),
}
CODES = {400: "malformed", 403: "csrf", 404: "not_found", 405: "malformed", 413: "too_large"}
CODES |= {415: "malformed", 500: "server"}


class ErrorPages(Protocol):
    """Renders a refusal for the request that caused it: MESSAGES[status], or `msgid`
    (filled with `params`) when the refusal has words of its own."""

    def __call__(
        self,
        request: web.Request,
        status: int,
        msgid: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> web.Response: ...


def headers_middleware() -> Middleware:
    @web.middleware
    async def secure_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            exc.headers.update(HEADERS)
            raise
        response.headers.update(HEADERS)
        if request.secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    return secure_headers


def errors_middleware(pages: ErrorPages, owns: Callable[[web.Request], bool]) -> Middleware:
    """Every error on a request `owns` accepts becomes a clean page or JSON.

    Other channels' routes on the same server (webhooks) keep their own errors.
    """

    @web.middleware
    async def clean_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not owns(request):
            return await handler(request)
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            status = exc.status if exc.status in MESSAGES else 400
            if exc.status >= 500:
                status = 500
            log.info("web_refused", extra={"event": CODES.get(status, "malformed")})
            return pages(request, status, getattr(exc, "msgid", None), getattr(exc, "params", None))
        except TiplineError:
            log.exception("web_turn_failed")
            return pages(request, 500)
        except Exception:  # a bug must still end as a clean page, never a traceback
            log.exception("web_unexpected_error")
            return pages(request, 500)

    return clean_errors
