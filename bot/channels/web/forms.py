"""Read one answer from a request: a plain form post, the page script's post, or JSON.

Sizes are checked while reading, so an oversized upload is refused (413) before
it is held in memory, and a malformed body is refused (400) before any turn is
taken: the draft is never touched by a request that fails here. Whatever a body
can be made to raise while it is parsed (bytes that are not UTF-8, a charset
nobody knows, a part header the multipart parser rejects, JSON nested too
deep) is a 400, never a 500.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import orjson
from aiohttp import BodyPartReader, web
from aiohttp.http import HttpProcessingError

from bot.messages import MAX_ANSWER, TOO_LONG, Attachment

_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_FIELD_LIMIT = 64 * 1024  # a text field; the engine itself stops at 4,000 characters
_MAX_PARTS = 64
_MAX_FILES = 10
_CHUNK = 64 * 1024
# Not UTF-8 (ValueError), an unknown charset (LookupError), a part header the
# multipart parser refuses (HttpProcessingError), a body cut short (AssertionError).
_MALFORMED = (ValueError, LookupError, HttpProcessingError, AssertionError)


class AnswerTooLong(web.HTTPRequestEntityTooLarge):
    """Text over what a form may carry: refused with the answer's own limit, not the
    upload limit (the engine refuses anything over it too)."""

    msgid = TOO_LONG

    def __init__(self, actual_size: int) -> None:
        super().__init__(max_size=_FIELD_LIMIT, actual_size=actual_size)
        self.params = {"max": str(MAX_ANSWER)}


@dataclass(frozen=True, slots=True)
class Submission:
    """One answer as the reporter gave it."""

    message_id: str  # the client's id, with a digest of the content (see `_identify`)
    csrf: str | None
    text: str | None  # what goes to the core: a pressed option's id, the choices, or typing
    typed: str  # what was in the text box, given back if the answer could not be taken
    said: str | None  # what the page shows as the reporter's message
    locale: str | None  # the language picker
    files: tuple[Attachment, ...] = ()
    pressed: str | None = None  # the option button pressed, if any
    ask: str | None = None  # "cancel" or "restart" pressed in the menu: ask first, send nothing
    sure: bool = False  # the reporter confirmed a command that deletes answers
    asked: str | None = None  # "step:kind" of the question the page showed


async def read_submission(request: web.Request, max_upload_bytes: int) -> Submission:
    """The request's answer; raises 413 when it is too large, 400 when it is malformed."""
    length = request.content_length
    if length is not None and length > max_upload_bytes + _FIELD_LIMIT:
        raise web.HTTPRequestEntityTooLarge(max_size=max_upload_bytes, actual_size=length)
    if request.content_type == "application/json":
        fields, files = await _read_json(request)
    elif request.content_type == "multipart/form-data":
        fields, files = await _read_multipart(request, max_upload_bytes)
    elif request.content_type == "application/x-www-form-urlencoded":
        if length is None or length > _FIELD_LIMIT:
            raise AnswerTooLong(length or 0)
        try:
            posted = await request.post()
        except _MALFORMED as exc:
            raise web.HTTPBadRequest() from exc
        fields = {key: [str(v) for v in posted.getall(key)] for key in set(posted.keys())}
        files = []
    else:
        raise web.HTTPUnsupportedMediaType()
    return _submission(fields, files, request.headers.get("X-CSRF-Token"))


def _submission(
    fields: dict[str, list[str]], files: list[Attachment], csrf_header: str | None
) -> Submission:
    def one(name: str) -> str | None:
        values = fields.get(name)
        return values[-1] if values else None

    client_id = one("mid") or ""
    if _MESSAGE_ID.fullmatch(client_id) is None:
        raise web.HTTPBadRequest()
    typed = one("text")  # None only from JSON without "text": (re)open the conversation
    pick = one("pick")
    choices = fields.get("choice", [])
    said = one("said")
    if pick:
        text: str | None = pick
        said = said or _label(one("labels"), pick)
    elif choices:
        text = ", ".join(choices)
        said = said or ", ".join(_label(one("labels"), c) for c in choices)
    else:
        text = typed
        said = said if said is not None else typed
    typed = typed or ""
    locale = one("locale")
    return Submission(
        message_id=_identify(client_id, text, locale, files),
        csrf=csrf_header or one("csrf"),
        text=text,
        typed=typed,
        said=said or None,
        locale=locale,
        files=tuple(files),
        pressed=pick or None,
        ask=one("ask") or None,
        sure=one("sure") == "1",
        asked=one("asked") or None,
    )


def _identify(client_id: str, text: str | None, locale: str | None, files: list[Attachment]) -> str:
    """The message id for the core's ledger: the client's id plus a digest of the content.

    Sending the same form again (a refresh, a retry) is the same message and gets
    the stored reply; a different answer from the same page is a new message.
    """
    digest = hashlib.sha256(f"{text}\0{locale}".encode())
    for attachment in files:
        digest.update(hashlib.sha256(attachment.data).digest())
    return f"{client_id}.{digest.hexdigest()[:16]}"


def _label(labels: str | None, option_id: str) -> str:
    """An option's label from the page's own list, for showing the reporter's choice."""
    if labels is None or len(labels) > _FIELD_LIMIT:
        return option_id
    try:
        found = orjson.loads(labels).get(option_id)  # nesting is capped: a ValueError
    except (ValueError, AttributeError):
        found = None
    return found if isinstance(found, str) else option_id


async def _read_json(request: web.Request) -> tuple[dict[str, list[str]], list[Attachment]]:
    if request.content_length is None or request.content_length > _FIELD_LIMIT:
        raise AnswerTooLong(request.content_length or 0)
    try:
        body = orjson.loads(await request.read())
    except _MALFORMED as exc:
        raise web.HTTPBadRequest() from exc
    if not isinstance(body, dict):
        raise web.HTTPBadRequest()
    fields: dict[str, list[str]] = {}
    for key in ("mid", "text", "pick", "locale", "said", "ask", "sure", "asked"):
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise web.HTTPBadRequest()
        fields[key] = [value]
    choices = body.get("choice")
    if choices is not None:
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise web.HTTPBadRequest()
        fields["choice"] = choices
    return fields, []


async def _read_multipart(
    request: web.Request, max_upload_bytes: int
) -> tuple[dict[str, list[str]], list[Attachment]]:
    try:
        reader = await request.multipart()
    except _MALFORMED as exc:
        raise web.HTTPBadRequest() from exc
    fields: dict[str, list[str]] = {}
    files: list[Attachment] = []
    uploaded = 0
    for _ in range(_MAX_PARTS):
        try:
            part = await reader.next()
        except _MALFORMED as exc:
            raise web.HTTPBadRequest() from exc
        if part is None:
            return fields, files
        if not isinstance(part, BodyPartReader) or not part.name:
            raise web.HTTPBadRequest()
        if part.filename is None:
            data = await _read_part(part, _FIELD_LIMIT, _FIELD_LIMIT, text=True)
            fields.setdefault(part.name, []).append(_decode(data))
            continue
        data = await _read_part(part, max_upload_bytes - uploaded, max_upload_bytes)
        if not data and not part.filename:
            continue  # the file box was left empty
        uploaded += len(data)
        if len(files) == _MAX_FILES:
            raise web.HTTPRequestEntityTooLarge(max_size=max_upload_bytes, actual_size=uploaded)
        media_type = part.headers.get("Content-Type", "application/octet-stream")
        files.append(Attachment(media_type, data, part.filename or None))
    raise web.HTTPBadRequest()


async def _read_part(part: BodyPartReader, room: int, limit: int, *, text: bool = False) -> bytes:
    chunks = bytearray()
    while True:
        try:
            chunk = await part.read_chunk(_CHUNK)
        except _MALFORMED as exc:
            raise web.HTTPBadRequest() from exc
        if not chunk:
            return bytes(chunks)
        chunks += chunk
        if len(chunks) > room:
            if text:
                raise AnswerTooLong(len(chunks))
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=len(chunks))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise web.HTTPBadRequest() from exc
