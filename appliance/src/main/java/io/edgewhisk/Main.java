package io.edgewhisk;

/** The {@code edgewhisk} command: {@code serve}, and the admin commands on the same state directory. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("usage: edgewhisk serve|user|limits …");
    System.exit(2);
  }
}
