package io.edgewhisk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An admin command line split into its words and its {@code --options}: {@code --state-dir} and
 * {@code --config} anywhere, and the options a command allows ({@code --name value}, {@code --name=value},
 * or a bare flag).
 */
record AdminArguments(Path stateDir, Path config, List<String> words, Map<String, String> options) {
  private static final Set<String> GLOBAL = Set.of("state-dir", "config");

  /** Parses {@code args}; {@code flags} are options that take no value. */
  static AdminArguments parse(String[] args, Set<String> flags) {
    List<String> words = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        words.add(a);
        continue;
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (!flags.contains(name)) {
        if (i + 1 >= args.length) {
          throw new UsageException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (options.containsKey(name)) {
        throw new UsageException("--" + name + " is given twice");
      }
      options.put(name, value == null ? "true" : value);
    }
    Path stateDir = options.containsKey("state-dir") ? Path.of(options.remove("state-dir")) : null;
    Path config = options.containsKey("config") ? Path.of(options.remove("config")) : null;
    return new AdminArguments(stateDir, config, List.copyOf(words), Map.copyOf(options));
  }

  /** Fails unless every option given is one of {@code allowed}. */
  void allowOnly(Set<String> allowed) {
    for (String name : options.keySet()) {
      if (!allowed.contains(name) && !GLOBAL.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
    }
  }

  /** Fails unless there are exactly {@code n} words. */
  void requireWords(int n) {
    if (words.size() < n) {
      throw new UsageException("missing argument after '" + String.join(" ", words) + "'");
    }
    if (words.size() > n) {
      throw new UsageException("unexpected argument '" + words.get(n) + "'");
    }
  }

  String word(int i) {
    return words.get(i);
  }

  boolean has(String option) {
    return options.containsKey(option);
  }

  String option(String name) {
    return options.get(name);
  }

  /** A non-negative integer option, or null if absent. */
  Integer count(String name) {
    String v = options.get(name);
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number of 0 or more, was '" + v + "'");
    }
  }

  /** A {@code true}/{@code false} option, or null if absent. */
  Boolean bool(String name) {
    String v = options.get(name);
    if (v == null) {
      return null;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new UsageException("--" + name + " must be true or false, was '" + v + "'");
    }
    return Boolean.valueOf(v);
  }
}
