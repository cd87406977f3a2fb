package io.edgewhisk.cli;

/** A command line that does not parse: answered with the usage text and exit status 2. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message, null, false, false);
  }
}
