-- One statement for a whole batch of turns: the group committer inserts one row
-- per turn into this view, and the trigger checks the turn's draft version and
-- ledger row and writes it. Run outside BEGIN, the statement is its own durable
-- transaction, and SQLite runs all of it — commit and fsync included — in one
-- call, during which Python's write thread holds no GIL. Any check that fails
-- (or a sealed report's reference or receipt already taken) aborts the whole
-- statement, nothing written; the committer then takes those turns one by one.
--
-- A row with a `blob` is a new draft version (`expected` + 1). A row without
-- one ends the draft (sealed or cancelled): draft and files go, and a sealed
-- report is queued with its audit entry, whose seq and MACs the committer has
-- chained in Python (a seq already taken aborts the statement, like any check).
CREATE VIEW turn_writes (conversation, blob, expected, expires_at, ledger_key, reply,
                         ledger_expires_at, now, reference, envelope, priority, sealed_at,
                         receipt_hash, script_id, script_version, audit_seq, audit_at,
                         audit_event, audit_prev_mac, audit_mac) AS
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL
    WHERE 0;

CREATE TRIGGER turn_writes_insert INSTEAD OF INSERT ON turn_writes
BEGIN
    -- Expecting no draft: a new draft needs no row at all (an expired row has
    -- files to drop: that turn goes the long way); an ending needs no live row.
    -- Otherwise the live row must still be at the version the turn read.
    SELECT RAISE(ABORT, 'tipline: the draft changed')
    WHERE CASE WHEN NEW.expected = 0
               THEN EXISTS (SELECT 1 FROM drafts WHERE conversation = NEW.conversation
                            AND (NEW.blob IS NOT NULL OR expires_at > NEW.now))
               ELSE NOT EXISTS (SELECT 1 FROM drafts WHERE conversation = NEW.conversation
                                AND version = NEW.expected AND expires_at > NEW.now)
          END;
    SELECT RAISE(ABORT, 'tipline: the message was handled')
    WHERE EXISTS (SELECT 1 FROM ledger WHERE key = NEW.ledger_key AND expires_at > NEW.now);
    DELETE FROM attachments WHERE NEW.blob IS NULL AND conversation = NEW.conversation;
    DELETE FROM drafts WHERE NEW.blob IS NULL AND conversation = NEW.conversation;
    INSERT INTO drafts (conversation, blob, version, expires_at)
    SELECT NEW.conversation, NEW.blob, NEW.expected + 1, NEW.expires_at
    WHERE NEW.blob IS NOT NULL
    ON CONFLICT (conversation) DO UPDATE
    SET blob = excluded.blob, version = excluded.version, expires_at = excluded.expires_at;
    INSERT INTO ledger (key, reply, expires_at)
    VALUES (NEW.ledger_key, NEW.reply, NEW.ledger_expires_at)
    ON CONFLICT (key) DO UPDATE SET reply = excluded.reply, expires_at = excluded.expires_at;
    INSERT INTO queue (reference, envelope, priority, sealed_at, status, receipt_hash,
                       script_id, script_version)
    SELECT NEW.reference, NEW.envelope, NEW.priority, NEW.sealed_at, 'queued',
           NEW.receipt_hash, NEW.script_id, NEW.script_version
    WHERE NEW.reference IS NOT NULL;
    INSERT INTO audit (seq, at, event, reference, actor, prev_mac, mac)
    SELECT NEW.audit_seq, NEW.audit_at, NEW.audit_event, NEW.reference, NULL,
           NEW.audit_prev_mac, NEW.audit_mac
    WHERE NEW.audit_event IS NOT NULL;
END;
