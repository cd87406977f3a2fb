package io.edgewhisk.mqtt.security;

import io.edgewhisk.mqtt.MqttBrokerVerticle;
import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.spi.AdminContext;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code edgewhisk mqtt user add NAME [--password-file F] [--rule RULE]…}, {@code mqtt user list},
 * {@code mqtt user delete NAME}: the broker's device users. Safe while the appliance runs: the file is replaced
 * atomically, the broker re-reads it within a second and closes the connections of a deleted or changed user.
 */
public final class MqttUserCommand implements AdminCommand {
  private final InputStream stdin;

  public MqttUserCommand() {
    this(System.in);
  }

  MqttUserCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public String word() {
    return "mqtt";
  }

  @Override
  public String usage() {
    return String.join("\n",
        "edgewhisk mqtt user add NAME [--password-file FILE] [--rule 'allow|deny publish|subscribe|all FILTER']...",
        "edgewhisk mqtt user list",
        "edgewhisk mqtt user delete NAME");
  }

  @Override
  public int run(List<String> args, AdminContext context) {
    if (args.size() < 2 || !args.get(0).equals("user")) {
      context.err().println(usage());
      return 2;
    }
    DeviceUsers users = new DeviceUsers(MqttBrokerVerticle.usersFile(context.dataDir()));
    try {
      return switch (args.get(1)) {
        case "add" -> add(args.subList(2, args.size()), users, context);
        case "list" -> list(users, context);
        case "delete" -> delete(args.subList(2, args.size()), users, context);
        default -> {
          context.err().println(usage());
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      context.err().println("error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      context.err().println("error: " + e.getMessage());
      return 1;
    }
  }

  private int add(List<String> args, DeviceUsers users, AdminContext context) throws IOException {
    String name = null;
    Path passwordFile = null;
    List<String> rules = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--password-file") || a.equals("--rule")) && i + 1 >= args.size()) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      if (a.equals("--password-file")) {
        passwordFile = Path.of(args.get(++i));
      } else if (a.equals("--rule")) {
        rules.add(args.get(++i));
      } else if (name == null && !a.startsWith("--")) {
        name = a;
      } else {
        throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + usage());
      }
    }
    if (name == null) {
      throw new IllegalArgumentException("a user name is needed\n" + usage());
    }
    char[] password = passwordFile != null ? firstLine(Files.readString(passwordFile, StandardCharsets.UTF_8))
        : readPassword(context);
    users.put(name, password, rules);
    context.out().println("MQTT user " + name + " saved");
    return 0;
  }

  private char[] readPassword(AdminContext context) throws IOException {
    Console console = System.console();
    if (console != null && stdin == System.in) {
      char[] p = console.readPassword("password for the MQTT user: ");
      return p == null ? new char[0] : p;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    String line = in.readLine();
    return line == null ? new char[0] : line.toCharArray();
  }

  private static char[] firstLine(String text) {
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    return line.strip().toCharArray();
  }

  private int list(DeviceUsers users, AdminContext context) throws IOException {
    users.read().values().forEach(u -> context.out().println(u.name()
        + (u.rules().isEmpty() ? "" : "  " + String.join("; ", u.rules()))));
    return 0;
  }

  private int delete(List<String> args, DeviceUsers users, AdminContext context) throws IOException {
    if (args.size() != 1) {
      throw new IllegalArgumentException(usage());
    }
    if (!users.delete(args.get(0))) {
      context.err().println("error: no MQTT user " + args.get(0));
      return 1;
    }
    context.out().println("MQTT user " + args.get(0) + " deleted");
    return 0;
  }
}
