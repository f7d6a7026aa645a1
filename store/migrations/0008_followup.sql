-- Anonymous follow-up (issue 15): the receipt opens a sealed, two-way thread.
-- (Another branch may also add a 0007: whoever merges second renumbers this file.)

-- The public half of the key pair derived from the receipt (handoff/reporter.py):
-- ML-KEM-768 public ‖ X25519 public, 1,216 bytes. NULL for reports sealed before
-- this version: their reporters can add information but receive no messages.
ALTER TABLE queue ADD COLUMN reporter_public BLOB;
-- When the receipt was last used (NULL: never since sealing). A receipt opens
-- its case only until TIPLINE_RECEIPT_TTL_DAYS after its last use (or sealing),
-- and not at all once retention has deleted the case.
ALTER TABLE queue ADD COLUMN receipt_used_at INTEGER;

-- The thread: sealed messages both ways. A reviewer's message ('to_reporter') is
-- sealed on the workstation to the reporter's key and the reviewer keys; what the
-- reporter adds ('from_reporter') is sealed on the server to the reviewer keys.
-- The server can open neither. `created_at` and `read_at` are kept to the minute.
-- `author` is a reviewer key id (NULL for the reporter). A case whose newest
-- message is 'to_reporter' has an unanswered question.
CREATE TABLE thread (
    id         INTEGER PRIMARY KEY,
    reference  TEXT    NOT NULL REFERENCES queue (reference) ON DELETE CASCADE,
    direction  TEXT    NOT NULL CHECK (direction IN ('to_reporter', 'from_reporter')),
    author     TEXT,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    envelope   BLOB    NOT NULL
);
CREATE INDEX thread_by_case ON thread (reference, id);

-- Wrong receipts: a counter per scope, the conversation's keyed hash (as in
-- `drafts`) or x'' for all conversations together. No receipt, no text: only
-- how many failed since `first_at` and when the last one was.
CREATE TABLE receipt_attempts (
    scope    BLOB    PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures > 0),
    first_at INTEGER NOT NULL,
    last_at  INTEGER NOT NULL
) WITHOUT ROWID;
