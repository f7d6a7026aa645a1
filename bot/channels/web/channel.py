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

A page or answer that shows the closing (reference and receipt) tells the
service so only once aiohttp has written it out in full (`ShownResponse`): a
server killed before that leaves the closing unseen, and the reporter's next
message brings it again, with a new receipt.
"""

from __future__ import annotations

import functools
import math
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import orjson
from aiohttp import web

from bot.channels import ChannelContext
from bot.channels.web.forms import Submission, read_submission
from bot.channels.web.ratelimit import RateLimiter
from bot.channels.web.render import EXPIRED_NOTE, Operator, Renderer, View
from bot.channels.web.security import CODES, MESSAGES, errors_middleware, headers_middleware
from bot.channels.web.session import Sessions, Visitor
from bot.channels.web.shapes import DELETING, Said, bubbles, command_in, question_of
from bot.messages import FILES_DONE, Inbound, Outbound, with_controls
from locales import LANGUAGES, N_, fill, negotiate, translator

CHANNEL = "web"
_STATIC = {"chat.css": "text/css", "chat.js": "text/javascript"}
_INFO_PAGES = ("about", "privacy")
SLOW_DOWN = N_(
    "Please slow down. Your answer was not sent yet. "
    "Wait a few seconds, then send it again. What you typed is still in the box."
)


@dataclass(frozen=True, slots=True)
class Taken:
    """What became of one submission."""

    outbound: Outbound
    lang: str
    restarted: bool = False  # the core had no conversation: it started afresh
    kept: bool = False  # the answer was not taken: what was typed goes back in the box
    confirming: str | None = None  # a deleting command, asked about and not yet sent
    refused: str | None = None  # the server is full: why nothing was taken, in words


class WebChat:
    """The web chat, mounted on `tipline run`'s aiohttp application."""

    name = CHANNEL

    def __init__(
        self,
        context: ChannelContext,
        languages: Mapping[str, str] = LANGUAGES,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Buttons for the answers, and for the commands under "More options".
        self._handle = with_controls(context.turns, "buttons")
        settings = context.settings
        self._limiter = RateLimiter(
            settings.web_answers_per_second, settings.web_answer_burst, clock=clock
        )
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

    def _shown(
        self, request: web.Request, visitor: Visitor, taken: Taken
    ) -> Callable[[], Awaitable[None]] | None:
        """What to tell the service once the response is written: that its replies were shown
        (None for a HEAD request, which sends no body, or a page asking "are you sure?")."""
        if request.method == "HEAD" or taken.confirming is not None:
            return None
        return functools.partial(self._handle.delivered, CHANNEL, visitor.token, taken.outbound)

    async def form_post(self, request: web.Request) -> web.Response:
        visitor, sent = await self._read(request)
        wait = self._limiter.wait(visitor.token)
        taken = await self._turn(visitor, sent) if not wait else None
        if taken is None or taken.refused is not None:
            # Nothing was taken: the same question again, with what was typed put back.
            lang = self._lang(visitor)
            hint = visitor.locale_hint
            look = await self._handle(Inbound(CHANNEL, visitor.token, None, None, hint))
            note = self._slow_down(visitor) if taken is None else taken.refused
            again = Taken(look, lang, kept=True)
            response = self._html(request, visitor, again, sent, earlier_hidden=True, note=note)
            return _refusal(response, wait)
        return self._html(request, visitor, taken, sent, earlier_hidden=True)

    async def api_turn(self, request: web.Request) -> web.Response:
        visitor, sent = await self._read(request)
        wait = self._limiter.wait(visitor.token)
        taken = await self._turn(visitor, sent) if not wait else None
        if taken is None or taken.refused is not None:
            # The page's script keeps what was typed in the box, and the message id with it.
            if taken is None:
                refusal = {"error": "slow_down", "message": self._slow_down(visitor)}
            else:
                refusal = {"error": "busy", "message": taken.refused or ""}
            return _refusal(web.json_response(refusal), wait)
        outbound = taken.outbound
        token = self._sessions.new_token() if outbound.ended else visitor.token
        csrf = self._sessions.csrf_for(token)  # the token may be new: ended, or a first answer
        if taken.confirming is not None:
            body = orjson.dumps(
                {"confirm": taken.confirming, "csrf": csrf, "replies": [], "ended": False}
            )
        else:
            body = self._render.turn_json(outbound, taken.lang, csrf, taken.restarted, taken.kept)
        response = ShownResponse(body=body, content_type="application/json")
        response.on_written = self._shown(request, visitor, taken)
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
            if outbound.refused:
                return Taken(outbound, sent.locale, refused=outbound.replies[0].text)
            if not outbound.started and not outbound.ended:  # ended: a closing shown again
                choice = Inbound(CHANNEL, token, f"{mid}.choice", sent.locale, sent.locale)
                outbound = await handle(choice)
            return Taken(outbound, sent.locale)
        hint, lang = visitor.locale_hint, self._lang(visitor)
        typed = command_in(sent.text, translator(lang))
        deleting = sent.ask or (typed if typed in DELETING and not sent.sure else None)
        if deleting in DELETING:
            # Nothing is sent: the current question again, under the question "are you sure?".
            outbound = await handle(Inbound(CHANNEL, token, None, None, hint))
            asking = not outbound.started and not outbound.ended  # a closing is shown, not asked
            return Taken(outbound, lang, confirming=deleting if asking else None)
        if sent.files and sent.pressed == FILES_DONE:
            # Files and "Done" in one go: the files first, then the button, as two messages.
            await handle(Inbound(CHANNEL, token, f"{mid}.files", "", hint, sent.files))
            sent = replace(sent, files=())
        outbound = await handle(Inbound(CHANNEL, token, mid, sent.text, hint, sent.files))
        opening = question_of(outbound.replies)
        shown = None if opening is None else f"{opening.step}:{opening.expects}"
        if outbound.started and shown is not None and sent.asked in {None, shown}:
            # The page showed the opening question without storing anything (no draft
            # until the first answer): this answers it, so it is taken now. (A client that
            # does not say which question it answers is taken to answer the opening one.)
            outbound = await handle(Inbound(CHANNEL, token, f"{mid}.first", sent.text, hint))
        if outbound.refused:
            return Taken(outbound, lang, refused=outbound.replies[0].text)
        if typed in DELETING and sent.sure and not outbound.started and not outbound.ended:
            # The page asked "are you sure?" and the reporter said yes; the engine asks too,
            # for the channels without a page of their own: its question is answered here.
            outbound = await handle(Inbound(CHANNEL, token, f"{mid}.sure", "yes", hint))
        restarted = sent.text is not None and outbound.started
        asked = question_of(outbound.replies)
        again = asked is not None and f"{asked.step}:{asked.expects}" == sent.asked
        kept = restarted or (again and sent.pressed is None and bool(sent.typed) and not typed)
        return Taken(outbound, lang, restarted, kept)

    def _slow_down(self, visitor: Visitor) -> str:
        return translator(self._lang(visitor)).gettext(SLOW_DOWN)

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
        note: str | None = None,
    ) -> web.Response:
        outbound, lang = taken.outbound, taken.lang
        tr = translator(lang)
        token = self._sessions.new_token() if outbound.ended else visitor.token
        said = None if sent is None or taken.restarted or taken.confirming or note else sent.said
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
            notes=(note,) if note else (tr.gettext(EXPIRED_NOTE),) if taken.restarted else (),
            earlier_hidden=earlier_hidden,
            confirming=taken.confirming,
        )
        response = ShownResponse(text=self._render.page(view), content_type="text/html")
        response.on_written = self._shown(request, visitor, taken)
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


def _refusal(response: web.Response, wait: float) -> web.Response:
    """429 (this session is sending too fast) or 503 (the server is full): nothing taken."""
    response.set_status(429 if wait else 503)
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)) if wait else 60)
    return response


class ShownResponse(web.Response):
    """A response that calls `on_written` once aiohttp has written it out in full.

    aiohttp writes a handler's response after every middleware has set its headers,
    so the handler itself cannot wait for that; a failed write (the browser gone)
    raises before `on_written` runs. Written is not read, but it is as close as a
    server can know without asking the reporter to press something.
    """

    on_written: Callable[[], Awaitable[None]] | None = None

    async def write_eof(self, data: bytes = b"") -> None:
        await super().write_eof(data)
        done, self.on_written = self.on_written, None
        if done is not None:
            await done()


def _client_id() -> str:
    """The id a plain form carries, so sending the same form twice is one message."""
    return secrets.token_urlsafe(12)
