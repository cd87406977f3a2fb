package io.edgewhisk.sync.state;

import io.edgewhisk.spi.PluginMigration;
import java.util.List;

/** The plugin's tables in the appliance's database, on its own migration track. */
public final class SyncSchema {
  private SyncSchema() {}

  public static List<PluginMigration> migrations() {
    return List.of(PluginMigration.sql(1, "sync checkpoints, fleet-owned entities and subjects, pull errors, status",
        // a feed's position: the JSON of an opaque sequence (string or number)
        "CREATE TABLE sync_checkpoint (feed TEXT PRIMARY KEY, seq TEXT NOT NULL, updated INTEGER NOT NULL)",
        // what pull applied, so that a deletion or a label change removes exactly these
        "CREATE TABLE sync_fleet_entity (doc_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
            + " rev TEXT, body TEXT)",
        "CREATE TABLE sync_fleet_subject (subject TEXT NOT NULL, namespace TEXT NOT NULL,"
            + " PRIMARY KEY (subject, namespace))",
        // documents that could not be applied: reported by id; retried when retry = 1
        "CREATE TABLE sync_pull_error (doc_id TEXT NOT NULL, feed TEXT NOT NULL, reason TEXT NOT NULL,"
            + " retry INTEGER NOT NULL, attempts INTEGER NOT NULL, updated INTEGER NOT NULL, PRIMARY KEY (feed, doc_id))",
        // local entities a central one replaced (the central one wins)
        "CREATE TABLE sync_replaced (name TEXT PRIMARY KEY, at INTEGER NOT NULL)",
        // the running plugin's last status, for `edgewhisk sync status` in another process
        "CREATE TABLE sync_status (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, updated INTEGER NOT NULL)"));
  }
}
