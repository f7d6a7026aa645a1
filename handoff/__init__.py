"""Sealing (HPKE), receipts, the audit chain and the reviewer's workstation tools.

Import the public API from here; the modules are the implementation.
"""

from handoff.audit import AuditHead, AuditMac, audit_head, verify_chain
from handoff.envelope import (
    EnvelopeHeader,
    OpenedBody,
    open_envelope,
    open_sealed,
    read_header,
    seal,
)
from handoff.evidence import OpenedFile, save_files
from handoff.keys import (
    ReviewerPrivateKey,
    hpke_public,
    load_private_key,
    reviewer_key_record,
    save_private_key,
)
from handoff.receipts import new_receipt, new_reference, normalize_receipt, receipt_hash
from handoff.reviewer import (
    OpenedReport,
    claim_next,
    finish,
    open_claimed,
    register_new_key,
    release,
    render_json,
    render_text,
    verify_audit,
)

__all__ = [
    "AuditHead",
    "AuditMac",
    "EnvelopeHeader",
    "OpenedBody",
    "OpenedFile",
    "OpenedReport",
    "ReviewerPrivateKey",
    "audit_head",
    "claim_next",
    "finish",
    "hpke_public",
    "load_private_key",
    "new_receipt",
    "new_reference",
    "normalize_receipt",
    "open_claimed",
    "open_envelope",
    "open_sealed",
    "read_header",
    "receipt_hash",
    "register_new_key",
    "release",
    "render_json",
    "render_text",
    "reviewer_key_record",
    "save_files",
    "save_private_key",
    "seal",
    "verify_audit",
    "verify_chain",
]
