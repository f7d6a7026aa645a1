"""What each `tipline review` command does, on the reviewer's own workstation.

Every command talks to the reviewer API with the login kept beside the key
file (`review login` makes it), decrypts here, and writes nothing but what the
reviewer asks for (saved evidence, exports) and its own login and audit head.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import aiohttp

from handoff.audit import AuditRecord, audit_head, legacy_count, verify_chain
from handoff.bundle import write_bundle
from handoff.cases import CaseState, audit_problems
from handoff.thread import MAX_MESSAGE
from handoff.workstation.client import HttpQueue, Login, log_in
from handoff.workstation.due import due_items
from handoff.workstation.export import export_pdf
from handoff.workstation.keyfile import ReviewerPrivateKey, load_private_key, save_private_key
from handoff.workstation.matching import MatchIndex
from handoff.workstation.notes import open_note, seal_note
from handoff.workstation.queue import (
    OpenedReport,
    ReviewQueue,
    claim_next,
    open_reference,
    open_report,
)
from handoff.workstation.render import render_json, render_notes, render_text
from handoff.workstation.thread import (
    ask_reporter,
    nudge_for,
    read_thread,
    save_message_files,
)
from handoff.workstation.tokens import forget_login, load_head, load_login, save_head, save_login
from handoff.workstation.ui import serve_ui
from locales.errors import ConfigError, KeyFileError

__all__ = ["Commands", "Workstation"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Workstation:
    """What the entry point hands the commands: how to ask for secrets, and the server."""

    passphrase: Callable[[bool], bytes]  # True: a new key, ask twice
    totp: Callable[[], str]
    server_url: str | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


class Commands:
    """Each method is one command: parsed arguments in, exit code out."""

    def __init__(self, workstation: Workstation) -> None:
        self._ws = workstation

    def _key(self, path: Path) -> ReviewerPrivateKey:
        return load_private_key(path, self._ws.passphrase(False))

    def _run(self, args: argparse.Namespace, work: Callable[[ReviewQueue], Awaitable[T]]) -> T:
        login = load_login(args.key, self._ws.clock())
        server = getattr(args, "server", None) or self._ws.server_url
        if server and server.rstrip("/") != login.server.rstrip("/"):
            raise ConfigError(
                f"the login beside {args.key} is for {login.server}; log in to {server}"
            )

        async def go() -> T:
            async with aiohttp.ClientSession() as session:
                return await work(HttpQueue(session, login))

        return asyncio.run(go())

    # -- keys and logins ---------------------------------------------------------

    def keygen(self, args: argparse.Namespace) -> int:
        secret = self._ws.passphrase(True)
        label = args.label or args.out.stem
        key = ReviewerPrivateKey.generate()
        public = args.out.with_suffix(".pub")
        if public.exists():
            raise KeyFileError(f"{public} already exists; refusing to overwrite it")
        save_private_key(args.out, key, secret, label)
        write_bundle(public, key.bundle(label))
        print(f"Wrote {args.out}: reviewer key {key.key_id} ({label}).")
        print("Keep the file and its passphrase safe: without them no report sealed to it opens.")
        print(f"Wrote {public}: give it to the server's admin to enrol you")
        print(f"  (tipline admin reviewers add {public.name}).")
        return 0

    def login(self, args: argparse.Namespace) -> int:
        server = args.server or self._ws.server_url
        if not server:
            raise ConfigError("which server? give --server URL or set TIPLINE_SERVER_URL")
        key = self._key(args.key)
        code = self._ws.totp()

        async def go() -> Login:
            async with aiohttp.ClientSession() as session:
                return await log_in(session, server, key, code)

        login = asyncio.run(go())
        path = save_login(args.key, login)
        until = login.expires_at.astimezone().strftime("%H:%M")
        print(f"Logged in to {server} as {key.key_id} until {until} (kept in {path}).")
        return 0

    def logout(self, args: argparse.Namespace) -> int:
        with contextlib.suppress(ConfigError):  # already ended: forgetting it is all that is left
            self._run(args, lambda q: q.logout())
        forget_login(args.key)
        print("Logged out.")
        return 0

    # -- reading -----------------------------------------------------------------

    def next_report(self, args: argparse.Namespace) -> int:
        key = self._key(args.key)
        opened = self._run(args, lambda q: claim_next(q, key))
        if opened is None:
            print("No reports are waiting.")
            return 0
        self._show(opened, args, [], self._matched(args.key, key, [opened]))
        return 0

    def open_report(self, args: argparse.Namespace) -> int:
        key = self._key(args.key)

        async def work(queue: ReviewQueue) -> tuple[OpenedReport, list[tuple[str, str, str]]]:
            opened = await open_reference(queue, key, args.reference)
            return opened, await self._notes(queue, key, args.reference)

        opened, notes = self._run(args, work)
        self._show(opened, args, notes, self._matched(args.key, key, [opened]))
        return 0

    @staticmethod
    def _matched(
        key_path: Path, key: ReviewerPrivateKey, opened: list[OpenedReport]
    ) -> list[tuple[str, str]]:
        """Add decrypted reports to the sealed match index; the matches of the last one."""
        path = key_path.with_suffix(".index")
        index = MatchIndex.load(path, key)
        for report in opened:
            index.add(report.reference, report.report)
        index.save(path, key)
        return index.matches(opened[-1].reference) if opened else []

    def index(self, args: argparse.Namespace) -> int:
        """Decrypt every report sealed to this key and rebuild the match index."""
        key = self._key(args.key)

        async def work(queue: ReviewQueue) -> list[OpenedReport]:
            opened: list[OpenedReport] = []
            rows = await queue.page(None, 500, every=True)
            while rows:
                for row in rows:
                    queued = await queue.fetch(row.reference)
                    if queued is not None:
                        opened.append(open_report(queued, key))
                rows = await queue.page(rows[-1].reference, 500, every=True)
            return opened

        opened = self._run(args, work)
        self._matched(args.key, key, opened)
        index = MatchIndex.load(args.key.with_suffix(".index"), key)
        groups = sum(1 for o in opened if index.matches(o.reference))
        print(f"Indexed {len(opened)} report(s); {groups} name an officer another report names.")
        return 0

    def export(self, args: argparse.Namespace) -> int:
        key = self._key(args.key)
        if args.pdf.exists():
            raise ConfigError(f"{args.pdf} already exists; choose another file name")

        async def work(queue: ReviewQueue) -> tuple[OpenedReport, list[tuple[str, str, str]]]:
            opened = await open_reference(queue, key, args.reference)
            return opened, await self._notes(queue, key, args.reference) if args.notes else []

        opened, notes = self._run(args, work)
        export_pdf(
            opened,
            args.pdf,
            include_contact=args.include_contact,
            notes=notes,
            made_at=self._ws.clock(),
        )
        left = "" if args.include_contact else " (contact details left out)"
        print(f"Wrote {args.pdf}{left}.")
        return 0

    @staticmethod
    async def _notes(
        queue: ReviewQueue, key: ReviewerPrivateKey, reference: str
    ) -> list[tuple[str, str, str]]:
        notes = []
        for sealed in await queue.notes(reference):
            note = open_note(sealed.envelope, key, reference)
            notes.append((sealed.author, sealed.at.isoformat(timespec="minutes"), note.text))
        return notes

    @staticmethod
    def _show(
        opened: OpenedReport,
        args: argparse.Namespace,
        notes: list[tuple[str, str, str]],
        matches: list[tuple[str, str]],
    ) -> None:
        saved = opened.save_files(args.save_files) if args.save_files is not None else None
        if args.json:
            print(render_json(opened, saved), end="")
            return
        text = render_text(opened, saved) + render_notes(notes)
        if matches:
            text += "\nOther reports that may name the same officer:\n"
            text += "".join(f"    {ref}: {why}\n" for ref, why in matches)
        print(text, end="")

    def queue(self, args: argparse.Namespace) -> int:
        rows = self._run(args, lambda q: q.page(None, 500))
        if not rows:
            print("No reports are sealed to this key.")
        for row in rows:
            urgent = "URGENT " if row.priority else ""
            claim = f"{row.claim} by {row.claimed_by}" if row.claimed_by else row.claim
            sealed = f"{row.sealed_at:%Y-%m-%d %H:00}"
            waiting = "  question unanswered" if row.unanswered else ""
            print(f"{row.reference}  {urgent}{row.status:<12} {claim:<30} sealed {sealed}{waiting}")
        return 0

    def due(self, args: argparse.Namespace) -> int:
        rows = self._run(args, lambda q: q.page(None, 500))
        items = due_items(rows, self._ws.clock())
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "reference": d.reference,
                            "what": d.what,
                            "by": d.by.isoformat(),
                            "overdue": d.overdue,
                        }
                        for d in items
                    ],
                    indent=2,
                )
            )
            return 0
        if not items:
            print("Nothing is overdue or due within 48 hours.")
        for item in items:
            state = "OVERDUE" if item.overdue else "due"
            print(f"{item.reference}  {state:<7} {item.what} by {item.by:%Y-%m-%d %H:%M %Z}")
        return 1 if any(d.overdue for d in items) else 0

    # -- changing a case ---------------------------------------------------------------

    def status(self, args: argparse.Namespace) -> int:
        detail = args.to if args.status == "referred" else args.outcome
        if args.status in ("referred", "closed") and detail is None:
            need = "--to psd|iopc|other" if args.status == "referred" else "--outcome OUTCOME"
            raise ConfigError(f"{args.status} needs {need}")

        async def work(queue: ReviewQueue) -> str:
            meta = await queue.set_status(args.reference, args.status, detail)
            if args.note:
                await self._add_note(queue, args.reference, args.note)
            return meta.status

        print(f"{args.reference} is now {self._run(args, work)}.")
        return 0

    async def _add_note(self, queue: ReviewQueue, reference: str, text: str) -> None:
        recipients = await queue.reviewers()
        try:
            sealed = seal_note(reference, text, queue.key_id, recipients, self._ws.clock())
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        await queue.add_note(reference, sealed)

    def note(self, args: argparse.Namespace) -> int:
        self._run(args, lambda q: self._add_note(q, args.reference, args.text))
        print(f"Note added to {args.reference}, sealed to every reviewer key.")
        return 0

    # -- the thread with the reporter -----------------------------------------------------

    def reply(self, args: argparse.Namespace) -> int:
        """Send the reporter a message (a question), sealed here to their key and ours."""
        text = args.text
        if not text.strip() or len(text) > MAX_MESSAGE:
            raise ConfigError(f"a message is 1 to {MAX_MESSAGE} characters")
        self._run(args, lambda q: ask_reporter(q, args.reference, text, self._ws.clock()))
        print(
            f"Message sent to the reporter of {args.reference}. They read it when they come "
            "back with their secret code; the server cannot."
        )
        return 0

    def thread(self, args: argparse.Namespace) -> int:
        """Every message between the review team and the reporter, decrypted here."""
        key = self._key(args.key)
        entries = self._run(args, lambda q: read_thread(q, key, args.reference))
        if not entries:
            print(f"No messages on {args.reference} yet.")
        for entry in entries:
            sealed = entry.sealed
            when = f"{sealed.created_at:%Y-%m-%d %H:%M}"
            extra = ""
            if sealed.direction == "to_reporter":
                extra = (
                    f" (read {sealed.read_at:%Y-%m-%d %H:%M})" if sealed.read_at else " (not read)"
                )
            else:
                extra = f" (added on {sealed.created_at:%Y-%m-%d} by follow-up)"
            print(f"--- {when} {entry.who}{extra}")
            if entry.opened is None:
                print(f"    cannot be opened: {entry.problem}")
                continue
            print(entry.opened.text)
            if entry.opened.files:
                saved = (
                    save_message_files(args.reference, entry, args.save_files)
                    if args.save_files is not None
                    else []
                )
                for n, (data, media) in enumerate(entry.opened.files, 1):
                    where = f" saved as {saved[n - 1]}" if saved else ""
                    print(f"    file {n}: {media}, {len(data):,} bytes{where}")
        if entries and entries[-1].sealed.direction == "to_reporter":
            print("The reporter has not answered the last message yet.")
        return 0

    def nudge(self, args: argparse.Namespace) -> int:
        """Show how to tell a contactable reporter that a message waits, without content."""
        key = self._key(args.key)
        opened = self._run(args, lambda q: open_reference(q, key, args.reference))
        nudge = nudge_for(opened.report)
        if nudge is None:
            print(
                f"The reporter of {args.reference} left no phone number or e-mail address, or "
                "did not agree to a message being left. They will see your message only when "
                "they come back with their secret code."
            )
            return 1
        print(f"The reporter agreed to a message being left. Send this to {nudge.address}")
        print(f"from your own phone or e-mail (the server never learns it):\n\n    {nudge.text}\n")
        print(f"Or open: {nudge.link}")
        return 0

    def finishing(self, args: argparse.Namespace) -> int:
        action = args.finishing

        async def work(queue: ReviewQueue) -> None:
            if action == "done":
                await queue.finish(args.reference)
            elif action == "release":
                await queue.release(args.reference)
            elif action == "hold":
                await queue.set_hold(args.reference, not args.lift)
            else:
                await queue.delete(args.reference)

        self._run(args, work)
        said = {
            "done": "is done",
            "release": "is back in the queue",
            "delete": "is deleted",
            "hold": "is no longer held" if getattr(args, "lift", False) else "is held",
        }
        print(f"{args.reference} {said[action]}.")
        return 0

    def ui(self, args: argparse.Namespace) -> int:
        """Serve the review app on 127.0.0.1 until Ctrl-C."""
        key = self._key(args.key)
        login = load_login(args.key, self._ws.clock())
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                serve_ui(
                    login,
                    key,
                    key_path=args.key,
                    port=args.port,
                    files=args.files,
                    clock=self._ws.clock,
                )
            )
        return 0

    # -- the audit ----------------------------------------------------------------------

    def audit(self, args: argparse.Namespace) -> int:
        login = load_login(args.key, self._ws.clock())
        kept = load_head(args.key, login.server)
        given = None
        if args.head:
            try:
                given = bytes.fromhex(args.head)
            except ValueError as exc:
                raise ConfigError(
                    "--head takes the hash printed by an earlier verify (hex)"
                ) from exc

        async def work(queue: ReviewQueue) -> tuple[list[AuditRecord], list[CaseState]]:
            return await queue.audit_entries(), await queue.report_states()

        entries, states = self._run(args, work)
        problems = audit_problems(entries, states, given)
        if kept is not None:  # the head this workstation kept from its last verify
            chain = verify_chain(entries)
            problems += [f"{p} (kept here)" for p in verify_chain(entries, kept)[len(chain) :]]
        head = audit_head(entries)
        for problem in problems:
            print(problem)
        if head is not None:
            print(f"Head: seq {head.seq} {head.mac.hex()}")
        old = legacy_count(entries)
        if old:
            print(
                f"{old} entries predate the keyless chain: their links are checked, their "
                "contents only with the server's old audit key."
            )
        if problems:
            print(f"The audit log does NOT verify: {len(problems)} problem(s).")
            return 1
        if head is not None:
            save_head(args.key, login.server, head)
        print(
            f"The audit log verifies: {len(entries)} entries, chain intact, "
            f"{len(states)} reports accounted for."
        )
        return 0
