package io.edgewhisk.log;

/** The contract, in memory. */
class InMemoryAppendLogTest extends AppendLogContractTest {
  @Override
  AppendLog open(LogConfig config) {
    return new InMemoryAppendLog(vertx, config, clock);
  }

  @Override
  AppendLog restart(AppendLog log, LogConfig config) {
    return log;
  }
}
