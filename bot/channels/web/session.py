"""Who is talking, without knowing who they are: the chat token, CSRF and language cookies.

A web conversation is tied to a random token in an HttpOnly, SameSite=Strict
*session* cookie (no expiry date: it goes when the browser closes, so a shared
device keeps as little as possible). The token is the conversation's chat id;
the core stores only an HMAC of it. Form posts carry a CSRF token derived from
the chat token with a server key, so nothing about it is stored either.

Only tokens this server issued are taken (a keyed MAC, checked in constant
time): a value planted in a browser (session fixation) gets a fresh start
under a new token. The cookie is `Secure` whenever the public URL is https.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

CHAT_COOKIE = "tipline_chat"
LANG_COOKIE = "tipline_lang"
CSRF_HEADER = "X-CSRF-Token"
# 32 random bytes ‖ a 16-byte MAC of them, base64url
_TOKEN = re.compile(r"([A-Za-z0-9_-]{43})([A-Za-z0-9_-]{22})")
_OUR_COOKIES = re.compile(rf"(?:^|;)\s*({CHAT_COOKIE}|{LANG_COOKIE})=([^;]*)")
_MAX_HINT = 200  # an Accept-Language header is short; a longer one is cut


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class Visitor:
    """What a request says about its sender: chat token, chosen language, browser hints."""

    token: str
    fresh: bool  # a new token is being issued with this response
    chosen_locale: str | None
    accept_language: str | None

    @property
    def locale_hint(self) -> str | None:
        """For the core: the language picked on the page, else the browser's preference."""
        return self.chosen_locale or self.accept_language


class Sessions:
    """Reads and writes the web chat's cookies; checks CSRF tokens in constant time."""

    def __init__(self, key: bytes, languages: Mapping[str, str], secure: bool) -> None:
        self._key = key
        self._languages = languages
        self._secure = secure

    def visitor(self, request: web.Request) -> Visitor:
        # Only our two cookies matter: picked out directly, which is cheaper on every turn
        # than parsing the whole header (aiohttp's request.cookies).
        ours = {m[1]: m[2] for m in _OUR_COOKIES.finditer(request.headers.get("Cookie", ""))}
        raw = ours.get(CHAT_COOKIE, "")
        issued = self._issued(raw)
        lang = ours.get(LANG_COOKIE)
        header = request.headers.get("Accept-Language")
        return Visitor(
            token=raw if issued else self.new_token(),
            fresh=not issued,
            chosen_locale=lang if lang in self._languages else None,
            accept_language=header[:_MAX_HINT] if header else None,
        )

    def new_token(self) -> str:
        """A fresh token: 256 random bits and this server's MAC of them, URL-safe."""
        body = _b64(secrets.token_bytes(32))
        return body + self._mac(body)

    def _issued(self, raw: str) -> bool:
        """Whether `raw` is a token this server issued."""
        match = _TOKEN.fullmatch(raw)
        return match is not None and hmac.compare_digest(self._mac(match[1]), match[2])

    def _mac(self, body: str) -> str:
        mac = hashlib.blake2b(body.encode(), key=self._key, digest_size=16, person=b"chat-token")
        return _b64(mac.digest())

    def csrf_for(self, token: str) -> str:
        # Keyed BLAKE2b is a MAC; unlike OpenSSL's HMAC it keeps the GIL for short input,
        # so a turn is not left waiting for the store's writer thread to hand it back.
        return hashlib.blake2b(token.encode(), key=self._key, digest_size=32).hexdigest()

    def csrf_ok(self, token: str, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(self.csrf_for(token), given)

    def remember(
        self,
        request: web.Request,
        response: web.StreamResponse,
        visitor: Visitor,
        token: str,
        locale: str | None,
    ) -> None:
        """Set the chat cookie (and the picked language) on `response` when they change."""
        secure = self._secure or request.secure
        if visitor.fresh or visitor.token != token:
            response.set_cookie(
                CHAT_COOKIE, token, path="/", httponly=True, samesite="Strict", secure=secure
            )
        if locale is not None and visitor.chosen_locale != locale:
            response.set_cookie(
                LANG_COOKIE, locale, path="/", httponly=True, samesite="Strict", secure=secure
            )
