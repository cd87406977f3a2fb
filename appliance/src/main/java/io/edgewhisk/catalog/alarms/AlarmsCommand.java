package io.edgewhisk.catalog.alarms;

import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.spi.AdminContext;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code edgewhisk alarms list}: every stored alarm with its schedule, status and next fire, for an operator. */
final class AlarmsCommand implements AdminCommand {

  @Override
  public String word() {
    return AlarmsPlugin.NAME;
  }

  @Override
  public String usage() {
    return "edgewhisk alarms list [--state-dir DIR]           every alarm feed's trigger, schedule and next fire";
  }

  @Override
  public int run(List<String> args, AdminContext context) {
    if (!args.equals(List.of("list"))) {
      context.err().println("usage: " + usage());
      return 2;
    }
    List<Alarm> alarms;
    try {
      alarms = new AlarmStore(context.database()).all().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      context.err().println("edgewhisk alarms: cannot read the alarms: " + e.getMessage());
      return 1;
    }
    context.out().printf("%-40s %-9s %-24s %-9s %s%n", "TRIGGER", "KIND", "SCHEDULE", "STATUS", "NEXT FIRE");
    for (Alarm a : alarms) {
      String status = a.disabled() != null ? "disabled" : a.paused() ? "paused" : "active";
      String next = a.nextFire() == null ? "-" : Instant.ofEpochMilli(a.nextFire()).toString();
      context.out().printf("%-40s %-9s %-24s %-9s %s%n", a.trigger().absolute(), a.kind().word(), a.spec(), status, next);
    }
    return 0;
  }
}
