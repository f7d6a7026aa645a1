"""The reviewer's workstation: private keys, decrypting, evidence files, the `tipline review` CLI.

This side of the trust boundary imports no server code (no `bot`, no `store`,
no server secret: import-linter holds this). It reaches the server only over
the reviewer API (`HttpQueue`, the `ReviewQueue` protocol) and opens what it
is handed with a key that never leaves this machine.
"""

from handoff.workstation.files import OpenedFile, matched_files, save_files
from handoff.workstation.keyfile import (
    DEFAULT_SCRYPT_N,
    MIN_PASSPHRASE,
    ReviewerPrivateKey,
    load_private_key,
    save_private_key,
)
from handoff.workstation.queue import (
    OpenedReport,
    QueuedEnvelope,
    ReportMeta,
    ReviewQueue,
    claim_next,
    open_reference,
    open_report,
    open_sealed_report,
)
from handoff.workstation.render import render_json, render_text

__all__ = [
    "DEFAULT_SCRYPT_N",
    "MIN_PASSPHRASE",
    "OpenedFile",
    "OpenedReport",
    "QueuedEnvelope",
    "ReportMeta",
    "ReviewQueue",
    "ReviewerPrivateKey",
    "claim_next",
    "load_private_key",
    "matched_files",
    "open_reference",
    "open_report",
    "open_sealed_report",
    "render_json",
    "render_text",
    "save_files",
    "save_private_key",
]
