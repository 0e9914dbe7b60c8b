package dev.catchup.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.connect.TlsSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the monitor's YAML file, then applies environment variables ({@link EnvironmentSettings}:
 * one for every setting), then command-line flags (each overriding the one before). Unknown
 * settings are errors, not silently ignored; every error names the setting and the value.
 */
final class ConfigLoader {
  static final Set<String> TOP = Set.of("flavor", "user", "password", "passwordFile",
      "primary", "replicas", "staleAfter", "reconcileInterval", "heartbeatInterval", "http", "tls");
  static final Set<String> SERVER = Set.of("name", "host", "port");
  static final Set<String> HTTP = Set.of("bind", "port", "token", "tokenFile",
      "defaultMaxLag", "maxWait", "allowUnauthenticated", "headerTimeout", "idleTimeout",
      "maxConnections", "maxConnectionsPerClient", "maxSubscribers", "maxWaits");
  static final Set<String> TLS = Set.of("mode", "caFile", "trustStore", "trustStorePassword",
      "trustStorePasswordFile", "allowPublicKeyRetrieval");
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private ConfigLoader() {}

  /** Loads from {@code file} (may be null when env and flags say everything). */
  static MonitorConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    JsonNode root = file == null ? new ObjectMapper().createObjectNode() : read(file);
    checkKeys(root, TOP, "");
    if (!root.path("http").isMissingNode()) {
      checkKeys(root.path("http"), HTTP, "http.");
    }
    // Every setting has a variable; they replace the file's values before anything is read.
    root = EnvironmentSettings.apply(root, env);
    JsonNode http = root.path("http");
    try {
      Flavor flavor = flavor(pick(flags.get("flavor"), text(root, "flavor")));
      String user = text(root, "user");
      String password = secret(root, "password", "passwordFile");
      MonitorConfig.Server primary = server(root.path("primary"), "primary");
      List<MonitorConfig.Server> replicas = new ArrayList<>();
      JsonNode list = root.path("replicas");
      if (!list.isMissingNode() && !list.isArray()) {
        throw new ConfigException("replicas must be a list of {name, host, port}");
      }
      for (int i = 0; i < list.size(); i++) {
        replicas.add(server(list.get(i), "replicas[" + i + "]"));
      }
      Duration staleAfter = duration("staleAfter", text(root, "staleAfter"), Duration.ofSeconds(3));
      TrackerSettings tracker = new TrackerSettings(
          duration("reconcileInterval", text(root, "reconcileInterval"),
              TrackerSettings.DEFAULTS.reconcileInterval()),
          TrackerSettings.DEFAULTS.reconnectBackoffMin(), TrackerSettings.DEFAULTS.reconnectBackoffMax(),
          duration("heartbeatInterval", text(root, "heartbeatInterval"), null));
      String port = pick(flags.get("http-port"), text(http, "port"));
      int maxConnections = integerOr("http.maxConnections", text(http, "maxConnections"),
          HttpSettings.DEFAULT_MAX_CONNECTIONS);
      HttpSettings httpSettings = new HttpSettings(
          pick(flags.get("bind"), orDefault(text(http, "bind"), "127.0.0.1")),
          port == null ? 9760 : integer("http.port", port),
          secret(http, "token", "tokenFile"),
          duration("http.defaultMaxLag", text(http, "defaultMaxLag"), Duration.ofSeconds(1)),
          duration("http.maxWait", text(http, "maxWait"), Duration.ofSeconds(30)),
          bool("http.allowUnauthenticated", text(http, "allowUnauthenticated")),
          duration("http.headerTimeout", text(http, "headerTimeout"), HttpSettings.DEFAULT_HEADER_TIMEOUT),
          duration("http.idleTimeout", text(http, "idleTimeout"), HttpSettings.DEFAULT_IDLE_TIMEOUT),
          maxConnections,
          integerOr("http.maxConnectionsPerClient", text(http, "maxConnectionsPerClient"),
              HttpSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT),
          integerOr("http.maxSubscribers", text(http, "maxSubscribers"),
              HttpSettings.defaultMaxSubscribers(maxConnections)),
          integerOr("http.maxWaits", text(http, "maxWaits"), HttpSettings.DEFAULT_MAX_WAITS));
      return new MonitorConfig(flavor, user, password == null ? "" : password, primary, replicas,
          staleAfter, tracker, httpSettings, tls(root.path("tls")));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
      if (n == null || n.isMissingNode() || n.isNull()) {
        return new ObjectMapper().createObjectNode();
      }
      if (!n.isObject()) {
        throw new ConfigException(file + " must hold a YAML mapping of settings");
      }
      return n;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkKeys(JsonNode node, Set<String> known, String prefix) {
    if (!node.isObject()) {
      throw new ConfigException(prefix.isEmpty() ? "config must be a mapping"
          : prefix.substring(0, prefix.length() - 1) + " must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new ConfigException("unknown setting '" + prefix + k + "'; known: "
            + known.stream().sorted().map(s -> prefix + s).toList());
      }
    }
  }

  private static MonitorConfig.Server server(JsonNode n, String where) {
    if (n.isMissingNode()) {
      throw new ConfigException(where + " is required: {name, host, port}");
    }
    checkKeys(n, SERVER, where + ".");
    String port = text(n, "port");
    if (port == null) {
      throw new ConfigException(where + ".port is required");
    }
    return new MonitorConfig.Server(orDefault(text(n, "name"), where), orDefault(text(n, "host"), "127.0.0.1"),
        integer(where + ".port", port));
  }

  /**
   * The {@code tls} section and its {@code CATCHUP_MONITOR_TLS_*} variables. Without a mode, a
   * configured CA means {@code verify-ca} (a CA is given to be checked against), else
   * {@code preferred}, the mysql client's default.
   */
  private static TlsSettings tls(JsonNode n) {
    if (!n.isMissingNode()) {
      checkKeys(n, TLS, "tls.");
    }
    String mode = text(n, "mode");
    String caFile = text(n, "caFile");
    String trustStore = text(n, "trustStore");
    String password = secret(n, "trustStorePassword", "trustStorePasswordFile");
    String retrieval = text(n, "allowPublicKeyRetrieval");
    boolean allowRetrieval = bool("tls.allowPublicKeyRetrieval", retrieval, false);
    if (caFile != null && trustStore != null) {
      throw new ConfigException("set either tls.caFile or tls.trustStore, not both");
    }
    if (password != null && trustStore == null) {
      throw new ConfigException("tls.trustStorePassword is set but tls.trustStore is not");
    }
    boolean ca = caFile != null || trustStore != null;
    TlsSettings.Mode m = mode == null ? (ca ? TlsSettings.Mode.VERIFY_CA : TlsSettings.Mode.PREFERRED)
        : TlsSettings.Mode.parse("tls.mode", mode);
    if (caFile != null) {
      return TlsSettings.withCaFile(m, Path.of(caFile), allowRetrieval);
    }
    if (trustStore != null) {
      return TlsSettings.withTrustStore(m, Path.of(trustStore), password, allowRetrieval);
    }
    return TlsSettings.of(m, allowRetrieval);
  }

  private static boolean bool(String name, String s, boolean fallback) {
    if (s == null) {
      return fallback;
    }
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name + " must be true or false, was '" + s + "'");
    };
  }

  private static String secret(JsonNode n, String key, String fileKey) {
    String inline = text(n, key);
    String file = text(n, fileKey);
    if (inline != null && file != null) {
      throw new ConfigException("set either " + key + " or " + fileKey + ", not both");
    }
    if (file == null) {
      return inline;
    }
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new ConfigException("cannot read " + fileKey + " " + file + ": " + e.getMessage(), e);
    }
  }

  static Flavor flavor(String s) {
    if (s == null) {
      throw new ConfigException("flavor is required: mysql or mariadb");
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "mysql" -> Flavor.MYSQL;
      case "mariadb" -> Flavor.MARIADB;
      default -> throw new ConfigException("flavor must be mysql or mariadb, was '" + s + "'");
    };
  }

  /** {@code 500ms}, {@code 3s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT3S}). */
  static Duration duration(String name, String s, Duration fallback) {
    if (s == null) {
      return fallback;
    }
    Matcher m = SIMPLE_DURATION.matcher(s.strip());
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      long unitMillis = switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      return Duration.ofNanos(Math.round(v * unitMillis * 1_000_000));
    }
    try {
      return Duration.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw new ConfigException(name + " must be a duration like 500ms, 3s, 2m or PT3S, was '" + s + "'");
    }
  }

  private static int integer(String name, String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, was '" + s + "'");
    }
  }

  private static int integerOr(String name, String s, int fallback) {
    return s == null ? fallback : integer(name, s);
  }

  private static boolean bool(String name, String s) {
    if (s == null) {
      return false;
    }
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name + " must be true or false, was '" + s + "'");
    };
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.path(key);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** A command-line flag wins over the file (into which the environment was merged). */
  private static String pick(String flag, String file) {
    return flag != null ? flag : file;
  }

  private static String orDefault(String s, String d) {
    return s == null ? d : s;
  }
}
