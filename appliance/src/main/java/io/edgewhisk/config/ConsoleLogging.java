package io.edgewhisk.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging to standard error (the journal under systemd), configured in code through logback's
 * {@link Configurator} SPI rather than an XML file: the XML configurator and its parser cost a gateway
 * several hundred classes and a noticeable part of start-up. {@code EDGEWHISK_LOG_LEVEL} sets the level;
 * lines about an activation carry its id (MDC {@code activationId}, and {@code namespace}). The format is
 * text for a person, or JSON lines ({@link JsonLinesEncoder}): {@code EDGEWHISK_LOGGING_FORMAT} sets it
 * from the first line on, {@code edgewhisk.logging.format} once the configuration is read
 * ({@link #use(LoggingFormat)}).
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} %X{activationId:-}%msg%n";

  /** For the admin commands, whose output is for a person: warnings only, unless a level was asked for. */
  public static void quietUnlessAsked() {
    if (System.getenv("EDGEWHISK_LOG_LEVEL") == null
        && org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
  }

  /** Switches the console's format (what {@code edgewhisk.logging.format} says); the level stays. */
  public static void use(LoggingFormat format) {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> old) {
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      ConsoleAppender<ILoggingEvent> replacement = stderr(context, format);
      root.addAppender(replacement);
      root.detachAppender(old);
      old.stop();
    }
  }

  private static final String APPENDER = "stderr";

  private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, LoggingFormat format) {
    ch.qos.logback.core.encoder.Encoder<ILoggingEvent> encoder;
    if (format == LoggingFormat.JSON) {
      encoder = new JsonLinesEncoder();
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern(PATTERN);
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName(APPENDER);
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    return stderr;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> stderr = stderr(context,
        LoggingFormat.parse(System.getenv("EDGEWHISK_LOGGING_FORMAT")).orElse(LoggingFormat.TEXT));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("EDGEWHISK_LOG_LEVEL"), Level.INFO));
    root.addAppender(stderr);
    for (String noisy : new String[] {"io.netty", "com.github.dockerjava", "org.apache.hc"}) {
      context.getLogger(noisy).setLevel(Level.WARN);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
