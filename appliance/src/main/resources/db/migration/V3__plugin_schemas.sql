-- EdgeWhisk's state, version 3: plugins' own schema versions. Each plugin (alarms, mqtt, sync) has a version
-- track of its own; its tables are named <plugin>_... and made by the plugin's migrations, not these.
CREATE TABLE plugin_schema_version (
  plugin TEXT NOT NULL,
  version INTEGER NOT NULL,
  description TEXT NOT NULL,
  applied INTEGER NOT NULL,
  PRIMARY KEY (plugin, version)
);
