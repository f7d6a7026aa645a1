-- A stored reply lives only as long as its draft (issue 13, point 1).
--
-- A reply is keyed by a keyed hash of (channel, chat, message id); Telegram's
-- message ids are small sequential numbers, so whoever holds the server secret
-- and this file could find a conversation's replies by trying chat ids × message
-- ids, and read the read-back and the closing message with the receipt. Now each
-- reply names its draft's conversation (the same keyed hash as `drafts`), and
-- the turn that seals, cancels or restarts a draft deletes its replies (as
-- `sweep` does for an expired draft). The reply of the turn that ended a draft
-- holds no content ("your report was sent") and names no conversation.
--
-- Replies stored before this version name no draft, so they could outlive it:
-- they are deleted. A message sent before the upgrade and delivered again after
-- it is then taken as a new message (Telegram redelivers only unanswered ones).
DELETE FROM ledger;
ALTER TABLE ledger ADD COLUMN conversation BLOB;
CREATE INDEX ledger_conversation ON ledger (conversation) WHERE conversation IS NOT NULL;
