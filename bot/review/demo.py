"""The DEMO reviewer key: only where it belongs, so a newcomer can try the whole loop.

A report can only be sealed to a registered reviewer key. On a fresh install
that serves nothing but the web chat on this machine (a loopback address, no
Telegram, no public URL) and has no key at all, Tipline makes one, clearly
labelled as a demo, writes it to the data directory and prints its passphrase
and TOTP secret. A demo key's private half sits on the server, which real
reviewer keys never do, so:

- it is made only for such a local install (`demo_allowed`);
- a report is sealed to it only there, and never while a real key exists
  (`sealing_keys`, the one rule the service applies);
- registering a real key retires it (the store does that in the same
  transaction, and `tipline admin reviewers add` says so);
- `tipline run` prints a loud warning on every start while it is active.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.review.accounts import TotpSecrets, provisioning_uri, reviewer_record
from bot.serverkeys import ServerKeys
from bot.settings import Settings
from handoff.workstation import ReviewerPrivateKey, save_private_key
from store import ReviewerKey, Store

DEMO_LABEL = "DEMO key - for trying Tipline only, not for real reports"
KEY_FILE = "demo-reviewer.key"
PASSPHRASE_FILE = "demo-reviewer.passphrase"  # noqa: S105 -- a file name, not a secret

WARNING = (
    "\n  !! WARNING: a DEMO reviewer key is active. Its private half is on this server,\n"
    "  !! so this server can read every report sealed to it. Not for real reports:\n"
    "  !! enrol a real reviewer (tipline admin reviewers add alice.pub) to retire it.\n"
)


@dataclass(frozen=True, slots=True)
class DemoKey:
    key_file: Path
    passphrase: str
    key_id: str
    totp_uri: str


def serves_only_this_machine(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_allowed(settings: Settings) -> bool:
    """True when nothing but the local web chat is served: the only place for a DEMO key."""
    return (
        serves_only_this_machine(settings.host)
        and serves_only_this_machine(settings.review_host)
        and settings.telegram_token is None
        and settings.public_url is None
    )


def sealing_keys(keys: Sequence[ReviewerKey], settings: Settings) -> list[ReviewerKey]:
    """The active keys a report is sealed to: the real ones; a DEMO key only when there is
    none and the deployment is local (`demo_allowed`)."""
    real = [k for k in keys if k.active and not k.demo]
    if real or not demo_allowed(settings):
        return real
    return [k for k in keys if k.active]


async def ensure_demo_key(
    store: Store, settings: Settings, keys: ServerKeys, now: datetime
) -> DemoKey | None:
    """Make the demo key when no reviewer key exists and the install is local; else None."""
    if not demo_allowed(settings) or await store.reviewer_keys(active_only=False):
        return None
    passphrase = "-".join(secrets.token_hex(3) for _ in range(4))
    key_file = settings.data_dir / KEY_FILE
    key = ReviewerPrivateKey.generate()
    await asyncio.to_thread(save_private_key, key_file, key, passphrase.encode(), DEMO_LABEL)
    totp = TotpSecrets.new()
    record = reviewer_record(key, DEMO_LABEL, now, demo=True)
    await store.add_reviewer_key(record, now, TotpSecrets(keys).seal(key.key_id, totp))
    # Kept beside the key so the walk-through still works after the terminal scrolls away.
    secret = settings.data_dir / PASSPHRASE_FILE
    secret.touch(mode=0o600, exist_ok=True)
    secret.write_text(passphrase + "\n", encoding="utf-8")
    return DemoKey(key_file, passphrase, key.key_id, provisioning_uri(totp, "DEMO"))


async def start_notice(
    store: Store, settings: Settings, keys: ServerKeys, now: datetime
) -> str | None:
    """What `tipline run` prints about the DEMO key: how to use a new one, and the warning
    on every start while one is active."""
    made = await ensure_demo_key(store, settings, keys, now)
    active = [k for k in await store.reviewer_keys() if k.demo]
    text = "" if made is None else announcement(made, settings)
    return text + WARNING if active else (text or None)


def announcement(demo: DemoKey, settings: Settings) -> str:
    """What `tipline run` prints when it made the demo key."""
    server = f"http://{settings.review_host}:{settings.review_port}"
    return (
        "\n"
        "  DEMO reviewer key created - for trying Tipline only, NOT for real reports.\n"
        f"  key file:   {demo.key_file}\n"
        f"  passphrase: {demo.passphrase}   (also in {demo.key_file.with_name(PASSPHRASE_FILE)})\n"
        f"  TOTP secret: {demo.totp_uri}\n"
        "  Add the TOTP secret to an authenticator app, send a report in the browser,\n"
        "  then read it with:\n"
        f"    .venv/bin/tipline review login --server {server} --key {demo.key_file}\n"
        f"    .venv/bin/tipline review next --key {demo.key_file}\n"
        "  For real use, start from an empty data directory and create reviewer keys\n"
        "  on the reviewers' own machines (tipline review keygen).\n"
    )
