package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto as a child process on a fixed free port of 127.0.0.1, with persistence in a folder of the
 * test's own (so its sessions and queued messages survive a stop and start), anonymous access, and whatever
 * extra configuration the test adds (e.g. a bridge of its own). Stopped with SIGTERM, which saves its state.
 */
public final class Mosquitto implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final String extra;
  private Process process;

  private Mosquitto(Path dir, int port, String extra) {
    this.dir = dir;
    this.port = port;
    this.extra = extra;
  }

  /** Starts Mosquitto in {@code dir} (created) on a free port; fails loudly if it does not listen. */
  public static Mosquitto start(Path dir, String extra) throws Exception {
    Mosquitto m = prepare(dir, extra);
    m.start();
    return m;
  }

  /** A Mosquitto with its port chosen, not started yet ({@link #start()}). */
  public static Mosquitto prepare(Path dir, String extra) throws Exception {
    return new Mosquitto(dir, ChildAppliance.freePort(), extra);
  }

  public void start() throws Exception {
    Files.createDirectories(dir);
    Path conf = dir.resolve("mosquitto.conf");
    // run as root Mosquitto would switch to its own user, which cannot write the test's (0700) folder: stay
    // (a non-root Mosquitto ignores the setting)
    Files.writeString(conf, "user " + System.getProperty("user.name") + "\n"
        + "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
        + "persistence_location " + dir + "/\nautosave_interval 1\nmax_queued_messages 100000\n"
        + "log_dest file " + dir.resolve("mosquitto.log") + "\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n" + extra + "\n");
    process = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("mosquitto exited with " + process.exitValue() + ":\n" + log());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    fail("mosquitto did not listen on " + port + " within 20 s:\n" + log());
  }

  /** SIGTERM (Mosquitto saves its persistent state) and wait for the exit. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** SIGSTOP / SIGCONT: the process keeps its sockets open and answers nothing (a silent link). */
  public void freeze(boolean frozen) throws Exception {
    new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).start()
        .waitFor(10, TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public String log() throws IOException {
    Path out = dir.resolve("mosquitto.out");
    Path log = dir.resolve("mosquitto.log");
    return (Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "")
        + (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      freeze(false);
    }
    stop();
  }
}
