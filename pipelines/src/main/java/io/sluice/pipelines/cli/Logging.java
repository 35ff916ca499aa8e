package io.sluice.pipelines.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.LayoutComponentBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * The command line's logs, through Log4j 2 (the backend a Flink cluster logs with): sluice at INFO,
 * libraries only when something is wrong; as text or as JSON lines, to standard error or to a file.
 * A line carries the run id, and the document id and source URI where they are known (from the MDC,
 * which the runner's worker threads inherit). Passwords in JDBC URLs are masked in every message,
 * whoever logs it. Progress lines and the run report are not logs: they stay on the terminal.
 */
final class Logging {
  /** How log lines look: {@code --logFormat=text|json}. */
  enum Format {
    TEXT,
    JSON;

    static Format named(String name) {
      for (Format format : values()) {
        if (format.name().equalsIgnoreCase(name)) {
          return format;
        }
      }
      throw new IllegalArgumentException("--logFormat must be text or json, got " + name);
    }
  }

  /** A password in a URL's query ({@code password=…}) or in its user part ({@code //u:p@}). */
  private static final String MASKED =
      "%replace{%replace{MESSAGE}{(?i)(password=)[^&;\\s]*}"
          + "{$1***}}{(//[^/:@\\s]+:)[^@/\\s]*@}{$1***@}";

  private static final String TEXT =
      "%d{ISO8601} %-5p [%X{run_id}] %c{1}: "
          + MASKED.replace("MESSAGE", "%m")
          + "%n"
          + MASKED.replace("MESSAGE", "%throwable");

  /** Stack traces off: the patterns write the exception themselves, masked. */
  private static final String JSON =
      """
      {"time": {"$resolver": "timestamp",
                "pattern": {"format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "timeZone": "UTC"}},
       "level": {"$resolver": "level", "field": "name"},
       "logger": {"$resolver": "logger", "field": "name"},
       "thread": {"$resolver": "thread", "field": "name"},
       "run_id": {"$resolver": "mdc", "key": "run_id"},
       "doc_id": {"$resolver": "mdc", "key": "doc_id"},
       "source_uri": {"$resolver": "mdc", "key": "source_uri"},
       "message": {"$resolver": "pattern", "pattern": "MESSAGE_PATTERN",
                   "stackTraceEnabled": false},
       "exception": {"$resolver": "pattern", "pattern": "EXCEPTION_PATTERN",
                     "stackTraceEnabled": false}}"""
          .replace("MESSAGE_PATTERN", jsonString(MASKED.replace("MESSAGE", "%m")))
          .replace("EXCEPTION_PATTERN", jsonString(MASKED.replace("MESSAGE", "%throwable")));

  private Logging() {}

  /**
   * Makes log lines inherit the MDC of the thread that starts the runner's threads. Must run before
   * anything logs, so the CLI's main calls it first.
   */
  static void inheritContextInNewThreads() {
    System.setProperty("log4j2.isThreadContextMapInheritable", "true");
  }

  /** Logs in {@code format} to {@code file}, or to standard error when it is null. */
  static void configure(Format format, Path file) {
    ConfigurationBuilder<BuiltConfiguration> config =
        ConfigurationBuilderFactory.newConfigurationBuilder();
    config.setConfigurationName("sluice");
    AppenderComponentBuilder appender =
        file == null
            ? config
                .newAppender("log", "Console")
                .addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
                .addAttribute("follow", true)
            : config
                .newAppender("log", "File")
                .addAttribute("fileName", file.toAbsolutePath().toString())
                .addAttribute("append", true);
    LayoutComponentBuilder layout =
        format == Format.TEXT
            // The pattern writes the exception itself, masked; left to itself it adds it unmasked.
            ? config
                .newLayout("PatternLayout")
                .addAttribute("pattern", TEXT)
                .addAttribute("alwaysWriteExceptions", false)
            : config.newLayout("JsonTemplateLayout").addAttribute("eventTemplate", JSON);
    config.add(appender.add(layout));
    config.add(config.newRootLogger(Level.WARN).add(config.newAppenderRef("log")));
    level(config, "io.sluice", Level.INFO);
    level(config, "org.apache.pdfbox", Level.OFF);
    level(config, "org.apache.fontbox", Level.OFF);
    level(config, "ai.djl", Level.ERROR);
    level(config, "org.apache.flink", Level.ERROR);
    level(config, "org.apache.beam.runners.flink", Level.ERROR);
    // Continuous matching warns that it keeps state; sluice relies on exactly that.
    level(config, "org.apache.beam.sdk.io.FileIO", Level.ERROR);
    Configurator.reconfigure(config.build());
  }

  private static void level(
      ConfigurationBuilder<BuiltConfiguration> config, String logger, Level level) {
    config.add(
        config
            .newLogger(logger, level)
            .add(config.newAppenderRef("log"))
            .addAttribute("additivity", false));
  }

  /** The text as it goes between the quotes of a JSON string. */
  private static String jsonString(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }
}
