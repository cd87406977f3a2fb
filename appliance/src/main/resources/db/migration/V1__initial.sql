-- EdgeWhisk's state, version 1.

-- Actions, packages, triggers and rules, in one table because their names are unique across the four
-- types (as OpenWhisk's document ids are). id is the fully qualified name: ns/name or ns/pkg/name.
-- document is the entity's OpenWhisk JSON. origin says who owns the entity: 'local' for one made on this
-- device, 'fleet' for one fleet sync pulled from the central cluster (and may overwrite or remove).
CREATE TABLE entities (
  id TEXT PRIMARY KEY NOT NULL,
  namespace TEXT NOT NULL,
  package TEXT,
  name TEXT NOT NULL,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('action', 'package', 'trigger', 'rule')),
  version TEXT NOT NULL,
  publish INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  origin TEXT NOT NULL DEFAULT 'local',
  document TEXT NOT NULL
);
CREATE INDEX entities_by_type ON entities (namespace, entity_type, updated DESC);
CREATE INDEX entities_by_package ON entities (namespace, package, entity_type, updated DESC);

-- Activation records. qualified_name is the action's name with its package (pkg/name), taken from the
-- path annotation without the namespace, so that listing by either name form uses an index.
CREATE TABLE activations (
  activation_id TEXT PRIMARY KEY NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX activations_by_start ON activations (namespace, start DESC);
CREATE INDEX activations_by_name ON activations (namespace, name, start DESC);
CREATE INDEX activations_by_qualified_name ON activations (namespace, qualified_name, start DESC);

-- Namespaces, the subjects that own them, their uuid:key credentials and their own limits (OpenWhisk's
-- limits JSON; a missing field means the system default).
CREATE TABLE namespaces (
  namespace TEXT PRIMARY KEY NOT NULL,
  subject TEXT NOT NULL,
  uuid TEXT NOT NULL UNIQUE,
  key TEXT NOT NULL,
  limits TEXT NOT NULL DEFAULT '{}',
  blocked INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL
);

-- A counter bumped by every change to namespaces, whoever makes it (the server or the admin CLI), so that
-- the server's credential cache can tell with one cheap query that it must reload.
CREATE TABLE namespace_changes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  counter INTEGER NOT NULL
);
INSERT INTO namespace_changes (id, counter) VALUES (1, 0);
CREATE TRIGGER namespaces_inserted AFTER INSERT ON namespaces
BEGIN
  UPDATE namespace_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER namespaces_updated AFTER UPDATE ON namespaces
BEGIN
  UPDATE namespace_changes SET counter = counter + 1 WHERE id = 1;
END;
CREATE TRIGGER namespaces_deleted AFTER DELETE ON namespaces
BEGIN
  UPDATE namespace_changes SET counter = counter + 1 WHERE id = 1;
END;
