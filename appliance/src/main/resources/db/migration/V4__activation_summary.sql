-- The summary of each activation record (OpenWhisk's list view: the record without response and logs,
-- with statusCode), so that listing never reads the documents, whose logs may be megabytes. Rows stored
-- before this migration have none; they are listed from their document (see SqliteActivationStore).
ALTER TABLE activations ADD COLUMN summary TEXT;
