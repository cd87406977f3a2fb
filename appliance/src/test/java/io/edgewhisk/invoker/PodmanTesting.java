package io.edgewhisk.invoker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The podman command and zips for the integration tests; they fail loudly when Podman or an image is missing. */
final class PodmanTesting {
  static final String NODEJS = "localhost/edgewhisk/action-nodejs:latest";
  static final String PYTHON = "localhost/edgewhisk/action-python:latest";
  static final String SKELETON = "localhost/edgewhisk/action-skeleton:latest";

  private PodmanTesting() {}

  /** Runs podman and answers its output; fails on a non-zero exit. */
  static String podman(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("podman");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("podman " + String.join(" ", args) + " failed: " + out);
    }
    return out.strip();
  }

  /** Fails (does not skip) when an image the tests need is not in Podman's storage. */
  static void requireImages(String... images) throws Exception {
    for (String image : images) {
      Process p = new ProcessBuilder("podman", "image", "exists", image).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("The image " + image + " is not in Podman's storage; build it with images/build.sh.");
      }
    }
  }

  /**
   * Builds a test's own image {@code tag} from {@code from} with {@code files} copied into {@code folder}
   * and {@code cmd} (a Containerfile CMD in exec form) as its command; its build folder is removed after.
   */
  static void buildImage(String tag, String from, String folder, Map<String, String> files, String cmd)
      throws Exception {
    requireImages(from);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("edgewhisk-image");
    try {
      StringBuilder containerfile = new StringBuilder("FROM " + from + "\n");
      for (var f : files.entrySet()) {
        java.nio.file.Files.writeString(dir.resolve(f.getKey()), f.getValue());
        containerfile.append("COPY ").append(f.getKey()).append(' ').append(folder).append('/').append(f.getKey())
            .append('\n');
      }
      containerfile.append("WORKDIR ").append(folder).append("\nCMD ").append(cmd).append('\n');
      java.nio.file.Files.writeString(dir.resolve("Containerfile"), containerfile);
      podman("build", "-t", tag, dir.toString());
    } finally {
      InvokerTesting.deleteTree(dir);
    }
  }

  /** Ids of containers (any state) of an instance. */
  static List<String> containersOf(String instance) throws Exception {
    String out = podman("ps", "-a", "-q", "--filter", "label=edgewhisk.instance=" + instance);
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  /** Names of the networks of an instance (each of its containers has one). */
  static List<String> networksOf(String instance) throws Exception {
    String out = podman("network", "ls", "-q", "--filter", "label=edgewhisk.instance=" + instance);
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  /** A container's address on its (only) network, and that network's gateway: the host's side of it. */
  static String addressOf(String containerId) throws Exception {
    return podman("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", containerId);
  }

  static String gatewayOf(String containerId) throws Exception {
    return podman("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}", containerId);
  }

  static String stateOf(String containerId) throws Exception {
    return podman("inspect", "-f", "{{.State.Status}}", containerId);
  }

  /** Base64 of a zip of these files (name to content); a content of type byte[] is stored as is. */
  static String zip(Map<String, Object> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (var e : files.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        z.putNextEntry(entry);
        z.write(e.getValue() instanceof byte[] b ? b : ((String) e.getValue()).getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
