-- Reviewers work from their own machines (the reviewer API), and the audit log
-- covers every change to a report.

-- Reviewer accounts. `verify_key` is the Ed25519 key that checks login
-- signatures: NULL for keys registered before this migration, which cannot log
-- in until the admin enrols their bundle (`tipline admin reviewers add`, which
-- completes such a row). `totp_secret` is ciphertext made with the server's key.
-- `totp_last_step` makes each TOTP code good for one login. A DEMO key is the
-- one `tipline run` makes on a machine that serves only itself; the label is
-- the only mark older DEMO keys carry.
ALTER TABLE reviewer_keys ADD COLUMN verify_key BLOB;
ALTER TABLE reviewer_keys ADD COLUMN totp_secret BLOB;
ALTER TABLE reviewer_keys ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviewer_keys ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
ALTER TABLE reviewer_keys ADD COLUMN retired_at INTEGER;
UPDATE reviewer_keys SET demo = 1
WHERE label = 'DEMO key - for trying Tipline only, not for real reports';

-- A login: the SHA-256 of its bearer token, never the token; 8 hours.
CREATE TABLE reviewer_sessions (
    token_hash BLOB    PRIMARY KEY,
    key_id     TEXT    NOT NULL REFERENCES reviewer_keys (key_id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Who a report is sealed to (",id1,id2,": only they may list, claim or fetch
-- it), its evidence count (NULL: sealed before it was recorded), its case status
-- with its dates, and a retention hold.
ALTER TABLE queue ADD COLUMN recipients TEXT NOT NULL DEFAULT ',';
ALTER TABLE queue ADD COLUMN evidence_count INTEGER;
ALTER TABLE queue ADD COLUMN case_status TEXT NOT NULL DEFAULT 'received'
    CHECK (case_status IN ('received', 'acknowledged', 'in_review', 'referred', 'closed'));
ALTER TABLE queue ADD COLUMN referred_to TEXT;
ALTER TABLE queue ADD COLUMN outcome TEXT;
ALTER TABLE queue ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE queue ADD COLUMN closed_at INTEGER;
ALTER TABLE queue ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));

-- Reports queued before this migration: their recipients come from the clear
-- header of their envelope (TLE1: magic, a 4-byte big-endian header length,
-- the JSON header; handoff/ENVELOPE.md). A header is far below 64 KiB, so its
-- length is the last two bytes of the four.
UPDATE queue SET recipients = coalesce((
    SELECT ',' || group_concat(j.value, ',') || ','
    FROM (SELECT CAST(substr(queue.envelope, 9,
                 (instr('0123456789ABCDEF', substr(h, 5, 1)) - 1) * 4096
               + (instr('0123456789ABCDEF', substr(h, 6, 1)) - 1) * 256
               + (instr('0123456789ABCDEF', substr(h, 7, 1)) - 1) * 16
               + (instr('0123456789ABCDEF', substr(h, 8, 1)) - 1)) AS TEXT) AS header
          FROM (SELECT hex(substr(queue.envelope, 5, 4)) AS h)) AS parsed,
         json_each(CASE WHEN substr(queue.envelope, 1, 4) = CAST('TLE1' AS BLOB)
                         AND json_valid(parsed.header)
                        THEN json_extract(parsed.header, '$.recipients') END) AS j
), ',');

-- A reviewer's queue page: the open reports (not both done and closed), urgent
-- first, then oldest; a partial index, so years of finished reports cost nothing.
CREATE INDEX queue_open_order ON queue (priority DESC, sealed_at)
WHERE status <> 'done' OR case_status <> 'closed';
-- Retention: closed reports by the time they were closed.
CREATE INDEX queue_closed ON queue (closed_at) WHERE case_status = 'closed';

-- Reviewers' notes: sealed on the workstation to every reviewer key; the
-- server keeps ciphertext it cannot open. They go with their report.
CREATE TABLE notes (
    id        INTEGER PRIMARY KEY,
    reference TEXT    NOT NULL REFERENCES queue (reference) ON DELETE CASCADE,
    author    TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    envelope  BLOB    NOT NULL
);
CREATE INDEX notes_reference ON notes (reference);

-- The audit chain becomes keyless (SHA-256, handoff/audit.py), so a reviewer's
-- workstation can check it without the server's secret. Entries written before
-- keep their HMAC and are marked 'hmac-v1': a verifier checks their links, and
-- the first keyless entry links to the last of them. New entries name their
-- scheme explicitly.
ALTER TABLE audit ADD COLUMN scheme TEXT NOT NULL DEFAULT 'hmac-v1';
