package io.edgewhisk.sync.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * pouchdb-server 4.2.0 (npm), which speaks CouchDB's HTTP API, run on a free port of 127.0.0.1. It is
 * found in {@code $EDGEWHISK_TEST_NODE_MODULES}, else in {@code ~/.cache/edgewhisk-test/node_modules}
 * (packaging/test-all.sh installs it there). In memory, or in a folder that survives a restart.
 */
public final class PouchDbServer implements AutoCloseable {
  private final ChildServer server;
  private final int port;

  private PouchDbServer(boolean inMemory) {
    Path script = script();
    this.port = FreePort.next();
    Path dir = ChildServer.newWorkDir("pouchdb");
    List<String> cmd = new ArrayList<>(List.of("node", script.toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--config", dir.resolve("config.json").toString(), "--no-color"));
    if (inMemory) {
      cmd.add("--in-memory");
    } else {
      cmd.add("--dir");
      cmd.add(dir.resolve("data").toString());
    }
    this.server = new ChildServer("pouchdb-server", cmd, dir);
  }

  /** A server whose databases live in memory only. */
  public static PouchDbServer inMemory() {
    PouchDbServer p = new PouchDbServer(true);
    p.start();
    return p;
  }

  /** A server whose databases live in a folder, so that {@link #stop()} then {@link #start()} keeps them. */
  public static PouchDbServer onDisk() {
    PouchDbServer p = new PouchDbServer(false);
    try {
      Files.createDirectories(p.server.workDir().resolve("data"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    p.start();
    return p;
  }

  public void start() {
    server.start(this::answers, Duration.ofSeconds(60));
  }

  public void stop() {
    server.stop();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public ChildServer process() {
    return server;
  }

  /**
   * Makes a server admin (CouchDB's {@code PUT /_config/admins/<name>}); from then on the server checks
   * HTTP Basic credentials as CouchDB does. Kept in the config file, so it survives a restart.
   */
  public void addAdmin(String name, String password) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url() + "/_config/admins/" + name))
              .PUT(HttpRequest.BodyPublishers.ofString("\"" + password + "\"")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("cannot add admin " + name + ": " + r.statusCode() + " " + r.body());
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private boolean answers() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url() + "/")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("Welcome");
    } catch (Exception e) {
      return false;
    }
  }

  private static Path script() {
    String env = System.getenv("EDGEWHISK_TEST_NODE_MODULES");
    Path modules = env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "edgewhisk-test", "node_modules");
    Path script = modules.resolve("pouchdb-server").resolve("bin").resolve("pouchdb-server");
    if (!Files.isRegularFile(script)) {
      throw new AssertionError("pouchdb-server is not installed at " + script
          + ": run `npm install --prefix ~/.cache/edgewhisk-test pouchdb-server@4.2.0` (packaging/test-all.sh does)");
    }
    return script;
  }

  @Override
  public void close() {
    server.close();
  }
}
