"""The `tipline review` commands, on the reviewer's own workstation.

They are given a `ReviewQueue` (how to reach the server's queue) and a way to
ask for the key's passphrase; everything else happens here: the key file is
read here and reports are decrypted here.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TypeVar

from handoff.bundle import write_bundle
from handoff.workstation.keyfile import ReviewerPrivateKey, load_private_key, save_private_key
from handoff.workstation.queue import OpenedReport, ReviewQueue, claim_next, open_claimed
from handoff.workstation.render import render_json, render_text
from locales.errors import KeyFileError

__all__ = ["Connect", "Passphrase", "add_commands"]

Connect = Callable[[], AbstractAsyncContextManager[ReviewQueue]]
"""Opens the way to the queue for one command (and closes it after)."""

Passphrase = Callable[[bool], bytes]
"""Asks for the key's passphrase; True: a new key, ask twice."""

T = TypeVar("T")
Parser = argparse.ArgumentParser

_SAVE_HELP = "write the report's evidence files here (folder 0700, files 0600)"


def add_commands(
    review: argparse._SubParsersAction[argparse.ArgumentParser],
    connect: Connect,
    passphrase: Passphrase,
) -> None:
    """Add keygen, next, open, done, release and audit to the `review` command group.

    Each sets `run` to a function of (arguments, anything) that returns an exit code.
    """
    commands = _Commands(connect, passphrase)

    def command(name: str, text: str, work: Callable[[argparse.Namespace], int]) -> Parser:
        parser = review.add_parser(name, help=text)
        parser.set_defaults(run=lambda args, _settings=None: work(args))
        return parser

    parser = command("keygen", "create a reviewer key and its public file (KEY.pub) to enrol",
                     commands.keygen)  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="private key file to write")
    parser.add_argument("--label", default=None, help="who holds the key (default: file name)")
    for name, text, work in (
        ("next", "claim the most urgent report and decrypt it here", commands.next_report),
        ("open", "decrypt again a report you have claimed", commands.open_report),
    ):
        parser = command(name, text, work)
        if name == "open":
            parser.add_argument("reference")
        parser.add_argument("--key", type=Path, required=True)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--save-files", type=Path, default=None, metavar="DIR", help=_SAVE_HELP)
    for name, text in (
        ("done", "mark a claimed report as dealt with"),
        ("release", "return a claimed report to the queue"),
    ):
        parser = command(name, text, commands.finishing)
        parser.add_argument("reference")
        parser.add_argument("--key", type=Path, required=True, help="the claimant's key file")
        parser.set_defaults(finishing=name)
    parser = command("audit", "check the audit log", commands.audit)
    parser.add_argument("--verify", action="store_true", required=True)


class _Commands:
    """The commands themselves, each a function of the parsed arguments."""

    def __init__(self, connect: Connect, passphrase: Passphrase) -> None:
        self._connect = connect
        self._passphrase = passphrase

    def _key(self, path: Path) -> ReviewerPrivateKey:
        return load_private_key(path, self._passphrase(False))

    def keygen(self, args: argparse.Namespace) -> int:
        secret = self._passphrase(True)
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

    def next_report(self, args: argparse.Namespace) -> int:
        key = self._key(args.key)
        opened = asyncio.run(_with_queue(self._connect, lambda q: claim_next(q, key)))
        if opened is None:
            print("No reports are waiting.")
            return 0
        _show(opened, args)
        return 0

    def open_report(self, args: argparse.Namespace) -> int:
        key = self._key(args.key)
        opened = asyncio.run(
            _with_queue(self._connect, lambda q: open_claimed(q, key, args.reference))
        )
        _show(opened, args)
        return 0

    def finishing(self, args: argparse.Namespace) -> int:
        who = self._key(args.key).key_id  # only the reviewer who claimed it may finish it
        done = args.finishing == "done"

        async def act(queue: ReviewQueue) -> None:
            if done:
                await queue.finish(args.reference, who)
            else:
                await queue.release(args.reference, who)

        asyncio.run(_with_queue(self._connect, act))
        print(f"{args.reference} {'is done' if done else 'is back in the queue'}.")
        return 0

    def audit(self, args: argparse.Namespace) -> int:
        count, problems = asyncio.run(_with_queue(self._connect, lambda q: q.verify_audit()))
        for problem in problems:
            print(problem)
        if problems:
            print(f"The audit log does NOT verify: {len(problems)} problem(s).")
            return 1
        print(f"The audit log verifies: {count} entries, chain intact.")
        return 0


async def _with_queue(connect: Connect, work: Callable[[ReviewQueue], Awaitable[T]]) -> T:
    async with connect() as queue:
        return await work(queue)


def _show(opened: OpenedReport, args: argparse.Namespace) -> None:
    """Print a decrypted report; with --save-files, write its evidence files first."""
    saved = opened.save_files(args.save_files) if args.save_files is not None else None
    print(render_json(opened, saved) if args.json else render_text(opened, saved))
