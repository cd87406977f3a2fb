/**
 * The embedded append-only log that carries EdgeWhisk's work (topics {@code invoke},
 * {@code activations}, ...), while SQLite keeps state.
 *
 * <p>Use {@link io.edgewhisk.log.AppendLog}: {@link io.edgewhisk.log.FileAppendLog#open} in the
 * appliance (settings from {@code edgewhisk.log}, read with {@link io.edgewhisk.log.LogConfig#from}),
 * {@link io.edgewhisk.log.InMemoryAppendLog} in unit tests of other parts. A non-blocking invocation
 * appends to {@link io.edgewhisk.log.Topic#INVOKE} with {@code durable = true} and answers 202 when the
 * future succeeds; a consumer (the invoker, fleet sync) calls
 * {@link io.edgewhisk.log.AppendLog#subscribe} and dedupes redeliveries by activation id.
 *
 * <p>On disk: {@code <dir>/<topic>/<base offset, 20 digits>.seg} files of records (length, CRC32C,
 * offset, timestamp, value), {@code <dir>/<topic>/consumers} with committed offsets, {@code <dir>/.lock}.
 * One writer thread per log does all writes with group commit; reads run on Vert.x worker threads.
 *
 * <p>Benchmark (not a test): {@code mvn -q -pl appliance -am test-compile}, then
 * {@code mvn -q -pl appliance dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test}, then, in {@code appliance/},
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.edgewhisk.log.LogBenchmark
 * /var/tmp 5} (directory on the disk to measure, seconds per phase).
 */
package io.edgewhisk.log;
