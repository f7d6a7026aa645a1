"""Sealing and its formats, shared by the server and the reviewer's workstation.

The server seals reports to reviewers' public keys (`seal`), hashes receipts
and chains the audit log; the workstation (`handoff.workstation`, which imports
no server code) opens envelopes with a private key and checks the chain. No
module here holds a secret: keys come in as arguments.
"""

from handoff.audit import AuditHead, AuditMac, AuditRecord, audit_head, verify_chain
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

__all__ = [
    "EXTENSIONS",
    "AuditHead",
    "AuditMac",
    "AuditRecord",
    "EnvelopeHeader",
    "OpenedBody",
    "PublicKey",
    "Recipient",
    "audit_head",
    "hpke_public",
    "key_id_of",
    "new_receipt",
    "new_reference",
    "normalize_receipt",
    "open_envelope",
    "open_sealed",
    "read_header",
    "receipt_hash",
    "seal",
    "verify_chain",
]
