"""A fake Telegram Bot API: a real aiohttp server on 127.0.0.1 that the real PTB talks to.

It implements only the methods Tipline's bot uses, strictly: a missing or
malformed parameter, an unknown one, a message that does not exist, an edit
that changes nothing, button data over 64 bytes... each fails with HTTP 400 and
a Telegram-style description, as the real API would (for unknown parameters the
fake is stricter than Telegram, which ignores them). Point PTB at it with
`base_url=fake.url + "/bot"` and `base_file_url=fake.url + "/file/bot"`.

The test plays the reporters (`fake.user(chat_id)`): their messages and button
presses become updates, served by `getUpdates` (long polling with offset and
timeout) or POSTed to the webhook with its secret token, one at a time, in
order. Tests never sleep: `await fake.wait_for(predicate)` wakes on every call.

A test can make any method misbehave on demand (`Fault`): fail with an error in
Telegram's JSON shape (`fail`, e.g. 500, or 429 with `parameters.retry_after`),
hold its answer past the client's timeout (`stall`), or answer nonsense with
HTTP 200 (`garble`), for the next call or `times=None` until `heal`. With
`long_poll = False` getUpdates answers at once (usually `[]`), whatever timeout
was asked, as some Bot API emulators do.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
from aiohttp import web

TOKEN = "123456:TEST-fake-token-for-tipline"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Tipline", "username": "tipline_test_bot"}
MAX_FILE = 20 * 1024 * 1024
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_ACTIONS = {"typing", "upload_photo", "upload_document", "upload_video", "record_voice"}
_UPDATE_KINDS = {"message", "edited_message", "callback_query", "my_chat_member", "channel_post"}


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# -- parameters: what each method takes, and how a value must look ------------------


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _bad(f'field "{name}" must be an integer')
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    raise _bad(f'field "{name}" must be an integer')


def _str(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _bad(f'field "{name}" must be a string')


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    raise _bad(f'field "{name}" must be a boolean')


def _json(name: str, value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {name} JSON object") from None
    return value


Kind = Callable[[str, Any], Any]
# method → {parameter: (kind, required)}
SPECS: dict[str, dict[str, tuple[Kind, bool]]] = {
    "getMe": {},
    "getUpdates": {
        "offset": (_int, False),
        "limit": (_int, False),
        "timeout": (_int, False),
        "allowed_updates": (_json, False),
    },
    "setWebhook": {
        "url": (_str, True),
        "secret_token": (_str, False),
        "allowed_updates": (_json, False),
        "max_connections": (_int, False),
        "drop_pending_updates": (_bool, False),
    },
    "deleteWebhook": {"drop_pending_updates": (_bool, False)},
    "sendMessage": {
        "chat_id": (_int, True),
        "text": (_str, True),
        "reply_markup": (_json, False),
        "protect_content": (_bool, False),
    },
    "editMessageText": {
        "chat_id": (_int, True),
        "message_id": (_int, True),
        "text": (_str, True),
        "reply_markup": (_json, False),
    },
    "editMessageReplyMarkup": {
        "chat_id": (_int, True),
        "message_id": (_int, True),
        "reply_markup": (_json, False),
    },
    "deleteMessage": {"chat_id": (_int, True), "message_id": (_int, True)},
    "deleteMessages": {"chat_id": (_int, True), "message_ids": (_json, True)},
    "answerCallbackQuery": {
        "callback_query_id": (_str, True),
        "text": (_str, False),
        "show_alert": (_bool, False),
    },
    "setMyCommands": {
        "commands": (_json, True),
        "language_code": (_str, False),
        "scope": (_json, False),
    },
    "getFile": {"file_id": (_str, True)},
    "sendChatAction": {"chat_id": (_int, True), "action": (_str, True)},
    "leaveChat": {"chat_id": (_int, True)},
}


@dataclass(frozen=True)
class Fault:
    """How one call misbehaves: hold the answer `delay` s, then fail with `error`, or answer
    `body` (HTTP 200, as is) instead of the real result."""

    error: ApiError | None = None
    delay: float = 0.0
    body: bytes | None = None


@dataclass
class Sent:
    """A message in a chat, as the fake keeps it."""

    message_id: int
    from_bot: bool
    text: str | None
    reply_markup: dict[str, Any] | None = None
    protected: bool = False
    deleted: bool = False
    edits: int = 0


@dataclass
class Chat:
    id: int
    type: str = "private"
    language_code: str | None = "en"
    messages: dict[int, Sent] = field(default_factory=dict)
    next_id: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    blocked: bool = False
    left: bool = False

    def json(self) -> dict[str, Any]:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": "Alex"}
        return {"id": self.id, "type": self.type, "title": "Some group"}

    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": abs(self.id), "is_bot": False, "first_name": "Alex"}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def live(self) -> list[Sent]:
        return [m for m in self.messages.values() if not m.deleted]

    @property
    def bot_messages(self) -> list[Sent]:
        return [m for m in self.live if m.from_bot]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool
    description: str = ""


class FakeTelegram:
    """The fake Bot API server and the reporters' side of the chats."""

    def __init__(self, token: str = TOKEN, *, record: bool = True) -> None:
        self.token = token
        self.record = record
        self.url = ""
        self.chats: dict[int, Chat] = {}
        self.calls: list[Call] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.webhook: dict[str, Any] | None = None
        self.files: dict[str, tuple[str, bytes]] = {}
        self.failures: dict[str, deque[Fault]] = {}
        self.broken: dict[str, Fault] = {}  # every call fails, until `heal`
        self.long_poll = True
        self.listeners: list[Callable[[str, dict[str, Any], Any], None]] = []
        self._updates: list[dict[str, Any]] = []
        self.delivered_ids: list[int] = []
        self._update_ids = itertools.count(1000)
        self._queries: dict[str, bool] = {}  # id → answered
        self._changed = asyncio.Condition()
        self._deliveries: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._deliverer: asyncio.Task[None] | None = None
        self._closing = False

    # -- server ----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._session = aiohttp.ClientSession()
        self._deliverer = asyncio.create_task(self._deliver_forever())

    async def close(self) -> None:
        self._closing = True
        await self._notify()
        if self._deliverer is not None:
            self._deliverer.cancel()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        spec = SPECS.get(method)
        if spec is None:
            return _error(ApiError(404, "Not Found"))
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body = orjson.loads(await request.read())
                if not isinstance(body, dict):
                    return _error(_bad("request body must be a JSON object"))
                raw.update(body)
            else:
                raw.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        try:
            params = _parse(spec, raw)
            injected = self.failures.get(method)
            fault = injected.popleft() if injected else self.broken.get(method)
            if fault is not None:
                await asyncio.sleep(fault.delay)
                if fault.error is not None:
                    raise fault.error
                if fault.body is not None:
                    if self.record:
                        self.calls.append(Call(method, raw, False, "garbled"))
                    await self._notify()
                    return web.Response(body=fault.body, content_type=_JSON)
            result = await getattr(self, f"_m_{method}")(params)
        except ApiError as exc:
            if self.record:
                self.calls.append(Call(method, raw, False, exc.description))
            await self._notify()
            return _error(exc)
        if self.record:
            self.calls.append(Call(method, params, True))
        for listener in self.listeners:
            listener(method, params, result)
        await self._notify()
        return _ok(result)

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for path, data in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=data)
        return web.Response(status=404)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], limit: float = 15.0) -> None:
        """Wait (on the fake's own events, never a sleep) until `predicate()` holds;
        TimeoutError after `limit` seconds, so a broken test fails instead of hanging."""
        async with asyncio.timeout(limit), self._changed:
            await self._changed.wait_for(predicate)

    def fail(
        self,
        method: str,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        times: int | None = 1,
    ) -> None:
        """The next `times` calls of `method` (None: every call, until `heal`) fail like this,
        e.g. 429 with retry_after, or 500."""
        self._inject(method, Fault(error=ApiError(code, description, retry_after)), times)

    def stall(self, method: str, seconds: float, *, times: int | None = 1) -> None:
        """The next `times` calls of `method` are held `seconds` before being answered (a
        client whose timeout is shorter gives up first)."""
        self._inject(method, Fault(delay=seconds), times)

    def garble(
        self, method: str, body: bytes = b"<html>not json", *, times: int | None = 1
    ) -> None:
        """The next `times` calls of `method` get `body` with HTTP 200: not JSON, or JSON of
        the wrong shape (e.g. `b'{"ok": true}'`, `b'{"ok": true, "result": "x"}'`)."""
        self._inject(method, Fault(body=body), times)

    def heal(self, method: str) -> None:
        """`method` works again."""
        self.failures.pop(method, None)
        self.broken.pop(method, None)

    def _inject(self, method: str, fault: Fault, times: int | None) -> None:
        assert method in SPECS, f"the fake has no method {method}"
        if times is None:
            self.broken[method] = fault
        else:
            self.failures.setdefault(method, deque()).extend([fault] * times)

    def count(self, method: str) -> int:
        """How many calls of `method` the fake has answered (failed ones included)."""
        return sum(1 for c in self.calls if c.method == method)

    # -- the methods ---------------------------------------------------------------------

    async def _m_getMe(self, p: dict[str, Any]) -> Any:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False}

    async def _m_getUpdates(self, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get("offset")
        if offset is not None:  # updates before the offset are confirmed: gone for good
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            await self._notify()
        limit = p.get("limit", 100)
        timeout = p.get("timeout", 0) if self.long_poll else 0
        if not self._updates and timeout > 0:
            try:
                await self.wait_for(lambda: bool(self._updates) or self._closing, limit=timeout)
            except TimeoutError:
                return []
        return self._updates[:limit]

    async def _m_setWebhook(self, p: dict[str, Any]) -> Any:
        url = p["url"]
        if url == "":
            self.webhook = None
            return True
        if not url.startswith(("https://", "http://127.0.0.1")):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise _bad("secret token contains unallowed characters")
        allowed = p.get("allowed_updates", [])
        if not isinstance(allowed, list) or not set(allowed) <= _UPDATE_KINDS:
            raise _bad("can't parse allowed_updates")
        self.webhook = {"url": url, "secret_token": secret, "allowed_updates": allowed}
        return True

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_bot(p["chat_id"])
        text = p["text"]
        _check_text(text)
        markup = _check_markup(p.get("reply_markup"))
        sent = Sent(next(chat.next_id), True, text, markup, bool(p.get("protect_content")))
        chat.messages[sent.message_id] = sent
        return self._message_json(chat, sent)

    async def _m_editMessageText(self, p: dict[str, Any]) -> Any:
        chat, sent = self._bot_message(p, "edit")
        text, markup = p["text"], _check_markup(p.get("reply_markup"))
        _check_text(text)
        if text == sent.text and markup == sent.reply_markup:
            raise _not_modified()
        sent.text, sent.reply_markup, sent.edits = text, markup, sent.edits + 1
        return self._message_json(chat, sent)

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        chat, sent = self._bot_message(p, "edit")
        markup = _check_markup(p.get("reply_markup"))
        if markup == sent.reply_markup:
            raise _not_modified()
        sent.reply_markup, sent.edits = markup, sent.edits + 1
        return self._message_json(chat, sent)

    async def _m_deleteMessage(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_bot(p["chat_id"], sending=False)
        sent = chat.messages.get(p["message_id"])
        if sent is None or sent.deleted:
            raise _bad("message to delete not found")
        sent.deleted = True
        return True

    async def _m_deleteMessages(self, p: dict[str, Any]) -> Any:
        chat = self._chat_for_bot(p["chat_id"], sending=False)
        ids = p["message_ids"]
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message_ids must be a list of 1-100 message identifiers")
        for mid in ids:
            sent = chat.messages.get(_int("message_ids", mid))
            if sent is not None:  # messages that can't be found are skipped
                sent.deleted = True
        return True

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        qid = p["callback_query_id"]
        if self._queries.get(qid) is not False:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(p.get("text") or "") > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self._queries[qid] = True
        return True

    async def _m_setMyCommands(self, p: dict[str, Any]) -> Any:
        commands = p["commands"]
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("commands must be a list of at most 100 commands")
        for command in commands:
            if not isinstance(command, dict) or set(command) != {"command", "description"}:
                raise _bad("can't parse BotCommand")
            if not _COMMAND.fullmatch(str(command["command"])):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command["description"])) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        language = p.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANG_CODE_INVALID")
        self.commands[language] = commands
        return True

    async def _m_getFile(self, p: dict[str, Any]) -> Any:
        found = self.files.get(p["file_id"])
        if found is None:
            raise _bad("invalid file_id")
        path, data = found
        if len(data) > MAX_FILE:
            raise _bad("file is too big")
        unique = f"u{p['file_id']}"
        return {
            "file_id": p["file_id"],
            "file_unique_id": unique,
            "file_size": len(data),
            "file_path": path,
        }

    async def _m_sendChatAction(self, p: dict[str, Any]) -> Any:
        self._chat_for_bot(p["chat_id"])
        if p["action"] not in _ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _m_leaveChat(self, p: dict[str, Any]) -> Any:
        chat = self.chats.get(p["chat_id"])
        if chat is None or chat.left:
            raise _bad("chat not found")
        if chat.type == "private":
            raise _bad("chat member status can't be changed in private chats")
        chat.left = True
        return True

    # -- checks shared by the methods --------------------------------------------

    def _chat_for_bot(self, chat_id: int, sending: bool = True) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise _bad("chat not found")
        if chat.left:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        if chat.blocked and sending:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _bot_message(self, p: dict[str, Any], what: str) -> tuple[Chat, Sent]:
        chat = self._chat_for_bot(p["chat_id"], sending=False)
        sent = chat.messages.get(p["message_id"])
        if sent is None or sent.deleted or not sent.from_bot:
            raise _bad(f"message to {what} not found")
        return chat, sent

    def _message_json(self, chat: Chat, sent: Sent) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": chat.json(),
            "from": BOT_USER if sent.from_bot else chat.user(),
        }
        if sent.text is not None:
            message["text"] = sent.text
        if sent.reply_markup is not None:
            message["reply_markup"] = sent.reply_markup
        if sent.protected:
            message["has_protected_content"] = True
        return message

    # -- the reporters' side ----------------------------------------------------------

    def user(self, chat_id: int, language_code: str | None = "en") -> FakeUser:
        chat = self.chats.setdefault(chat_id, Chat(chat_id, language_code=language_code))
        return FakeUser(self, chat)

    def group(self, chat_id: int, kind: str = "group") -> FakeUser:
        chat = self.chats.setdefault(chat_id, Chat(chat_id, type=kind))
        return FakeUser(self, chat)

    async def push(self, kind: str, payload: dict[str, Any], update_id: int | None = None) -> int:
        """Deliver one update (by getUpdates or the webhook); its update_id."""
        update = {"update_id": update_id or next(self._update_ids), kind: payload}
        self.delivered_ids.append(update["update_id"])
        if self.webhook is not None:
            self._deliveries.put_nowait(update)
        else:
            self._updates.append(update)
        await self._notify()
        return update["update_id"]

    async def _deliver_forever(self) -> None:
        assert self._session is not None
        while True:
            update = await self._deliveries.get()
            webhook = self.webhook
            if webhook is None:
                self._updates.append(update)
                continue
            headers = {"Content-Type": "application/json"}
            if webhook["secret_token"]:
                headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
            async with self._session.post(
                webhook["url"], data=json.dumps(update), headers=headers
            ) as response:
                await response.read()
            await self._notify()

    def describe(self, chat_id: int) -> str:
        """What went on in a chat and which calls failed: for a failing test's message."""
        chat = self.chats[chat_id]
        lines = [f"chat {chat_id}, newest messages:"]
        for m in list(chat.messages.values())[-6:]:
            who = "bot" if m.from_bot else "user"
            lines.append(f"  {m.message_id} {who}: {m.text!r} buttons={m.reply_markup is not None}")
        failed = [f"  {c.method}: {c.description}" for c in self.calls if not c.ok]
        return "\n".join([*lines, "failed calls:", *failed[-10:]])

    def answered_queries(self) -> list[str]:
        """Ids of the button presses the bot has answered."""
        return [qid for qid, done in self._queries.items() if done]

    def delivered(self) -> bool:
        """Every pushed update has been taken (by getUpdates or the webhook)."""
        return self._deliveries.empty() and not self._updates


class FakeUser:
    """A reporter (or a group) in one chat: what they send, and what they see."""

    def __init__(self, fake: FakeTelegram, chat: Chat) -> None:
        self.fake, self.chat = fake, chat

    def _message(self, **content: Any) -> dict[str, Any]:
        sent = Sent(next(self.chat.next_id), False, content.get("text"))
        self.chat.messages[sent.message_id] = sent
        return {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self.chat.json(),
            "from": self.chat.user(),
            **content,
        }

    def text_message(self, text: str) -> dict[str, Any]:
        """A new message from the reporter (not yet delivered)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._message(**content)

    async def send(self, text: str) -> dict[str, Any]:
        message = self.text_message(text)
        await self.fake.push("message", message)
        return message

    async def send_file(
        self, kind: str, data: bytes, *, mime: str | None = None, name: str | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        file_id = f"file-{len(self.fake.files) + 1}"
        self.fake.files[file_id] = (f"{kind}/{file_id}.bin", data)
        item: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
        item["file_size"] = len(data)
        content: dict[str, Any]
        if kind == "photo":
            content = {"photo": [{**item, "width": 8, "height": 8}]}
        elif kind == "voice":
            content = {"voice": {**item, "duration": 3, "mime_type": mime or "audio/ogg"}}
        elif kind in ("video", "animation"):
            item |= {"width": 8, "height": 8, "duration": 3, "mime_type": mime or "video/mp4"}
            content = {kind: item}
        elif kind == "audio":
            content = {"audio": {**item, "duration": 3, "mime_type": mime or "audio/mpeg"}}
        else:
            content = {kind: {**item, "mime_type": mime, "file_name": name}}
        if caption is not None:
            content["caption"] = caption
        message = self._message(**content)
        await self.fake.push("message", message)
        return message

    async def send_other(self, **content: Any) -> dict[str, Any]:
        """A sticker, location, contact...: `send_other(sticker={...})`."""
        message = self._message(**content)
        await self.fake.push("message", message)
        return message

    async def edit(self, message: dict[str, Any], text: str) -> None:
        await self.fake.push("edited_message", {**message, "text": text, "edit_date": 1})

    def callback_query(self, sent: Sent, data: str) -> dict[str, Any]:
        """A press of the button with `data` under the bot's message `sent` (not yet delivered)."""
        qid = f"q{len(self.fake._queries) + 1}-{self.chat.id}"
        self.fake._queries[qid] = False
        return {
            "id": qid,
            "from": self.chat.user(),
            "message": self.fake._message_json(self.chat, sent),
            "chat_instance": f"ci{self.chat.id}",
            "data": data,
        }

    async def press(self, sent: Sent, data: str) -> str:
        """Press the button with `data` under the bot's message `sent`; the query id."""
        query = self.callback_query(sent, data)
        await self.fake.push("callback_query", query)
        return str(query["id"])

    async def add_bot(self) -> None:
        """The bot is added to this group or channel."""
        member = {
            "chat": self.chat.json(),
            "from": {"id": 77, "is_bot": False, "first_name": "Admin"},
            "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": BOT_USER},
            "new_chat_member": {"status": "member", "user": BOT_USER},
        }
        await self.fake.push("my_chat_member", member)

    @property
    def bot_messages(self) -> list[Sent]:
        return self.chat.bot_messages

    @property
    def last(self) -> Sent:
        return self.chat.bot_messages[-1]


def _parse(spec: dict[str, tuple[Kind, bool]], raw: dict[str, Any]) -> dict[str, Any]:
    unknown = set(raw) - set(spec)
    if unknown:
        raise _bad(f"unexpected parameter {sorted(unknown)[0]}")
    params: dict[str, Any] = {}
    for name, (kind, required) in spec.items():
        if name not in raw:
            if required:
                raise _bad(f"{name} is empty" if name != "text" else "message text is empty")
            continue
        params[name] = kind(name, raw[name])
    return params


def _check_text(text: str) -> None:
    if not text.strip():
        raise _bad("message text is empty")
    if len(text.encode("utf-16-le")) // 2 > 4096:
        raise _bad("message is too long")


def _check_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad("can't parse inline keyboard markup")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise _bad("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                raise _bad("BUTTON_DATA_INVALID")
    return markup


def _not_modified() -> ApiError:
    return _bad(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


_JSON = "application/json"


def _ok(result: Any) -> web.Response:
    return web.Response(body=orjson.dumps({"ok": True, "result": result}), content_type=_JSON)


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.retry_after is not None:
        body["parameters"] = {"retry_after": exc.retry_after}
    return web.json_response(body, status=exc.code)
