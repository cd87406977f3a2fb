package io.edgewhisk;

import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.invoker.InvokerConfig;
import io.edgewhisk.log.LogConfig;

/**
 * The limits that must agree with each other: every activation record within the action limits (the
 * largest logs and result) must fit the embedded log's largest record, or records would have to be cut
 * to reach the {@code activations} topic. Checked once at start, naming the key to change.
 */
final class RecordLimits {
  /** Room for everything of a record besides logs and result (annotations, ids, JSON quoting of log lines). */
  static final long RECORD_OVERHEAD_BYTES = 2L * 1024 * 1024;

  private RecordLimits() {}

  static void check(ApplianceConfig config, InvokerConfig invoker, LogConfig log) {
    long largest = config.actionLimits().maxLogs() * 1024L * 1024L + invoker.maxResultBytes() + RECORD_OVERHEAD_BYTES;
    if (log.maxRecordBytes() < largest) {
      throw new ConfigException.BadValue("edgewhisk.log.max-record-bytes", "is " + log.maxRecordBytes()
          + " bytes, smaller than the largest activation record the action limits allow (" + largest + " bytes: "
          + "action-limits.logs.max + invoker.max-result-bytes + 2 MiB); raise it or lower those");
    }
  }
}
