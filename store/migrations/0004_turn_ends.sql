-- One statement for the turns of a batch that end a draft (sealed or cancelled),
-- like `turn_writes` for plain turns (0003). Each row checks the draft's
-- version and the message's ledger row, deletes the draft and its files,
-- stores the reply, and queues the sealed report and its audit entry, whose
-- seq and MACs the committer chains in Python inside the same transaction.
-- A failed check or a clash (a reference or receipt taken) aborts the whole
-- statement; the committer then takes those turns one by one.
CREATE VIEW turn_ends (conversation, expected_version, ledger_key, reply, ledger_expires_at,
                       now, reference, envelope, priority, sealed_at, receipt_hash, script_id,
                       script_version, audit_seq, audit_at, audit_event, audit_prev_mac,
                       audit_mac) AS
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL
    WHERE 0;

CREATE TRIGGER turn_ends_insert INSTEAD OF INSERT ON turn_ends
BEGIN
    -- version 0: no live draft (an expired row goes, files and all); otherwise the
    -- live row must still be at the version the turn read.
    SELECT RAISE(ABORT, 'tipline: the draft changed')
    WHERE CASE WHEN NEW.expected_version = 0
               THEN EXISTS (SELECT 1 FROM drafts WHERE conversation = NEW.conversation
                            AND expires_at > NEW.now)
               ELSE NOT EXISTS (SELECT 1 FROM drafts WHERE conversation = NEW.conversation
                                AND version = NEW.expected_version AND expires_at > NEW.now)
          END;
    SELECT RAISE(ABORT, 'tipline: the message was handled')
    WHERE EXISTS (SELECT 1 FROM ledger WHERE key = NEW.ledger_key AND expires_at > NEW.now);
    DELETE FROM attachments WHERE conversation = NEW.conversation;
    DELETE FROM drafts WHERE conversation = NEW.conversation;
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
