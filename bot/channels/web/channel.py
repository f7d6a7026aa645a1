"""The web chat channel: a page that works with and without JavaScript, over the core service.

Routes (all on the one aiohttp application of `tipline run`):

    GET  /            the chat page: opens the conversation or asks the current question again
    POST /            a plain form post (no JavaScript): one answer, the page re-rendered
    POST /api/turn    the page's script (and the benchmark): one answer, JSON back
    GET  /about       who runs this service
    GET  /privacy     what is kept, for how long, and who reads it
    GET  /static/...  the page's own stylesheet and script; nothing from anywhere else

The adapter is thin: a request becomes `Inbound(channel="web", chat=<cookie
token>, message_id=<client id + content digest>, text, locale_hint)` and the
`Outbound` is rendered. The conversation lives only in the core's draft. The
page shows the latest exchange (the reporter's last answer and the bot's
replies to it); earlier messages are never kept anywhere to be shown again, so
a browser on a shared device holds as little of the report as possible. With
JavaScript the exchange builds up on the screen while the tab stays open.

"Delete my answers" and "Start again" (and those words typed) are asked about
on the page first; only a confirmed one is sent to the engine.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import orjson
from aiohttp import web

from bot.channels import ChannelContext
from bot.channels.web.forms import Submission, read_submission
from bot.channels.web.render import EXPIRED_NOTE, Operator, Renderer, View
from bot.channels.web.security import CODES, MESSAGES, errors_middleware, headers_middleware
from bot.channels.web.session import Sessions, Visitor
from bot.channels.web.shapes import DELETING, Said, bubbles, command_in, question_of
from bot.messages import FILES_DONE, Inbound, Outbound, with_controls
from locales import LANGUAGES, fill, negotiate, translator

CHANNEL = "web"
_STATIC = {"chat.css": "text/css", "chat.js": "text/javascript"}
_INFO_PAGES = ("about", "privacy")


@dataclass(frozen=True, slots=True)
class Taken:
    """What became of one submission."""

    outbound: Outbound
    lang: str
    restarted: bool = False  # the core had no conversation: it started afresh
    kept: bool = False  # the answer was not taken: what was typed goes back in the box
    confirming: str | None = None  # a deleting command, asked about and not yet sent


class WebChat:
    """The web chat, mounted on `tipline run`'s aiohttp application."""

    name = CHANNEL

    def __init__(self, context: ChannelContext, languages: Mapping[str, str] = LANGUAGES) -> None:
        # Buttons for the answers, and for the commands under "More options".
        self._handle = with_controls(context.turns, "buttons")
        settings = context.settings
        self._max_upload = settings.max_upload_bytes
        self._languages = languages
        https = urlsplit(settings.public_url or "").scheme.lower() == "https"
        self._sessions = Sessions(context.secrets.key("web-csrf"), languages, secure=https)
        operator = Operator(settings.operator_name, settings.draft_ttl, settings.ledger_ttl)
        self._render = Renderer(
            languages,
            quick_exit_url=settings.quick_exit_url,
            onion_address=settings.onion_address,
            max_upload_bytes=settings.max_upload_bytes,
            evidence_types=context.evidence_types,
            operator=operator,
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
        routes = [
            web_app.router.add_get("/", self.page),
            web_app.router.add_post("/", self.form_post),
            web_app.router.add_post("/api/turn", self.api_turn),
            web_app.router.add_get("/static/{name}", self.static),
            web_app.router.add_get("/favicon.ico", self.no_icon),
        ]
        routes += [web_app.router.add_get(f"/{name}", self.info) for name in _INFO_PAGES]
        self._resources = {route.resource for route in routes}

    async def start(self) -> None:
        """Nothing to start: the server delivers requests."""

    async def stop(self) -> None:
        """Nothing to stop: the server's shutdown waits for requests in flight."""

    # -- handlers ----------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        visitor = self._sessions.visitor(request)
        inbound = Inbound(CHANNEL, visitor.token, None, None, visitor.locale_hint)
        taken = Taken(await self._handle(inbound), self._lang(visitor))
        return self._html(request, visitor, taken, None, earlier_hidden=not visitor.fresh)

    async def form_post(self, request: web.Request) -> web.Response:
        visitor, sent = await self._read(request)
        taken = await self._turn(visitor, sent)
        return self._html(request, visitor, taken, sent, earlier_hidden=True)

    async def api_turn(self, request: web.Request) -> web.Response:
        visitor, sent = await self._read(request)
        taken = await self._turn(visitor, sent)
        outbound = taken.outbound
        token = self._sessions.new_token() if outbound.ended else visitor.token
        csrf = self._sessions.csrf_for(token)  # the token may be new: ended, or a first answer
        if taken.confirming is not None:
            body = orjson.dumps(
                {"confirm": taken.confirming, "csrf": csrf, "replies": [], "ended": False}
            )
        else:
            body = self._render.turn_json(outbound, taken.lang, csrf, taken.restarted, taken.kept)
        response = web.Response(body=body, content_type="application/json")
        self._sessions.remember(request, response, visitor, token, sent.locale)
        return response

    async def info(self, request: web.Request) -> web.Response:
        """The about page and the privacy notice, in the visitor's language."""
        visitor = self._sessions.visitor(request)
        name = request.path.strip("/")
        body = self._render.info(name, self._lang(visitor))
        return web.Response(text=body, content_type="text/html")

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

    async def _turn(self, visitor: Visitor, sent: Submission) -> Taken:
        """Take the answer: a language picked, a deleting command asked about, or an answer.

        A language picked on the page is the engine's own `language` command and the
        choice, as two messages; on a fresh conversation the pick is simply its language.
        """
        handle = self._handle
        token, mid = visitor.token, sent.message_id
        if sent.locale is not None and sent.locale in self._languages:
            command = Inbound(CHANNEL, token, f"{mid}.language", "/language", sent.locale)
            outbound = await handle(command)
            if not outbound.started:
                choice = Inbound(CHANNEL, token, f"{mid}.choice", sent.locale, sent.locale)
                outbound = await handle(choice)
            return Taken(outbound, sent.locale)
        hint, lang = visitor.locale_hint, self._lang(visitor)
        typed = command_in(sent.text, translator(lang))
        deleting = sent.ask or (typed if typed in DELETING and not sent.sure else None)
        if deleting in DELETING:
            # Nothing is sent: the current question again, under the question "are you sure?".
            outbound = await handle(Inbound(CHANNEL, token, None, None, hint))
            return Taken(outbound, lang, confirming=None if outbound.started else deleting)
        if sent.files and sent.pressed == FILES_DONE:
            # Files and "Done" in one go: the files first, then the button, as two messages.
            await handle(Inbound(CHANNEL, token, f"{mid}.files", "", hint, sent.files))
            sent = replace(sent, files=())
        outbound = await handle(Inbound(CHANNEL, token, mid, sent.text, hint, sent.files))
        if typed in DELETING and sent.sure and not outbound.started and not outbound.ended:
            # The page asked "are you sure?" and the reporter said yes; the engine asks too,
            # for the channels without a page of their own: its question is answered here.
            outbound = await handle(Inbound(CHANNEL, token, f"{mid}.sure", "yes", hint))
        restarted = sent.text is not None and outbound.started
        asked = question_of(outbound.replies)
        again = asked is not None and f"{asked.step}:{asked.expects}" == sent.asked
        kept = restarted or (again and sent.pressed is None and bool(sent.typed) and not typed)
        return Taken(outbound, lang, restarted, kept)

    def _lang(self, visitor: Visitor) -> str:
        if visitor.chosen_locale is not None:
            return visitor.chosen_locale
        return self._negotiate(visitor.accept_language)

    # -- responses ---------------------------------------------------------------

    def _html(
        self,
        request: web.Request,
        visitor: Visitor,
        taken: Taken,
        sent: Submission | None,
        *,
        earlier_hidden: bool,
    ) -> web.Response:
        outbound, lang = taken.outbound, taken.lang
        tr = translator(lang)
        token = self._sessions.new_token() if outbound.ended else visitor.token
        said = None if sent is None or taken.restarted or taken.confirming else sent.said
        view = View(
            lang=lang,
            messages=(
                *((Said(said),) if said is not None else ()),
                *(() if taken.confirming else bubbles(outbound)),
            ),
            question=question_of(outbound.replies),
            csrf=self._sessions.csrf_for(token),
            message_id=_client_id(),
            ended=outbound.ended,
            kept_text=sent.typed if sent is not None and taken.kept else "",
            notes=(tr.gettext(EXPIRED_NOTE),) if taken.restarted else (),
            earlier_hidden=earlier_hidden,
            confirming=taken.confirming,
        )
        response = web.Response(text=self._render.page(view), content_type="text/html")
        self._sessions.remember(request, response, visitor, token, sent.locale if sent else None)
        return response

    def _owns(self, request: web.Request) -> bool:
        """The web chat's own routes, and any address no channel serves (404, 405)."""
        match = request.match_info
        return match.http_exception is not None or match.route.resource in self._resources

    def _error_page(
        self,
        request: web.Request,
        status: int,
        msgid: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> web.Response:
        lang = self._lang(self._sessions.visitor(request))
        msgid = msgid or MESSAGES[status]
        filled = params or {"limit": str(max(1, self._max_upload // 2**20))}
        message = fill(translator(lang).gettext(msgid), msgid, **filled)
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
