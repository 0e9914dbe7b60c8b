package dev.catchup.monitor;

import java.util.Locale;
import java.util.Map;

/**
 * The runnable jar's log format, {@code text} (the default) or {@code json} (one JSON object per
 * line, for log collectors), from {@code --log-format} or {@code CATCHUP_MONITOR_LOG_FORMAT}. It
 * must be chosen before the first logger exists, since Logback reads its configuration once, when
 * logging starts: so it cannot be a key of the file (read later, and logging as it goes), and
 * {@link Main} applies it first of all. It picks the Logback configuration the jar carries beside
 * {@code logback.xml}; a {@code logback.configurationFile} given to the JVM wins over both.
 */
enum LogFormat {
  TEXT(null),
  JSON("logback-json.xml");

  static final String FLAG = "--log-format";
  static final String VARIABLE = EnvironmentSettings.PREFIX + "LOG_FORMAT";
  /** Logback's own system property naming its configuration. */
  static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

  /** The configuration resource in the runnable jar; null for Logback's default, logback.xml. */
  final String configuration;

  LogFormat(String configuration) {
    this.configuration = configuration;
  }

  /**
   * The format {@code flag} (the option's value, or null) or else {@code env} names; TEXT when
   * neither does.
   *
   * @throws ConfigException naming the option or variable when the value is not text or json
   */
  static LogFormat of(String flag, Map<String, String> env) {
    String source = flag != null ? FLAG : VARIABLE;
    String value = flag != null ? flag : env.get(VARIABLE);
    if (value == null) {
      return TEXT;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new ConfigException(source + " must be text or json, was '" + value + "'");
    };
  }

  /**
   * Points Logback at this format's configuration, unless the JVM was given one: call before any
   * logger is created.
   */
  void apply() {
    if (configuration != null && System.getProperty(LOGBACK_CONFIGURATION) == null) {
      System.setProperty(LOGBACK_CONFIGURATION, configuration);
    }
  }
}
