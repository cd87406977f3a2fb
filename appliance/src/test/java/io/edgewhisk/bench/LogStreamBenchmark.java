package io.edgewhisk.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How late a container's output reaches the invoker through Podman's REST API: the log stream
 * ({@code GET /containers/{id}/logs?follow=true}, what the invoker follows for the activation-log
 * sentinels) against the attach stream ({@code POST /containers/{id}/attach?stream=true}), both read
 * with docker-java at once from one container that prints its clock on stdout and stderr every 97 ms.
 * Not a test (no assertions, not run by Maven): a program for {@code packaging/bench.sh}, or by hand:
 *
 * <pre>
 *   java -cp "packaging/target/edgewhisk/lib/*:appliance/target/test-classes" \
 *       io.edgewhisk.bench.LogStreamBenchmark [seconds] [image] [label=value]
 * </pre>
 *
 * Prints one {@code BENCH_STREAM key=value ...} line per stream (lags in ms). The container carries the
 * given label (bench.sh's cleanup finds it by that) and is removed at the end.
 */
public final class LogStreamBenchmark {
  private static final String SOCKET = "unix:///run/podman/podman.sock";
  private static final String PRINTER =
      "setInterval(() => { console.log('T ' + Date.now()); console.error('T ' + Date.now()); }, 97)";

  private LogStreamBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    String image = args.length > 1 ? args[1] : "localhost/edgewhisk/action-nodejs:latest";
    String[] label = (args.length > 2 ? args[2] : "edgewhisk.bench=log-stream").split("=", 2);
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(SOCKET).withApiVersion("1.41").build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
    try (DockerClient client = DockerClientImpl.getInstance(config, http)) {
      String id = client.createContainerCmd(image)
          .withEntrypoint("node")
          .withCmd("-e", PRINTER)
          .withLabels(Map.of(label[0], label.length > 1 ? label[1] : ""))
          .exec().getId();
      try {
        client.startContainerCmd(id).exec();
        List<Long> followed = new ArrayList<>();
        List<Long> attached = new ArrayList<>();
        Closeable logs = client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
            .withTail(0).exec(collector(followed));
        Closeable attach = client.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
            .withLogs(false).exec(collector(attached));
        Thread.sleep(seconds * 1000L);
        logs.close();
        attach.close();
        print("logs-follow", followed);
        print("attach", attached);
      } finally {
        client.removeContainerCmd(id).withForce(true).exec();
      }
    }
  }

  /** Records, for each "T millis" line, how many ms after it was printed it arrived here. */
  private static ResultCallback.Adapter<Frame> collector(List<Long> lags) {
    return new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        long now = System.currentTimeMillis();
        for (String line : new String(frame.getPayload(), StandardCharsets.UTF_8).split("\n")) {
          if (line.startsWith("T ")) {
            synchronized (lags) {
              lags.add(now - Long.parseLong(line.substring(2).strip()));
            }
          }
        }
      }
    };
  }

  private static void print(String stream, List<Long> lags) {
    List<Long> sorted;
    synchronized (lags) {
      sorted = new ArrayList<>(lags);
    }
    sorted.sort(null);
    long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    long max = sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
    System.out.printf("BENCH_STREAM stream=%s lines=%d p50_ms=%d max_ms=%d%n", stream, sorted.size(), p50, max);
  }
}
