-- One statement for a whole batch of plain turns (a new draft version and a
-- ledger row each): the group committer inserts one row per turn into this
-- view, and the trigger does the version check, the ledger check and both
-- writes. Run outside BEGIN, the statement is its own durable transaction, and
-- SQLite runs all of it — commit and fsync included — in one call, during
-- which Python's write thread holds no GIL. Any check that fails aborts the
-- whole statement (nothing written); the committer then takes those turns one
-- by one, where each conflict is reported to its own turn.
CREATE VIEW turn_writes (conversation, blob, version, expires_at, ledger_key, reply,
                         ledger_expires_at, now) AS
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER turn_writes_insert INSTEAD OF INSERT ON turn_writes
BEGIN
    -- version 1: a new draft, where there is no row at all (an expired row has
    -- files to drop: that turn goes the long way); otherwise the live row must
    -- still be at the version the turn read.
    SELECT RAISE(ABORT, 'tipline: the draft changed')
    WHERE CASE WHEN NEW.version = 1
               THEN EXISTS (SELECT 1 FROM drafts WHERE conversation = NEW.conversation)
               ELSE NOT EXISTS (SELECT 1 FROM drafts WHERE conversation = NEW.conversation
                                AND version = NEW.version - 1 AND expires_at > NEW.now)
          END;
    SELECT RAISE(ABORT, 'tipline: the message was handled')
    WHERE EXISTS (SELECT 1 FROM ledger WHERE key = NEW.ledger_key AND expires_at > NEW.now);
    INSERT INTO drafts (conversation, blob, version, expires_at)
    VALUES (NEW.conversation, NEW.blob, NEW.version, NEW.expires_at)
    ON CONFLICT (conversation) DO UPDATE
    SET blob = excluded.blob, version = excluded.version, expires_at = excluded.expires_at;
    INSERT INTO ledger (key, reply, expires_at)
    VALUES (NEW.ledger_key, NEW.reply, NEW.ledger_expires_at)
    ON CONFLICT (key) DO UPDATE SET reply = excluded.reply, expires_at = excluded.expires_at;
END;
