package dev.catchup.monitor;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Command line: {@code java -jar catchup-monitor.jar --config monitor.yaml}. */
public final class Main {
  // No static logger: logging must not start before the log format is chosen (see LogFormat).
  private static final String USAGE = """
      Usage: catchup-monitor [--config FILE] [--http-port N] [--bind ADDRESS] [--flavor mysql|mariadb]
                             [--log-format text|json]

      Tails the binlog of a MySQL or MariaDB primary and its replicas, confirms which GTIDs each
      server has made visible, and serves status, lag checks, waits, an event stream for SDKs,
      Prometheus metrics and a status page for browsers (http://BIND:PORT/) over HTTP.

        --config FILE      YAML settings (see monitor/README.md for every key)
        --http-port N      HTTP port (default 9760; 0 picks a free one)
        --bind ADDRESS     address to listen on (default 127.0.0.1)
        --flavor F         mysql or mariadb (overrides the file)
        --log-format F     text (default) or json: one JSON object per log line
                           (also CATCHUP_MONITOR_LOG_FORMAT)
        --help             this text
        --version          the monitor's version

      Environment variables override the file and are overridden by flags. Every setting has one:
      CATCHUP_MONITOR_ and its path in upper snake case (http.maxWait: CATCHUP_MONITOR_HTTP_MAX_WAIT);
      the servers are CATCHUP_MONITOR_PRIMARY=name=host:port and
      CATCHUP_MONITOR_REPLICAS=name=host:port,name=host:port; the secrets can also be read from files:
      CATCHUP_MONITOR_PASSWORD_FILE, CATCHUP_MONITOR_HTTP_TOKEN_FILE,
      CATCHUP_MONITOR_TLS_TRUST_STORE_PASSWORD_FILE. With them, --config may be left out.
      CATCHUP_MONITOR_HTTP_TOKEN enables bearer-token auth; see monitor/README.md for the table.

      SIGHUP reloads the config file: servers added to or removed from it are tracked or untracked
      at once; an invalid file is refused (one line in the log) and the running config kept; other
      settings that changed are logged as needing a restart.

      Exit codes: 0 after SIGTERM/SIGINT, 2 for a configuration error, 1 for a failure to start.
      """;


  private Main() {}

  public static void main(String[] args) {
    Map<String, String> flags = new HashMap<>();
    Path config = null;
    String logFormat = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      if (a.equals("--version")) {
        System.out.println("catchup-monitor " + Version.current());
        return;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        fail(2, "unknown or incomplete option '" + a + "'; see --help");
      }
      String value = args[++i];
      switch (a) {
        case "--config" -> config = Path.of(value);
        case "--http-port" -> flags.put("http-port", value);
        case "--bind" -> flags.put("bind", value);
        case "--flavor" -> flags.put("flavor", value);
        case LogFormat.FLAG -> logFormat = value;
        default -> fail(2, "unknown option '" + a + "'; see --help");
      }
    }
    try {
      LogFormat.of(logFormat, System.getenv()).apply(); // before the first logger
    } catch (ConfigException e) {
      fail(2, e.getMessage());
      return;
    }
    // The binlog client logs through java.util.logging: send it to the same log as ours.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    MonitorConfig cfg;
    try {
      cfg = ConfigLoader.load(config, System.getenv(), flags);
    } catch (ConfigException e) {
      fail(2, e.getMessage());
      return;
    }
    Monitor monitor;
    try {
      monitor = Monitor.start(cfg);
    } catch (RuntimeException e) {
      fail(1, "cannot start: " + e.getMessage());
      return;
    }
    Path file = config;
    reloadOnHangup(() -> reload(monitor, file, System.getenv(), flags));
    // SIGTERM/SIGINT stop it here and exit 0; the hook covers every other way the JVM ends.
    StopSignals signals = StopSignals.install();
    Runnable stop = once(monitor::close);
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown"));
    try {
      log().info("{} received, stopping", signals.await());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop.run();
    System.exit(0);
  }

  private static Runnable once(Runnable r) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        r.run();
      }
    };
  }

  /**
   * Reloads {@code file} (with the same environment and flags) into the running monitor. Never
   * throws: a configuration that does not load is refused in one line, the running one kept.
   *
   * @return the line logged
   */
  static String reload(Monitor monitor, Path file, Map<String, String> env,
      Map<String, String> flags) {
    MonitorConfig loaded;
    try {
      loaded = ConfigLoader.load(file, env, flags);
    } catch (ConfigException e) {
      String line = "configuration reload refused, the running configuration is kept: "
          + e.getMessage();
      log().error("{}", line);
      return line;
    }
    try {
      return monitor.reload(loaded);
    } catch (RuntimeException e) {
      String line = "configuration reload failed, the running configuration is kept: " + e;
      log().error("{}", line);
      return line;
    }
  }

  /**
   * Runs {@code reload} on its own thread at each SIGHUP, as daemons do. The signal API is the
   * JDK's {@code sun.misc.Signal} (module jdk.unsupported), the only way a Java program can handle
   * SIGHUP; where it is missing, reload is unavailable and says so.
   */
  @SuppressWarnings("removal")
  private static void reloadOnHangup(Runnable reload) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
        Thread t = new Thread(reload, "config-reload");
        t.setDaemon(true);
        t.start();
      });
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log().warn("SIGHUP cannot be handled here ({}): reloading the configuration needs a restart",
          e.toString());
    }
  }

  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }

  private static void fail(int code, String message) {
    System.err.println("catchup-monitor: " + message);
    System.exit(code);
  }
}
