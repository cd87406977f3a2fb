-- EdgeWhisk's state, version 2: the schedules of the built-in /whisk.system/alarms feeds.

-- One row per trigger that an alarm feed fires, keyed by the trigger's ns/name. namespace owns the trigger
-- and is whose identity fires it. kind is the feed; spec its schedule: the cron pattern, the minutes of an
-- interval, or the epoch ms of a fire-once date. Dates are epoch ms. config is the feed's configuration as
-- the user gave it (for READ); disabled is the JSON reason the scheduler stopped the alarm, or NULL.
-- revision grows with each change a user makes; next_fire is NULL when nothing is due.
CREATE TABLE alarms (
  trigger_id TEXT PRIMARY KEY NOT NULL,
  namespace TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cron', 'once', 'interval')),
  spec TEXT NOT NULL,
  timezone TEXT,
  payload TEXT NOT NULL,
  start_date INTEGER,
  stop_date INTEGER,
  max_triggers INTEGER NOT NULL DEFAULT -1,
  delete_after_fire TEXT NOT NULL DEFAULT 'false',
  config TEXT NOT NULL,
  fire_count INTEGER NOT NULL DEFAULT 0,
  paused INTEGER NOT NULL DEFAULT 0,
  disabled TEXT,
  status_changed INTEGER NOT NULL,
  next_fire INTEGER,
  revision INTEGER NOT NULL
);
CREATE INDEX alarms_by_namespace ON alarms (namespace);
