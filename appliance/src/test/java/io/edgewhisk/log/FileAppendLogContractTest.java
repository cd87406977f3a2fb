package io.edgewhisk.log;

import static io.edgewhisk.log.LogTesting.await;

/** The contract, on disk; a restart closes the log and opens it again. */
class FileAppendLogContractTest extends AppendLogContractTest {
  @Override
  AppendLog open(LogConfig config) {
    return await(FileAppendLog.open(vertx, config, LogFiles.standard(), clock));
  }

  @Override
  AppendLog restart(AppendLog log, LogConfig config) {
    await(log.close());
    return open(config);
  }
}
