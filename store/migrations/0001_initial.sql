-- Tipline's first schema.
-- Every datetime is INTEGER microseconds since the Unix epoch, UTC.
-- The store only ever holds keyed hashes and ciphertext made by the caller.

-- One live draft per conversation. `conversation` is HMAC(server key, channel +
-- chat id), never a raw chat id; `blob` is AEAD ciphertext; `version` is bumped
-- on every write so concurrent writers are caught (compare-and-swap).
CREATE TABLE drafts (
    conversation BLOB    PRIMARY KEY,
    blob         BLOB    NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    expires_at   INTEGER NOT NULL
);
CREATE INDEX drafts_expires_at ON drafts (expires_at);

-- Replies already sent, keyed by a keyed hash of (channel, chat, message id),
-- so a redelivered message gets the same reply instead of a second step.
CREATE TABLE ledger (
    key        BLOB    PRIMARY KEY,
    reply      BLOB    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX ledger_expires_at ON ledger (expires_at);

-- Every script version a conversation may still be on.
CREATE TABLE scripts (
    script_id TEXT NOT NULL,
    version   TEXT NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (script_id, version)
);

-- Reviewers' public keys: both halves of the hybrid MLKEM768-X25519 key, raw.
CREATE TABLE reviewer_keys (
    key_id        TEXT    PRIMARY KEY,
    mlkem_public  BLOB    NOT NULL,
    x25519_public BLOB    NOT NULL,
    label         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- Sealed reports waiting for, or taken by, a reviewer. A claim is a lease:
-- once `lease_until` passes, the report may be claimed again.
CREATE TABLE queue (
    reference      TEXT    NOT NULL UNIQUE,
    envelope       BLOB    NOT NULL,
    priority       INTEGER NOT NULL CHECK (priority IN (0, 1)),
    sealed_at      INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'queued'
                           CHECK (status IN ('queued', 'claimed', 'done')),
    claimed_by     TEXT,
    lease_until    INTEGER,
    receipt_hash   BLOB    NOT NULL UNIQUE,
    script_id      TEXT    NOT NULL,
    script_version TEXT    NOT NULL,
    CHECK (status <> 'claimed' OR (claimed_by IS NOT NULL AND lease_until IS NOT NULL)),
    CHECK (status <> 'queued' OR (claimed_by IS NULL AND lease_until IS NULL))
);
-- The claim order: urgent first, then oldest (rowid breaks ties).
CREATE INDEX queue_claim_order ON queue (status, priority DESC, sealed_at);

-- Hash-chained audit trail: seq n carries the mac of seq n-1. Append-only.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY CHECK (seq > 0),
    at        INTEGER NOT NULL,
    event     TEXT    NOT NULL,
    reference TEXT,
    actor     TEXT,
    prev_mac  BLOB    NOT NULL,
    mac       BLOB    NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
