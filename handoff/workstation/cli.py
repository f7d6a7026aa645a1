"""The `tipline review` commands' arguments, on the reviewer's own workstation.

The entry point hands over a `Workstation` (how to ask for the passphrase and
the TOTP code, the default server); `handoff.workstation.commands` does the
work: everything talks to the reviewer API and decrypts here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from handoff.cases import CASE_STATUSES, OUTCOMES, REFERRALS
from handoff.workstation.commands import Commands, Workstation

__all__ = ["Workstation", "add_commands"]

Parser = argparse.ArgumentParser
_SAVE_HELP = "write the report's evidence files here (folder 0700, files 0600)"
_KEY_HELP = "your key file (the login is kept beside it)"


def add_commands(
    review: argparse._SubParsersAction[argparse.ArgumentParser], workstation: Workstation
) -> None:
    """Add the reviewer's commands to the `review` command group.

    Each sets `run` to a function of (arguments, anything) that returns an exit code.
    """
    commands = Commands(workstation)

    def command(name: str, text: str, work: Callable[[argparse.Namespace], int]) -> Parser:
        parser = review.add_parser(name, help=text)
        parser.set_defaults(run=lambda args, _settings=None: work(args))
        if name != "keygen":
            parser.add_argument("--key", type=Path, required=True, help=_KEY_HELP)
        return parser

    parser = command(
        "keygen", "create a reviewer key and KEY.pub for the admin to enrol", commands.keygen
    )
    parser.add_argument("--out", type=Path, required=True, help="private key file to write")
    parser.add_argument("--label", default=None, help="who holds the key (default: file name)")
    parser = command("login", "log in to a server (passphrase and TOTP code)", commands.login)
    parser.add_argument("--server", default=None, help="the reviewer API (or TIPLINE_SERVER_URL)")
    command("logout", "end the login kept beside the key", commands.logout)
    command("queue", "list the reports sealed to you, urgent first", commands.queue)
    for name, text, work in (
        ("next", "claim the most urgent report and decrypt it here", commands.next_report),
        ("open", "decrypt a report sealed to you again, with its notes", commands.open_report),
    ):
        parser = command(name, text, work)
        if name == "open":
            parser.add_argument("reference")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--save-files", type=Path, default=None, metavar="DIR", help=_SAVE_HELP)
    command(
        "index", "decrypt every report sealed to you and rebuild the match index", commands.index
    )
    parser = command("export", "write a report as a PDF for referral", commands.export)
    parser.add_argument("reference")
    parser.add_argument("--pdf", type=Path, required=True, metavar="FILE")
    parser.add_argument(
        "--include-contact",
        action="store_true",
        help="include the reporter's contact details (left out by default)",
    )
    parser.add_argument("--notes", action="store_true", help="include reviewers' notes")
    parser = command("status", "change a report's status", commands.status)
    parser.add_argument("reference")
    parser.add_argument("status", choices=CASE_STATUSES)
    parser.add_argument("--to", choices=REFERRALS, help="referred: to whom")
    parser.add_argument("--outcome", choices=OUTCOMES, help="closed: the outcome")
    parser.add_argument("--note", default=None, help="add a note, sealed to every reviewer")
    parser = command("note", "add a note, sealed to every reviewer key", commands.note)
    parser.add_argument("reference")
    parser.add_argument("text")
    _thread_commands(command, commands)
    for name, text in (
        ("done", "finish with a report you claimed"),
        ("release", "return a report you claimed to the queue"),
        ("hold", "keep a closed report past retention (--lift to end the hold)"),
        ("delete", "delete a closed report without a hold now"),
    ):
        parser = command(name, text, commands.finishing)
        parser.add_argument("reference")
        parser.set_defaults(finishing=name)
        if name == "hold":
            parser.add_argument("--lift", action="store_true")
    parser = command("ui", "the review app in a browser on this computer", commands.ui)
    parser.add_argument("--port", type=int, default=8090, help="on 127.0.0.1 (default 8090)")
    parser.add_argument(
        "--files",
        type=Path,
        default=Path("evidence"),
        metavar="DIR",
        help="where saved evidence files go (default ./evidence)",
    )
    parser = command("due", "what is overdue or due within 48 hours", commands.due)
    parser.add_argument("--json", action="store_true")
    parser = command("audit", "check the audit log against the queue", commands.audit)
    parser.add_argument("--verify", action="store_true", required=True)
    parser.add_argument(
        "--head",
        default=None,
        metavar="HASH",
        help="a head recorded earlier (from a verify, kept elsewhere)",
    )


def _thread_commands(
    command: Callable[[str, str, Callable[[argparse.Namespace], int]], Parser], commands: Commands
) -> None:
    """`reply`, `thread` and `nudge`: the messages with the reporter."""
    parser = command(
        "reply",
        "ask the reporter a question: sealed here to their secret code and every reviewer",
        commands.reply,
    )
    parser.add_argument("reference")
    parser.add_argument("text")
    parser = command("thread", "the messages with the reporter, decrypted here", commands.thread)
    parser.add_argument("reference")
    parser.add_argument("--save-files", type=Path, default=None, metavar="DIR", help=_SAVE_HELP)
    parser = command(
        "nudge",
        "how to tell a contactable reporter that a message waits (no content)",
        commands.nudge,
    )
    parser.add_argument("reference")
