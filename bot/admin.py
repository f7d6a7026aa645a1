"""`tipline admin reviewers add | list | retire`: enrolling reviewers on the server.

`add alice.pub` registers a reviewer's public bundle (made by `tipline review
keygen` on their own machine) and prints their TOTP secret, once, as an
otpauth:// URI and a QR code for an authenticator app. Registering a real key
retires the DEMO key, and says so. A retired key receives no new report and
cannot log in.
"""

from __future__ import annotations

import argparse
import asyncio
import io
from pathlib import Path

import qrcode

from bot.app import open_store
from bot.review import TotpSecrets, bundle_record, provisioning_uri
from bot.service import utcnow
from bot.settings import Settings
from handoff.bundle import read_bundle
from store import ReviewerKey

__all__ = ["add_commands"]


def add_commands(admin: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `reviewers add|list|retire` to the `admin` command group."""
    reviewers = admin.add_parser("reviewers", help="enrol, list and retire reviewer keys")
    commands = reviewers.add_subparsers(title="reviewers")
    add = commands.add_parser("add", help="enrol a reviewer's public key file (alice.pub)")
    add.add_argument("bundle", type=Path)
    add.set_defaults(run=_add)
    listing = commands.add_parser("list", help="every reviewer key, active and retired")
    listing.set_defaults(run=_list)
    retire = commands.add_parser("retire", help="retire a key: no new reports, no logins")
    retire.add_argument("key_id")
    retire.set_defaults(run=_retire)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    bundle = read_bundle(args.bundle)
    secret = TotpSecrets.new()

    async def go() -> list[str]:
        async with open_store(settings) as (keys, store):
            now = utcnow()
            sealed = TotpSecrets(keys).seal(bundle.key_id, secret)
            return await store.add_reviewer_key(bundle_record(bundle, now), now, sealed)

    retired = asyncio.run(go())
    print(f"Registered reviewer key {bundle.key_id} ({bundle.label}).")
    for key_id in retired:
        print(f"The DEMO key {key_id} is retired: no report will be sealed to it again.")
    uri = provisioning_uri(secret, bundle.label)
    print()
    print("Give the reviewer this TOTP secret for their authenticator app. It is shown once:")
    print(f"  {uri}")
    print(_qr(uri))
    return 0


def _qr(text: str) -> str:
    code = qrcode.QRCode(border=2)
    code.add_data(text)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def _describe(key: ReviewerKey) -> str:
    state = "active" if key.active else "retired"
    if key.retired_at is not None:
        state += f" {key.retired_at:%Y-%m-%d}"
    marks = [state]
    if key.demo:
        marks.append("DEMO")
    if key.verify_key is None:
        marks.append("cannot log in: enrol its bundle with `admin reviewers add`")
    return f"{key.key_id}  {key.created_at:%Y-%m-%d}  {', '.join(marks)}  {key.label}"


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> list[ReviewerKey]:
        async with open_store(settings) as (_keys, store):
            return await store.reviewer_keys(active_only=False)

    keys = asyncio.run(go())
    if not keys:
        print("No reviewer keys are registered.")
    for key in keys:
        print(_describe(key))
    return 0


def _retire(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> ReviewerKey:
        async with open_store(settings) as (_keys, store):
            return await store.retire_reviewer(args.key_id, utcnow())

    key = asyncio.run(go())
    print(f"Retired {key.key_id} ({key.label}): no new report is sealed to it; it cannot log in.")
    return 0
