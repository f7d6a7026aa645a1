"""`tipline review ui`: the reviewer's local web app, over the reviewer API, decrypting here.

It lists the reports sealed to this key (urgent first, with their next
deadline), opens one — decrypted in this process, never sent back — with its
evidence (photos shown, other files saved to a folder with safe names), its
notes, its thread with the reporter (questions asked here are sealed here to
the reporter's secret code) and the reports that may name the same officer, and
offers the status buttons, notes, holds and the referral PDF. Plaintext lives in this process's
memory and in what the reviewer chooses to save or export; the server only
ever sees the API calls. Its protections are in `security.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from handoff.cases import CASE_STATUSES, OUTCOMES, REFERRALS
from handoff.workstation.due import next_deadline
from handoff.workstation.export import pdf_bytes
from handoff.workstation.keyfile import ReviewerPrivateKey
from handoff.workstation.matching import MatchIndex
from handoff.workstation.notes import open_note, seal_note
from handoff.workstation.queue import OpenedReport, ReviewQueue, open_reference
from handoff.workstation.thread import ThreadEntry, ask_reporter, nudge_for, read_thread
from handoff.workstation.ui.security import HEADERS, Guard
from locales.errors import TiplineError

__all__ = ["ReviewUi", "build_ui"]

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("handoff.workstation.ui", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_STATIC = Path(__file__).parent / "static"
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass
class ReviewUi:
    """The UI's state: the queue client, the key, where files go, the guard, a clock."""

    queue: ReviewQueue
    key: ReviewerPrivateKey
    index_path: Path
    files_dir: Path
    guard: Guard
    clock: Callable[[], datetime]
    opened: dict[str, OpenedReport] = field(default_factory=dict)
    messages: dict[str, list[ThreadEntry]] = field(default_factory=dict)

    def page(self, name: str, status: int = 200, **context: object) -> web.Response:
        html = _TEMPLATES.get_template(name).render(csrf=self.guard.csrf(), **context)
        return web.Response(text=html, content_type="text/html", status=status)

    async def _open(self, reference: str) -> OpenedReport:
        opened = self.opened.get(reference)
        if opened is None:
            opened = await open_reference(self.queue, self.key, reference)
            self.opened[reference] = opened
            index = MatchIndex.load(self.index_path, self.key)
            index.add(reference, opened.report)
            index.save(self.index_path, self.key)
        return opened

    async def home(self, request: web.Request) -> web.Response:
        if self.guard.launched(request):
            response = web.HTTPSeeOther("/")
            self.guard.admit(response)
            raise response
        rows = await self.queue.page(None, 500)
        now = self.clock()
        items = []
        for row in rows:
            deadline = next_deadline(row)
            items.append(
                {
                    "row": row,
                    "deadline": deadline,
                    "overdue": deadline is not None and deadline[1] < now,
                }
            )
        message = request.query.get("said", "")
        return self.page("queue.html", items=items, key_id=self.queue.key_id, message=message)

    async def report(self, request: web.Request) -> web.Response:
        reference = request.match_info["reference"]
        opened = await self._open(reference)
        fetched = await self.queue.fetch(reference)
        meta = None if fetched is None else fetched.meta
        notes = [
            (n.author, n.at, open_note(n.envelope, self.key, reference).text)
            for n in await self.queue.notes(reference)
        ]
        matches = MatchIndex.load(self.index_path, self.key).matches(reference)
        sealed = await self.queue.thread(reference)
        thread = await read_thread(self.queue, self.key, reference)
        self.messages[reference] = thread
        return self.page(
            "report.html",
            opened=opened,
            thread=thread,
            can_ask=sealed.reporter_key is not None,
            nudge=nudge_for(opened.report),
            meta=meta,
            notes=notes,
            matches=matches,
            images=IMAGES,
            statuses=CASE_STATUSES,
            referrals=REFERRALS,
            outcomes=OUTCOMES,
            message=request.query.get("said", ""),
        )

    async def file(self, request: web.Request) -> web.Response:
        opened = await self._open(request.match_info["reference"])
        number = int(request.match_info["number"])
        if (
            not 1 <= number <= len(opened.files)
            or opened.files[number - 1].media_type not in IMAGES
        ):
            raise web.HTTPNotFound()
        item = opened.files[number - 1]
        return web.Response(body=item.data, content_type=item.media_type)

    async def message_file(self, request: web.Request) -> web.Response:
        """A photo the reporter added on follow-up, from the thread opened here."""
        reference = request.match_info["reference"]
        message_id, number = int(request.match_info["message"]), int(request.match_info["number"])
        entries = self.messages.get(reference)
        if entries is None:
            entries = self.messages[reference] = await read_thread(self.queue, self.key, reference)
        for entry in entries:
            if entry.sealed.message_id == message_id and entry.opened is not None:
                files = entry.opened.files
                if 1 <= number <= len(files) and files[number - 1][1] in IMAGES:
                    data, media = files[number - 1]
                    return web.Response(body=data, content_type=media)
        raise web.HTTPNotFound()

    async def act(self, request: web.Request) -> web.Response:
        reference, action = request.match_info["reference"], request.match_info["action"]
        form = await request.post()
        value = str(form.get("value", ""))
        if action == "export":
            opened = await self._open(reference)
            notes = (
                [
                    (
                        n.author,
                        n.at.isoformat(timespec="minutes"),
                        open_note(n.envelope, self.key, reference).text,
                    )
                    for n in await self.queue.notes(reference)
                ]
                if form.get("notes")
                else []
            )
            data = pdf_bytes(
                opened, include_contact=bool(form.get("contact")), notes=notes, made_at=self.clock()
            )
            disposition = f'attachment; filename="{reference}.pdf"'
            return web.Response(
                body=data,
                content_type="application/pdf",
                headers={"Content-Disposition": disposition},
            )
        said = await self._change(reference, action, value, form.get("detail"))
        raise web.HTTPSeeOther(f"/report/{reference}?said={said}")

    async def _change(self, reference: str, action: str, value: str, detail: object) -> str:
        if action == "status":
            await self.queue.set_status(reference, value, str(detail) if detail else None)
            return f"Status: {value}"
        if action == "note":
            sealed = seal_note(
                reference, value, self.queue.key_id, await self.queue.reviewers(), self.clock()
            )
            await self.queue.add_note(reference, sealed)
            return "Note added, sealed to every reviewer"
        if action == "ask":
            await ask_reporter(self.queue, reference, value, self.clock())
            return "Question sent, sealed to the reporter's secret code and every reviewer"
        if action == "save":
            opened = await self._open(reference)
            paths = opened.save_files(self.files_dir)
            return f"Saved {len(paths)} file(s) in {self.files_dir}"
        if action == "hold":
            await self.queue.set_hold(reference, value == "on")
            return "Hold placed" if value == "on" else "Hold lifted"
        if action in ("done", "release"):
            await (self.queue.finish if action == "done" else self.queue.release)(reference)
            return "Done" if action == "done" else "Back in the queue"
        raise web.HTTPNotFound()

    async def claim(self, request: web.Request) -> web.Response:
        claimed = await self.queue.claim()
        if claimed is None:
            raise web.HTTPSeeOther("/?said=No report is waiting")
        raise web.HTTPSeeOther(f"/report/{claimed.reference}")


def _middleware(ui: ReviewUi) -> Middleware:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not ui.guard.host_ok(request):
            return ui.page("error.html", 421, message="This address is not the review app's.")
        launching = request.path == "/" and ui.guard.launched(request)
        if not launching and not ui.guard.has_session(request) and request.path != "/ui.css":
            return ui.page(
                "error.html", 403, message="Open the address `tipline review ui` printed."
            )
        if request.method == "POST":
            form = await request.post()
            if not ui.guard.csrf_ok(str(form.get("csrf", ""))):
                return ui.page("error.html", 403, message="This form has expired; reload the page.")
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return ui.page("error.html", 404, message="There is no such page or report.")
        except (TiplineError, ValueError) as exc:
            return ui.page("error.html", 409, message=str(exc))

    return guard


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(HEADERS)
    response.headers["Server"] = "Tipline"


async def _css(request: web.Request) -> web.FileResponse:
    return web.FileResponse(_STATIC / "ui.css")


def build_ui(ui: ReviewUi) -> web.Application:
    app = web.Application(middlewares=[_middleware(ui)], client_max_size=256 * 1024)
    app.on_response_prepare.append(_headers)
    ref = "/report/{reference:TL-[0-9A-Z]{4}-[0-9A-Z]{4}}"
    app.router.add_get("/", ui.home)
    app.router.add_get("/ui.css", _css)
    app.router.add_post("/claim", ui.claim)
    app.router.add_get(ref, ui.report)
    app.router.add_get(ref + "/file/{number:[0-9]{1,3}}", ui.file)
    app.router.add_get(ref + "/message/{message:[0-9]{1,12}}/{number:[0-9]{1,3}}", ui.message_file)
    app.router.add_post(ref + "/{action:status|note|ask|save|hold|done|release|export}", ui.act)
    return app
