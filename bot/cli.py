"""The `tipline` command: chat, review and dialogs, on the settings from the environment.

Errors from Tipline's tree end as one line on stderr and exit code 1, never a
traceback; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import logs
from bot.admin import add_commands as add_admin_commands
from bot.app import open_app
from bot.channels.terminal import run_chat
from bot.rotation import rotate_secret
from bot.run import serve
from bot.service import utcnow
from bot.settings import Settings
from dialogs import catalogs, lint_file, load_script
from dialogs.coverage import render as render_coverage
from dialogs.graph import mermaid, render
from handoff.workstation.cli import Workstation
from handoff.workstation.cli import add_commands as add_review_commands
from locales import LANGUAGES
from locales.errors import ConfigError, KeyFileError, TiplineError

_NO_KEYS = (
    "Note: no reviewer key is registered yet, so a report cannot be sealed at the end.\n"
    "Enrol one first: tipline review keygen --out alice.key (on the reviewer's machine),\n"
    "then tipline admin reviewers add alice.pub (here).\n"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env()
        chatting = getattr(args, "run", None) is _chat
        logs.configure(settings.log_level, file=settings.log_file if chatting else None)
        result: int = args.run(args, settings)
    except TiplineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tipline", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    run = commands.add_parser("run", help="serve every channel (web chat; Telegram with a token)")
    run.set_defaults(run=_run)

    chat = commands.add_parser("chat", help="report in this terminal (answers one per line)")
    chat.add_argument("--session", default="local", help="which terminal conversation to continue")
    chat.add_argument("--locale", default=None, help="language to start in (e.g. en)")
    chat.set_defaults(run=_chat)

    review = commands.add_parser("review", help="reviewer tools (run on the reviewer's machine)")
    workstation = Workstation(_passphrase_from_env, _totp_from_env, _server_from_env())
    add_review_commands(review.add_subparsers(title="review"), workstation)

    admin = commands.add_parser("admin", help="server administration (run on the server)")
    upkeep = admin.add_subparsers(title="admin")
    add_admin_commands(upkeep)
    rotate = upkeep.add_parser(
        "rotate-secret",
        help="a new at-rest key; drafts, files and stored replies re-encrypted (Tipline stopped)",
    )
    rotate.add_argument("--yes", action="store_true", help="do not ask first")
    rotate.set_defaults(run=_rotate)

    dialogs = commands.add_parser("dialogs", help="script tools").add_subparsers(title="dialogs")
    lint = dialogs.add_parser("lint", help="check scripts; problems as FILE:LINE")
    lint.add_argument("files", type=Path, nargs="+")
    lint.set_defaults(run=_lint)
    graph = dialogs.add_parser("graph", help="draw a script's state diagram")
    graph.add_argument("file", type=Path)
    graph.add_argument("--out", type=Path, default=None, help="write SVG or PNG (needs Graphviz)")
    graph.set_defaults(run=_graph)
    extract = dialogs.add_parser(
        "extract", help="write locales/tipline.pot and merge it into every .po"
    )
    extract.add_argument("scripts", type=Path, nargs="*", help="scripts (default: shipped)")
    extract.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    extract.set_defaults(run=_extract)
    cover = dialogs.add_parser("coverage", help="per language: translated, fuzzy, missing")
    cover.add_argument("scripts", type=Path, nargs="*", help="scripts (default: shipped)")
    cover.add_argument("--details", action="store_true", help="list every entry to fix")
    cover.set_defaults(run=_coverage)
    return parser


def _run(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(serve(settings))
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> int:
        async with open_app(settings) as app:
            if not await app.store.reviewer_keys():
                print(_NO_KEYS, file=sys.stderr)
            return await run_chat(app.conversations, args.session, args.locale)

    return asyncio.run(go())


def _rotate(args: argparse.Namespace, settings: Settings) -> int:
    def confirm(question: str) -> bool:
        if args.yes:
            return True
        if not sys.stdin.isatty():
            raise ConfigError("not a terminal, so nobody can be asked: add --yes to go ahead")
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")

    return asyncio.run(rotate_secret(settings, utcnow(), confirm, sys.stdout))


def _passphrase(settings: Settings, confirm: bool) -> bytes:
    if settings.reviewer_passphrase is not None:
        return settings.reviewer_passphrase.encode()
    if not sys.stdin.isatty():
        raise KeyFileError("no passphrase: set TIPLINE_REVIEWER_PASSPHRASE or run in a terminal")
    first = getpass.getpass("Key passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != first:
        raise KeyFileError("the two passphrases differ")
    return first.encode()


def _passphrase_from_env(confirm: bool) -> bytes:
    return _passphrase(Settings.from_env(), confirm)


def _totp_from_env() -> str:
    settings = Settings.from_env()
    if settings.reviewer_totp is not None:
        return settings.reviewer_totp
    if not sys.stdin.isatty():
        raise KeyFileError("no TOTP code: set TIPLINE_REVIEWER_TOTP or run in a terminal")
    return input("TOTP code from your authenticator app: ")


def _server_from_env() -> str | None:
    try:
        return Settings.from_env().server_url
    except TiplineError:
        return None  # reported by main() when the command runs


def _lint(args: argparse.Namespace, settings: Settings) -> int:
    issues = [issue for path in args.files for issue in lint_file(path)]
    for issue in issues:
        print(issue)
    if issues:
        print(f"{len(issues)} problem(s).", file=sys.stderr)
        return 1
    print(f"{len(args.files)} script(s) OK.")
    return 0


def _graph(args: argparse.Namespace, settings: Settings) -> int:
    script = load_script(args.file)
    if args.out is None:
        print(mermaid(script))
        return 0
    render(script, args.out)
    print(f"Wrote {args.out}.")
    return 0


def _scripts(args: argparse.Namespace, settings: Settings) -> list[Path]:
    return list(args.scripts) or catalogs.shipped_scripts(settings.script)


def _extract(args: argparse.Namespace, settings: Settings) -> int:
    changed = catalogs.extract(_scripts(args, settings), write=not args.check)
    for path in changed:
        print(f"{'stale' if args.check else 'wrote'}: {path}")
    if args.check and changed:
        print("Run `tipline dialogs extract` and commit the result.", file=sys.stderr)
        return 1
    print("Catalogs up to date." if not changed else f"{len(changed)} file(s) written.")
    return 0


def _coverage(args: argparse.Namespace, settings: Settings) -> int:
    results = catalogs.coverage_of(_scripts(args, settings))
    print(render_coverage(results, LANGUAGES, details=args.details))
    incomplete = [r.language for r in results if not r.complete]
    if incomplete:
        print(f"Incomplete: {', '.join(incomplete)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
