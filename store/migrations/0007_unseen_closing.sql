-- A reporter never loses their receipt to a crash (issue 13, point 8).
--
-- The turn that seals a report also marks its closing message (the reference
-- and the receipt) as not yet seen, keyed by the conversation (the same keyed
-- hash as `drafts`). The channel clears the mark once it has shown the closing
-- (sent, printed, served). A reporter whose closing was lost to a crash finds
-- the mark on their next message and is given the reference again with a NEW
-- receipt, whose hash replaces the report's (`reissued` counts how often, so
-- two turns cannot both do it). No receipt and nothing the reporter wrote is
-- kept here: the reference, the conversation's language, and an expiry (the
-- ledger's, which already says "your report TL-... was sent" for as long).
CREATE TABLE unseen_closings (
    conversation BLOB    PRIMARY KEY,
    reference    TEXT    NOT NULL REFERENCES queue (reference) ON DELETE CASCADE,
    locale       TEXT    NOT NULL,
    reissued     INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX unseen_closings_reference ON unseen_closings (reference);
