"""Store fixtures: every contract test runs once per backend in `BACKENDS`.

Adding a backend is one line in `BACKENDS`: a name and a function that builds an
unopened store from a scratch directory and the audit signer.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handoff import SCHEME, AuditHash
from store import AuditSigner, SealedReport, SqliteStore, Store, TurnCommit

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DRAFT_TTL = timedelta(days=7)
LEDGER_TTL = timedelta(days=2)

BackendFactory = Callable[[Path, AuditSigner], Store]

BACKENDS: dict[str, BackendFactory] = {
    "sqlite": lambda tmp, signer: SqliteStore(tmp / "tipline.db", signer),
}


class ChainSigner:
    """The audit chain's own hash (handoff.AuditHash) with a genesis the test chooses."""

    scheme = SCHEME

    def __init__(self, genesis: bytes = bytes(32)) -> None:
        self.genesis = genesis  # the first entry's prev_mac; zeros, like `AuditHash`

    def __call__(  # noqa: PLR0917 -- the AuditSigner protocol is positional
        self,
        seq: int,
        at: datetime,
        event: str,
        reference: str | None,
        actor: str | None,
        prev_mac: bytes,
    ) -> bytes:
        return AuditHash()(seq, at, event, reference, actor, prev_mac)


@pytest.fixture
def signer(request: pytest.FixtureRequest) -> ChainSigner:
    """The test signer; `parametrize("signer", [genesis], indirect=True)` sets its genesis."""
    return ChainSigner(getattr(request, "param", bytes(32)))


@pytest.fixture(params=sorted(BACKENDS))
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, signer: ChainSigner
) -> AsyncIterator[Store]:
    backend = BACKENDS[request.param](tmp_path, signer)
    await backend.open()
    try:
        yield backend
    finally:
        await backend.close()


@pytest.fixture
async def other(
    request: pytest.FixtureRequest, store: Store, tmp_path: Path, signer: ChainSigner
) -> AsyncIterator[Store]:
    """A second store on the same database as `store`: another process's view."""
    backend = BACKENDS[request.node.callspec.params["store"]](tmp_path, signer)
    await backend.open()
    try:
        yield backend
    finally:
        await backend.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tipline.db"


def conversation_id(n: int) -> bytes:
    """A stand-in for HMAC(server key, channel + chat id): 32 opaque bytes."""
    return hashlib.sha256(b"conversation:%d" % n).digest()


def ledger_key(n: int) -> bytes:
    return hashlib.sha256(b"message:%d" % n).digest()


def turn(
    conversation: bytes,
    message: int,
    *,
    expected_version: int = 0,
    draft: bytes | None = b"draft-ciphertext",
    now: datetime = NOW,
    reply: bytes = b"reply-ciphertext",
    sealed: SealedReport | None = None,
    audit_event: str | None = None,
    forget_replies: bool = False,
) -> TurnCommit:
    """A TurnCommit with the usual expiries, for `message` number `message`."""
    return TurnCommit(
        conversation=conversation,
        expected_version=expected_version,
        draft=draft,
        expires_at=None if draft is None else now + DRAFT_TTL,
        ledger_key=ledger_key(message),
        ledger_reply=reply,
        ledger_expires_at=now + LEDGER_TTL,
        sealed=sealed,
        audit_event=audit_event,
        forget_replies=forget_replies,
    )


REVIEWERS = ("rev-a", "rev-b", "k1")


def sealed_report(
    reference: str,
    *,
    priority: int = 0,
    sealed_at: datetime = NOW,
    envelope: bytes = b"env",
    recipients: tuple[str, ...] = REVIEWERS,
) -> SealedReport:
    return SealedReport(
        reference=reference,
        envelope=envelope,
        priority=priority,
        sealed_at=sealed_at,
        receipt_hash=hashlib.sha256(b"receipt:" + reference.encode()).digest(),
        script_id="police-misconduct",
        script_version="3",
        recipients=recipients,
    )
