package io.edgewhisk.invoker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The runtimes this appliance offers, read from a {@code runtimes.json} shaped like OpenWhisk's: each
 * kind's image, each language's default kind, the stem cells to keep, and the blackbox images. The API
 * validates kinds with it and shows it in {@code GET /}; the invoker picks images and stem cells with it.
 */
public final class RuntimesManifest {
  /** The classpath resource built from {@code images/runtimes.json}. */
  public static final String RESOURCE = "runtimes.json";

  /** One kind: its image and whether it is its language's default. */
  public record Runtime(String language, String kind, boolean isDefault, String image, List<StemCell> stemCells) {
    public Runtime {
      stemCells = List.copyOf(stemCells);
    }
  }

  /** Stem cells to keep of one kind: {@code count} started containers of {@code memoryMb}, not yet initialized. */
  public record StemCell(String kind, String image, int count, int memoryMb) {}

  private final JsonObject json;
  private final Map<String, Runtime> kinds;
  private final Map<String, String> defaults;
  private final List<String> blackboxes;

  private RuntimesManifest(JsonObject json, Map<String, Runtime> kinds, Map<String, String> defaults, List<String> blackboxes) {
    this.json = json;
    this.kinds = Map.copyOf(kinds);
    this.defaults = Map.copyOf(defaults);
    this.blackboxes = List.copyOf(blackboxes);
  }

  /** The manifest at {@code path}, or the built-in one when {@code path} is empty. */
  public static RuntimesManifest load(String path) {
    try {
      if (path == null || path.isEmpty()) {
        try (InputStream in = RuntimesManifest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
          if (in == null) {
            throw new IllegalStateException("The built-in runtimes manifest " + RESOURCE + " is not on the classpath.");
          }
          return fromJson(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
      return fromJson(new JsonObject(Files.readString(Path.of(path))));
    } catch (IOException e) {
      throw new IllegalStateException("The runtimes manifest " + path + " cannot be read: " + e.getMessage(), e);
    }
  }

  public static RuntimesManifest fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    Map<String, Runtime> kinds = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    JsonObject runtimes = json.getJsonObject("runtimes", new JsonObject());
    for (String language : runtimes.fieldNames()) {
      for (Object o : runtimes.getJsonArray(language)) {
        JsonObject r = (JsonObject) o;
        String kind = Objects.requireNonNull(r.getString("kind"), "a runtime without a kind in " + language);
        String image = imageRef(r.getJsonObject("image"));
        List<StemCell> cells = new ArrayList<>();
        for (Object s : r.getJsonArray("stemCells", new JsonArray())) {
          JsonObject sc = (JsonObject) s;
          cells.add(new StemCell(kind, image, sc.getInteger("initialCount", 0), megabytes(sc.getValue("memory"))));
        }
        boolean isDefault = r.getBoolean("default", false);
        kinds.put(kind, new Runtime(language, kind, isDefault, image, cells));
        if (isDefault) {
          defaults.put(language, kind);
        }
      }
    }
    List<String> blackboxes = new ArrayList<>();
    for (Object o : json.getJsonArray("blackboxes", new JsonArray())) {
      blackboxes.add(imageRef((JsonObject) o));
    }
    return new RuntimesManifest(json.copy(), kinds, defaults, blackboxes);
  }

  /** The whole manifest, for the API's {@code GET /} "runtimes" field. */
  public JsonObject toJson() {
    return json.copy();
  }

  /** A kind as actions may name it ({@code nodejs:18}, {@code nodejs:default}, {@code blackbox}). */
  public boolean isKnownKind(String kind) {
    return "blackbox".equals(kind) || resolveKind(kind) != null;
  }

  /** The concrete kind: {@code <lang>:default} becomes that language's default; null if unknown. */
  public String resolveKind(String kind) {
    if (kind == null) {
      return null;
    }
    if (kind.endsWith(":default")) {
      return defaults.get(kind.substring(0, kind.length() - ":default".length()));
    }
    return kinds.containsKey(kind) ? kind : null;
  }

  /** The image of a (resolvable) kind, or null. */
  public String imageOf(String kind) {
    String k = resolveKind(kind);
    return k == null ? null : kinds.get(k).image();
  }

  public Map<String, Runtime> runtimes() {
    return kinds;
  }

  /** Stem cells to keep, over all kinds (those with a count of zero left out). */
  public List<StemCell> stemCells() {
    return kinds.values().stream().flatMap(r -> r.stemCells().stream()).filter(s -> s.count() > 0).toList();
  }

  /** Full references of the blackbox images that come with the appliance; the first is the skeleton. */
  public List<String> blackboxImages() {
    return blackboxes;
  }

  /**
   * The image to run for a blackbox action's {@code image}: a blackbox image of the manifest named by its
   * short name ({@code action-skeleton}, {@code edgewhisk/action-skeleton:latest}) becomes its full reference,
   * OpenWhisk's {@code openwhisk/dockerskeleton} becomes the skeleton; anything else is used as given.
   */
  public String blackboxImage(String image) {
    Objects.requireNonNull(image, "image");
    if (image.startsWith("openwhisk/dockerskeleton") && !blackboxes.isEmpty()) {
      return blackboxes.get(0);
    }
    for (String b : blackboxes) {
      if (b.equals(image) || b.equals(image + ":latest") || b.endsWith("/" + image) || b.endsWith("/" + image + ":latest")) {
        return b;
      }
    }
    return image;
  }

  private static String imageRef(JsonObject image) {
    Objects.requireNonNull(image, "a runtime without an image");
    String prefix = image.getString("prefix", "");
    String name = Objects.requireNonNull(image.getString("name"), "an image without a name");
    String tag = image.getString("tag", "latest");
    return (prefix.isEmpty() ? "" : prefix + "/") + name + ":" + tag;
  }

  /** "256 MB", "1 GB", "256m" or a number of MB. */
  static int megabytes(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    String s = String.valueOf(value).trim().toUpperCase(Locale.ROOT).replace(" ", "");
    String digits = s.replaceAll("[^0-9].*$", "");
    String unit = s.substring(digits.length());
    if (digits.isEmpty()) {
      throw new IllegalArgumentException("not a memory size: " + value);
    }
    int n = Integer.parseInt(digits);
    return switch (unit) {
      case "", "M", "MB", "MIB" -> n;
      case "G", "GB", "GIB" -> n * 1024;
      default -> throw new IllegalArgumentException("not a memory size: " + value);
    };
  }
}
