"""Sealing and its formats, shared by the server and the reviewer's workstation.

The server seals reports to reviewers' public keys (`seal`), hashes receipts
and chains the audit log; the workstation (`handoff.workstation`, which imports
no server code) opens envelopes with a private key, checks the chain and
replays it against the queue (`handoff.cases`). No module here holds a secret:
keys come in as arguments.
"""

from handoff.audit import (
    GENESIS,
    LEGACY_SCHEME,
    SCHEME,
    AuditHash,
    AuditHead,
    AuditRecord,
    audit_head,
    legacy_count,
    verify_chain,
)
from handoff.bundle import PublicBundle, login_message, read_bundle, verify_login, write_bundle
from handoff.cases import (
    CASE_STATUSES,
    OUTCOMES,
    REFERRALS,
    CaseState,
    audit_problems,
    compare,
    event_for,
    replay,
)
from handoff.envelope import (
    EnvelopeHeader,
    OpenedBody,
    open_envelope,
    open_sealed,
    read_header,
    seal,
)
from handoff.evidence import EXTENSIONS
from handoff.keys import PublicKey, Recipient, hpke_public, key_id_of
from handoff.receipts import new_receipt, new_reference, normalize_receipt, receipt_hash
from handoff.reporter import ReporterKey, ReporterPublic, reporter_key
from handoff.thread import Direction, OpenedMessage, open_message, seal_message

__all__ = [
    "CASE_STATUSES",
    "EXTENSIONS",
    "GENESIS",
    "LEGACY_SCHEME",
    "OUTCOMES",
    "REFERRALS",
    "SCHEME",
    "AuditHash",
    "AuditHead",
    "AuditRecord",
    "CaseState",
    "Direction",
    "EnvelopeHeader",
    "OpenedBody",
    "OpenedMessage",
    "PublicBundle",
    "PublicKey",
    "Recipient",
    "ReporterKey",
    "ReporterPublic",
    "audit_head",
    "audit_problems",
    "compare",
    "event_for",
    "hpke_public",
    "key_id_of",
    "legacy_count",
    "login_message",
    "new_receipt",
    "new_reference",
    "normalize_receipt",
    "open_envelope",
    "open_message",
    "open_sealed",
    "read_bundle",
    "read_header",
    "receipt_hash",
    "replay",
    "reporter_key",
    "seal",
    "seal_message",
    "verify_chain",
    "verify_login",
    "write_bundle",
]
