-- Evidence files of drafts in progress.
-- `conversation` is the draft's key (a keyed hash, never a chat id); `id` is a
-- random file id; `blob` is AEAD ciphertext made by the caller with the server
-- draft key, bound to (conversation, id). A file lives exactly as long as its
-- draft: the turn that seals, cancels or restarts the draft deletes its files
-- in the same transaction, and `sweep` deletes files whose draft is gone
-- (secure_delete overwrites them).
CREATE TABLE attachments (
    conversation BLOB NOT NULL,
    id           TEXT NOT NULL,
    blob         BLOB NOT NULL,
    PRIMARY KEY (conversation, id)
);  -- a rowid table: rows of megabytes do not suit WITHOUT ROWID
