"""The web chat channel: a page that works with and without JavaScript, over the core service.

Routes (all on the one aiohttp application of `tipline run`):

    GET  /            the chat page: opens the conversation or asks the current question again
    POST /            a plain form post (no JavaScript): one answer, the page re-rendered
    POST /api/turn    the page's script (and the benchmark): one answer, JSON back
    GET  /static/...  the page's own stylesheet and script; nothing from anywhere else

The adapter is thin: a request becomes `Inbound(channel="web", chat=<cookie
token>, message_id=<client id + content digest>, text, locale_hint)` and the
`Outbound` is rendered. The conversation lives only in the core's draft. The
page shows the latest exchange (the reporter's last answer and the bot's
replies to it); earlier messages are never kept anywhere to be shown again, so
a browser on a shared device holds as little of the report as possible. With
JavaScript the exchange builds up on the screen while the tab stays open.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from aiohttp import web

from bot.channels import ChannelContext
from bot.channels.web.forms import Submission, read_submission
from bot.channels.web.render import EXPIRED_NOTE, Renderer, Said, View, question_of
from bot.channels.web.security import CODES, MESSAGES, errors_middleware, headers_middleware
from bot.channels.web.session import Sessions, Visitor, new_token
from bot.messages import FILES_DONE, Inbound, Outbound
from locales import LANGUAGES, negotiate, translator

CHANNEL = "web"
_STATIC = {"chat.css": "text/css", "chat.js": "text/javascript"}


class WebChat:
    """The web chat, mounted on `tipline run`'s aiohttp application."""

    name = CHANNEL

    def __init__(self, context: ChannelContext, languages: Mapping[str, str] = LANGUAGES) -> None:
        self._handle = context.turns
        settings = context.settings
        self._max_upload = settings.max_upload_bytes
        self._languages = languages
        https = (settings.public_url or "").startswith("https:")
        self._sessions = Sessions(context.secrets.key("web-csrf"), languages, secure=https)
        self._render = Renderer(
            languages,
            settings.quick_exit_url,
            settings.onion_address,
            settings.max_upload_bytes,
            context.evidence_types,
        )
        default = settings.default_locale
        # Browsers send a handful of distinct Accept-Language headers: remember the answers.
        self._negotiate = lru_cache(maxsize=512)(lambda header: negotiate(header, default))
        self._resources: set[web.AbstractResource | None] = set()
        folder = resources.files("bot.channels.web") / "static"
        self._static = {name: (folder / name).read_bytes() for name in _STATIC}

    def mount(self, web_app: web.Application) -> None:
        web_app.middlewares.append(headers_middleware())
        web_app.middlewares.append(errors_middleware(self._error_page, self._owns))
        routes = (
            web_app.router.add_get("/", self.page),
            web_app.router.add_post("/", self.form_post),
            web_app.router.add_post("/api/turn", self.api_turn),
            web_app.router.add_get("/static/{name}", self.static),
            web_app.router.add_get("/favicon.ico", self.no_icon),
        )
        self._resources = {route.resource for route in routes}

    async def start(self) -> None:
        """Nothing to start: the server delivers requests."""

    async def stop(self) -> None:
        """Nothing to stop: the server's shutdown waits for requests in flight."""

    # -- handlers ----------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        visitor = self._sessions.visitor(request)
        inbound = Inbound(CHANNEL, visitor.token, None, None, visitor.locale_hint)
        outbound = await self._handle(inbound)
        lang = self._lang(visitor)
        token = new_token() if outbound.ended else visitor.token
        view = View(
            lang=lang,
            messages=self._bot_lines(outbound),
            question=question_of(outbound.replies),
            csrf=self._sessions.csrf_for(token),
            message_id=_client_id(),
            ended=outbound.ended,
            earlier_hidden=not visitor.fresh,
        )
        return self._html(request, visitor, view, token, None)

    async def form_post(self, request: web.Request) -> web.Response:
        visitor, sent = await self._read(request)
        outbound, restarted, lang = await self._turn(visitor, sent)
        token = new_token() if outbound.ended else visitor.token
        mine = () if restarted or sent.said is None else (Said(sent.said, mine=True),)
        view = View(
            lang=lang,
            messages=(*mine, *self._bot_lines(outbound)),
            question=question_of(outbound.replies),
            csrf=self._sessions.csrf_for(token),
            message_id=_client_id(),
            ended=outbound.ended,
            kept_text=sent.typed if restarted else "",
            notes=(translator(lang).gettext(EXPIRED_NOTE),) if restarted else (),
            earlier_hidden=True,
        )
        return self._html(request, visitor, view, token, sent.locale)

    async def api_turn(self, request: web.Request) -> web.Response:
        visitor, sent = await self._read(request)
        outbound, restarted, lang = await self._turn(visitor, sent)
        token = new_token() if outbound.ended else visitor.token
        csrf = self._sessions.csrf_for(token) if outbound.ended else str(sent.csrf)
        body = self._render.turn_json(outbound, lang, csrf, restarted)
        response = web.Response(body=body, content_type="application/json")
        self._sessions.remember(request, response, visitor, token, sent.locale)
        return response

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self._static:
            raise web.HTTPNotFound()
        return web.Response(body=self._static[name], content_type=_STATIC[name], charset="utf-8")

    async def no_icon(self, request: web.Request) -> web.Response:
        """No icon: nothing that would sit in a shared browser's history or bookmarks."""
        return web.Response(status=204)

    # -- one turn ----------------------------------------------------------------

    async def _read(self, request: web.Request) -> tuple[Visitor, Submission]:
        """Who sent the answer, and the answer; 403 when its CSRF token is not this chat's."""
        visitor = self._sessions.visitor(request)
        sent = await read_submission(request, self._max_upload)
        if not self._sessions.csrf_ok(visitor.token, sent.csrf):
            raise web.HTTPForbidden()
        return visitor, sent

    async def _turn(self, visitor: Visitor, sent: Submission) -> tuple[Outbound, bool, str]:
        """Take the answer; returns the replies, whether the core started afresh, the language.

        A language picked on the page is the engine's own `language` command and the
        choice, as two messages; on a fresh conversation the pick is simply its language.
        """
        handle = self._handle
        token = visitor.token
        if sent.locale is not None and sent.locale in self._languages:
            mid = sent.message_id
            command = Inbound(CHANNEL, token, f"{mid}.language", "/language", sent.locale)
            outbound = await handle(command)
            if not outbound.started:
                choice = Inbound(CHANNEL, token, f"{mid}.choice", sent.locale, sent.locale)
                outbound = await handle(choice)
            return outbound, False, sent.locale
        hint = visitor.locale_hint
        if sent.files and sent.pressed == FILES_DONE:
            # Files and "Done" in one go: the files first, then the button, as two messages.
            files = Inbound(CHANNEL, token, f"{sent.message_id}.files", "", hint, sent.files)
            await handle(files)
            sent = replace(sent, files=())
        inbound = Inbound(CHANNEL, token, sent.message_id, sent.text, hint, sent.files)
        outbound = await handle(inbound)
        restarted = sent.text is not None and outbound.started
        return outbound, restarted, self._lang(visitor)

    def _lang(self, visitor: Visitor) -> str:
        if visitor.chosen_locale is not None:
            return visitor.chosen_locale
        return self._negotiate(visitor.accept_language)

    # -- responses ---------------------------------------------------------------

    @staticmethod
    def _bot_lines(outbound: Outbound) -> tuple[Said, ...]:
        return tuple(Said(r.text, mine=False, direction=r.direction) for r in outbound.replies)

    def _html(
        self, request: web.Request, visitor: Visitor, view: View, token: str, locale: str | None
    ) -> web.Response:
        response = web.Response(text=self._render.page(view), content_type="text/html")
        self._sessions.remember(request, response, visitor, token, locale)
        return response

    def _owns(self, request: web.Request) -> bool:
        """The web chat's own routes, and any address no channel serves (404, 405)."""
        match = request.match_info
        return match.http_exception is not None or match.route.resource in self._resources

    def _error_page(self, request: web.Request, status: int) -> web.Response:
        lang = self._lang(self._sessions.visitor(request))
        limit = str(max(1, self._max_upload // 2**20))
        message = translator(lang).gettext(MESSAGES[status]).replace("{limit}", limit)
        wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        )
        if wants_json:
            return web.json_response({"error": CODES[status], "message": message}, status=status)
        body = self._render.error(lang, status, message)
        return web.Response(text=body, status=status, content_type="text/html")


def _client_id() -> str:
    """The id a plain form carries, so sending the same form twice is one message."""
    return secrets.token_urlsafe(12)
