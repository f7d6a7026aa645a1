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
from bot.app import open_app, open_store
from bot.chat import run_chat
from bot.errors import KeyFileError, TiplineError
from bot.run import serve
from bot.service import utcnow
from bot.settings import Settings
from dialogs import lint_file, load_script
from dialogs.graph import mermaid, render
from handoff import reviewer
from handoff.audit import AuditMac, verify_chain
from handoff.keys import load_private_key
from locales import LANGUAGES
from locales import tools as catalogs
from locales.coverage import render as render_coverage

_SAVE_HELP = "write the report's evidence files here (folder 0700, files 0600)"
_NO_KEYS = (
    "Note: no reviewer key is registered yet, so a report cannot be sealed at the end.\n"
    "Create one first: tipline review keygen --out reviewer.key\n"
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

    review = commands.add_parser("review", help="reviewer tools").add_subparsers(title="review")
    keygen = review.add_parser("keygen", help="create a reviewer key and register it")
    keygen.add_argument("--out", type=Path, required=True, help="private key file to write")
    keygen.add_argument("--label", default=None, help="who holds the key (default: file name)")
    keygen.set_defaults(run=_keygen)
    nxt = review.add_parser("next", help="claim the most urgent report and decrypt it here")
    nxt.add_argument("--key", type=Path, required=True)
    nxt.add_argument("--json", action="store_true", help="print the report as JSON")
    nxt.add_argument("--save-files", type=Path, default=None, metavar="DIR", help=_SAVE_HELP)
    nxt.set_defaults(run=_next)
    again = review.add_parser("open", help="decrypt again a report you have claimed")
    again.add_argument("reference")
    again.add_argument("--key", type=Path, required=True)
    again.add_argument("--json", action="store_true", help="print the report as JSON")
    again.add_argument("--save-files", type=Path, default=None, metavar="DIR", help=_SAVE_HELP)
    again.set_defaults(run=_open)
    for name, text in (
        ("done", "mark a claimed report as dealt with"),
        ("release", "return a claimed report to the queue"),
    ):
        sub = review.add_parser(name, help=text)
        sub.add_argument("reference")
        sub.add_argument("--key", type=Path, default=None, help="act as this key's holder")
        sub.set_defaults(run=_finish, finishing=name)
    audit = review.add_parser("audit", help="check the audit log")
    audit.add_argument("--verify", action="store_true", required=True)
    audit.set_defaults(run=_audit)

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


def _passphrase(settings: Settings, confirm: bool) -> bytes:
    if settings.reviewer_passphrase is not None:
        return settings.reviewer_passphrase.encode()
    if not sys.stdin.isatty():
        raise KeyFileError("no passphrase: set TIPLINE_REVIEWER_PASSPHRASE or run in a terminal")
    first = getpass.getpass("Key passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != first:
        raise KeyFileError("the two passphrases differ")
    return first.encode()


def _keygen(args: argparse.Namespace, settings: Settings) -> int:
    passphrase = _passphrase(settings, confirm=True)
    label = args.label or args.out.stem

    async def go() -> int:
        async with open_store(settings) as (_keys, store):
            record = await reviewer.register_new_key(store, args.out, passphrase, label, utcnow())
        print(f"Wrote {args.out} and registered key {record.key_id} ({label}).")
        print("Keep the file and its passphrase safe: without them no report sealed to it opens.")
        return 0

    return asyncio.run(go())


def _next(args: argparse.Namespace, settings: Settings) -> int:
    key = load_private_key(args.key, _passphrase(settings, confirm=False))

    async def go() -> int:
        async with open_store(settings) as (_keys, store):
            opened = await reviewer.claim_next(store, key, utcnow(), settings.lease)
        if opened is None:
            print("No reports are waiting.")
            return 0
        _show(opened, args)
        return 0

    return asyncio.run(go())


def _open(args: argparse.Namespace, settings: Settings) -> int:
    key = load_private_key(args.key, _passphrase(settings, confirm=False))

    async def go() -> int:
        async with open_store(settings) as (_keys, store):
            opened = await reviewer.open_claimed(store, key, args.reference)
        _show(opened, args)
        return 0

    return asyncio.run(go())


def _show(opened: reviewer.OpenedReport, args: argparse.Namespace) -> None:
    """Print a decrypted report; with --save-files, write its evidence files first."""
    saved = opened.save_files(args.save_files) if args.save_files is not None else None
    print(reviewer.render_json(opened, saved) if args.json else reviewer.render_text(opened, saved))


def _reviewer_id(args: argparse.Namespace, settings: Settings) -> str | None:
    if args.key is None:
        return None
    return load_private_key(args.key, _passphrase(settings, confirm=False)).key_id


def _finish(args: argparse.Namespace, settings: Settings) -> int:
    """`review done` and `review release`: end or give back a claim."""
    who = _reviewer_id(args, settings)
    act, said = _FINISHING[args.finishing]

    async def go() -> int:
        async with open_store(settings) as (_keys, store):
            await act(store, args.reference, who, utcnow())
        print(f"{args.reference} {said}.")
        return 0

    return asyncio.run(go())


_FINISHING = {
    "done": (reviewer.finish, "is done"),
    "release": (reviewer.release, "is back in the queue"),
}


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> int:
        async with open_store(settings) as (keys, store):
            entries = await store.audit_log()
        problems = verify_chain(entries, AuditMac(keys.audit))
        count = len(entries)
        for problem in problems:
            print(problem)
        if problems:
            print(f"The audit log does NOT verify: {len(problems)} problem(s).")
            return 1
        print(f"The audit log verifies: {count} entries, chain intact.")
        return 0

    return asyncio.run(go())


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
