package dev.catchup.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every setting as an environment variable, laid over the file's settings before they are read, so
 * that a value is checked by the same rule whichever source it came from. The name is
 * {@code CATCHUP_MONITOR_} and the setting's path in upper snake case:
 * {@code http.maxConnectionsPerClient} is {@code CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS_PER_CLIENT}.
 *
 * <ul>
 *   <li>Secrets have a {@code _FILE} variant naming a file that holds them ({@code _PASSWORD_FILE},
 *       {@code _HTTP_TOKEN_FILE}, {@code _TLS_TRUST_STORE_PASSWORD_FILE}), as in the file. Either
 *       variable of a pair replaces both keys of the file, so that a secret given to the container
 *       wins over the file's; both at once are an error.
 *   <li>The servers: {@code CATCHUP_MONITOR_PRIMARY=name=host:port} and
 *       {@code CATCHUP_MONITOR_REPLICAS=name=host:port,name=host:port} (an IPv6 host in brackets),
 *       replacing the file's {@code primary} or {@code replicas}.
 *   <li>{@code CATCHUP_MONITOR_LOG_FORMAT} chooses the log format before logging starts ({@link
 *       LogFormat}); it is no key of the file, so it is accepted here and not applied.
 *   <li>An unknown {@code CATCHUP_MONITOR_} variable is an error, as an unknown key in the file is,
 *       so that a misspelt one is not silently ignored.
 * </ul>
 */
final class EnvironmentSettings {
  static final String PREFIX = "CATCHUP_MONITOR_";
  static final String PRIMARY = PREFIX + "PRIMARY";
  static final String REPLICAS = PREFIX + "REPLICAS";

  /** Every scalar setting, by its path in the file. */
  static final List<String> SETTINGS = List.of("flavor", "user", "password", "passwordFile",
      "staleAfter", "reconcileInterval", "heartbeatInterval",
      "http.bind", "http.port", "http.token", "http.tokenFile", "http.allowUnauthenticated",
      "http.defaultMaxLag", "http.maxWait", "http.headerTimeout", "http.idleTimeout",
      "http.maxConnections", "http.maxConnectionsPerClient",
      "http.maxSubscribers", "http.maxWaits",
      "tls.mode", "tls.caFile", "tls.trustStore", "tls.trustStorePassword",
      "tls.trustStorePasswordFile", "tls.allowPublicKeyRetrieval");

  /** A secret's inline key and its file key. */
  private static final Map<String, String> SECRETS = Map.of("password", "passwordFile",
      "http.token", "http.tokenFile", "tls.trustStorePassword", "tls.trustStorePasswordFile");

  private EnvironmentSettings() {}

  /** The variable of a setting's path: {@code http.maxWait} is {@code CATCHUP_MONITOR_HTTP_MAX_WAIT}. */
  static String variable(String path) {
    StringBuilder b = new StringBuilder(PREFIX);
    for (char c : path.toCharArray()) {
      if (c == '.') {
        b.append('_');
      } else if (Character.isUpperCase(c)) {
        b.append('_').append(c);
      } else {
        b.append(Character.toUpperCase(c));
      }
    }
    return b.toString();
  }

  /** {@code file}'s settings with those {@code env} gives replaced; {@code file} is not changed. */
  static ObjectNode apply(JsonNode file, Map<String, String> env) {
    ObjectNode root = file.deepCopy();
    Map<String, String> byVariable = new LinkedHashMap<>();
    SETTINGS.forEach(p -> byVariable.put(variable(p), p));
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(PREFIX) && !byVariable.containsKey(name) && !name.equals(PRIMARY)
          && !name.equals(REPLICAS) && !name.equals(LogFormat.VARIABLE)) {
        throw new ConfigException("unknown environment variable " + name + "; known: "
            + PRIMARY + ", " + REPLICAS + ", " + String.join(", ", byVariable.keySet()) + ", "
            + LogFormat.VARIABLE);
      }
    }
    SECRETS.forEach((inline, fileKey) -> {
      if (env.containsKey(variable(inline)) && env.containsKey(variable(fileKey))) {
        throw new ConfigException("set either " + variable(inline) + " or " + variable(fileKey)
            + ", not both");
      }
      if (env.containsKey(variable(inline)) || env.containsKey(variable(fileKey))) {
        remove(root, inline);
        remove(root, fileKey);
      }
    });
    for (String path : SETTINGS) {
      String value = env.get(variable(path));
      if (value != null) {
        section(root, path).put(key(path), value);
      }
    }
    if (env.containsKey(PRIMARY)) {
      root.set("primary", server(PRIMARY, env.get(PRIMARY).strip(), root));
    }
    if (env.containsKey(REPLICAS)) {
      ArrayNode list = root.arrayNode();
      for (String entry : env.get(REPLICAS).split(",", -1)) {
        list.add(server(REPLICAS, entry.strip(), root));
      }
      root.set("replicas", list);
    }
    return root;
  }

  /** {@code name=host:port}, the host an IPv6 literal in brackets or anything without a colon. */
  private static ObjectNode server(String variable, String entry, ObjectNode factory) {
    int eq = entry.indexOf('=');
    int colon = entry.lastIndexOf(':');
    boolean bracketed = eq >= 0 && entry.startsWith("[", eq + 1);
    int close = bracketed ? entry.indexOf(']', eq) : -1;
    if (eq <= 0 || colon < eq || (bracketed ? close + 1 != colon : entry.indexOf(':', eq) != colon)
        || colon == eq + 1 || colon == entry.length() - 1) {
      throw new ConfigException(variable + " entries must be name=host:port (an IPv6 host in "
          + "brackets: name=[::1]:3306), was '" + entry + "'");
    }
    ObjectNode n = factory.objectNode();
    n.put("name", entry.substring(0, eq));
    n.put("host", entry.substring(eq + 1, colon));
    n.put("port", entry.substring(colon + 1));
    return n;
  }

  private static ObjectNode section(ObjectNode root, String path) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      return root;
    }
    String name = path.substring(0, dot);
    JsonNode s = root.get(name);
    if (s instanceof ObjectNode o) {
      return o;
    }
    // A section the file lacks (or wrote as null); one that is not a mapping was refused before.
    return root.putObject(name);
  }

  private static void remove(ObjectNode root, String path) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      root.remove(path);
    } else if (root.get(path.substring(0, dot)) instanceof ObjectNode o) {
      o.remove(key(path));
    }
  }

  private static String key(String path) {
    return path.substring(path.indexOf('.') + 1);
  }

  /** For the README's table and its test: every variable, servers first. */
  static List<String> variables() {
    List<String> all = new ArrayList<>(List.of(PRIMARY, REPLICAS));
    SETTINGS.forEach(p -> all.add(variable(p)));
    all.add(LogFormat.VARIABLE);
    return all;
  }
}
