"""First start of `tipline run`: a DEMO reviewer key, so a newcomer can try the whole loop.

A report can only be sealed to a registered reviewer key. On a fresh install
that serves only this machine (a loopback address) and has no key yet, Tipline
makes one, clearly labelled as a demo, writes it to the data directory and
prints its passphrase, so that `tipline review next` can open a report sent in
the browser a minute later. A demo key's private half sits on the server, which
real reviewer keys never do: it is for trying Tipline, not for real reports,
and it is never made for a server that listens beyond this machine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.reviewing import reviewer_record
from bot.settings import Settings
from handoff.workstation import ReviewerPrivateKey, save_private_key
from store import Store

DEMO_LABEL = "DEMO key - for trying Tipline only, not for real reports"
KEY_FILE = "demo-reviewer.key"
PASSPHRASE_FILE = "demo-reviewer.passphrase"  # noqa: S105 -- a file name, not a secret


@dataclass(frozen=True, slots=True)
class DemoKey:
    key_file: Path
    passphrase: str
    key_id: str


def serves_only_this_machine(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def ensure_demo_key(store: Store, settings: Settings, now: datetime) -> DemoKey | None:
    """Make the demo key when no reviewer key exists and the server is local; else None."""
    if not serves_only_this_machine(settings.host) or await store.reviewer_keys():
        return None
    passphrase = "-".join(secrets.token_hex(3) for _ in range(4))
    key_file = settings.data_dir / KEY_FILE
    key = ReviewerPrivateKey.generate()
    await asyncio.to_thread(save_private_key, key_file, key, passphrase.encode(), DEMO_LABEL)
    await store.add_reviewer_key(reviewer_record(key, DEMO_LABEL, now), now)
    # Kept beside the key so the walk-through still works after the terminal scrolls away.
    secret = settings.data_dir / PASSPHRASE_FILE
    secret.touch(mode=0o600, exist_ok=True)
    secret.write_text(passphrase + "\n", encoding="utf-8")
    return DemoKey(key_file, passphrase, key.key_id)


def announcement(demo: DemoKey) -> str:
    """What `tipline run` prints when it made the demo key."""
    return (
        "\n"
        "  DEMO reviewer key created - for trying Tipline only, NOT for real reports.\n"
        f"  key file:   {demo.key_file}\n"
        f"  passphrase: {demo.passphrase}   (also in {demo.key_file.with_name(PASSPHRASE_FILE)})\n"
        "  Send a report in the browser, then read it with:\n"
        f"    TIPLINE_REVIEWER_PASSPHRASE='{demo.passphrase}' "
        f".venv/bin/tipline review next --key {demo.key_file}\n"
        "  For real use, start from an empty data directory and create reviewer keys\n"
        "  on the reviewers' own machines (tipline review keygen).\n"
    )
