package dev.catchup.samples.shop;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.ReadPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A shop service's configuration, read from {@code CATCHUP_SAMPLE_*} environment variables (the
 * same names the compose file sets). Validated here: a bad value stops the service at start with a
 * message naming the variable.
 *
 * @param service {@code orders} or {@code billing}
 * @param bind address to listen on
 * @param port HTTP port; 0 picks a free one
 * @param flavor server flavor
 * @param primary primary as {@code host:port}
 * @param replicas replica name to {@code host:port}, in order
 * @param user database user
 * @param password database password
 * @param monitor monitor base URL, or null to route without one
 * @param billing billing service base URL (orders only), or null
 * @param readPolicy what Catchup reads do when no replica has the token yet
 * @param maxWait how long a read may wait for a replica
 */
public record ShopConfig(String service, String bind, int port, Flavor flavor, String primary,
    Map<String, String> replicas, String user, String password, URI monitor, URI billing,
    ReadPolicy readPolicy, Duration maxWait) {

  static final String PREFIX = "CATCHUP_SAMPLE_";

  public ShopConfig {
    // In configuration order: the naive split rotates in it and the SDK lists replicas in it.
    replicas = Collections.unmodifiableMap(new LinkedHashMap<>(replicas));
  }

  /** Reads and validates the configuration from environment-style variables. */
  public static ShopConfig fromEnv(Map<String, String> env) {
    Vars v = new Vars(env);
    String service = v.required("SERVICE").toLowerCase(Locale.ROOT);
    if (!service.equals("orders") && !service.equals("billing")) {
      throw v.bad("SERVICE", service, "must be orders or billing");
    }
    int port = v.integer("PORT", 8080, 0, 65535);
    Flavor flavor = switch (v.optional("FLAVOR", "mysql").toLowerCase(Locale.ROOT)) {
      case "mysql" -> Flavor.MYSQL;
      case "mariadb" -> Flavor.MARIADB;
      default -> throw v.bad("FLAVOR", v.optional("FLAVOR", ""), "must be mysql or mariadb");
    };
    String primary = v.hostPort("PRIMARY", v.required("PRIMARY"));
    Map<String, String> replicas = new LinkedHashMap<>();
    for (String entry : v.required("REPLICAS").split(",")) {
      String[] nameAddress = entry.trim().split("=", 2);
      if (nameAddress.length != 2 || !nameAddress[0].trim().matches("[A-Za-z0-9_.-]{1,64}")) {
        throw v.bad("REPLICAS", entry, "must be name=host:port[,name=host:port...] with names "
            + "of letters, digits, '_', '.', '-'");
      }
      if (replicas.put(nameAddress[0].trim(), v.hostPort("REPLICAS", nameAddress[1].trim()))
          != null) {
        throw v.bad("REPLICAS", entry, "must name each replica once");
      }
    }
    URI monitor = v.url("MONITOR");
    URI billing = v.url("BILLING");
    if (service.equals("orders") && billing == null) {
      throw v.bad("BILLING", "", "is required for the orders service (billing's base URL)");
    }
    ReadPolicy policy;
    try {
      policy = ReadPolicy.valueOf(v.optional("READ_POLICY", "WAIT_THEN_FALLBACK")
          .toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw v.bad("READ_POLICY", v.optional("READ_POLICY", ""),
          "must be WAIT, WAIT_THEN_FALLBACK, FALLBACK_TO_PRIMARY or FAIL");
    }
    Duration maxWait = v.duration("MAX_WAIT", Duration.ofSeconds(5));
    return new ShopConfig(service, v.optional("BIND", "127.0.0.1"), port, flavor, primary,
        replicas, v.optional("DB_USER", "catchup"), v.optional("DB_PASSWORD", ""), monitor, billing,
        policy, maxWait);
  }

  /** The configuration as one log line, password masked. */
  @Override
  public String toString() {
    return "service=" + service + " listen=" + bind + ":" + port + " flavor=" + flavor
        + " primary=" + primary + " replicas=" + replicas + " user=" + user + " password=****"
        + " monitor=" + (monitor == null ? "none" : monitor) + (billing == null ? ""
        : " billing=" + billing) + " readPolicy=" + readPolicy + " maxWait=" + maxWait;
  }

  /** Variable access with messages that name the variable. */
  private record Vars(Map<String, String> env) {
    String optional(String name, String fallback) {
      String value = env.get(PREFIX + name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    String required(String name) {
      String value = optional(name, null);
      if (value == null) {
        throw new IllegalArgumentException(PREFIX + name + " is required");
      }
      return value;
    }

    int integer(String name, int fallback, int min, int max) {
      String text = optional(name, null);
      if (text == null) {
        return fallback;
      }
      try {
        int value = Integer.parseInt(text);
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw bad(name, text, "must be an integer from " + min + " to " + max);
    }

    String hostPort(String name, String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1
          || !text.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw bad(name, text, "must be host:port");
      }
      return text;
    }

    URI url(String name) {
      String text = optional(name, null);
      if (text == null) {
        return null;
      }
      try {
        URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if ("http".equals(uri.getScheme()) && uri.getHost() != null) {
          return uri;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw bad(name, text, "must be an http:// URL");
    }

    Duration duration(String name, Duration fallback) {
      String text = optional(name, null);
      if (text == null) {
        return fallback;
      }
      try {
        Duration d = text.endsWith("ms")
            ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
            : text.endsWith("s") ? Duration.ofMillis(
                Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000))
            : Duration.parse(text);
        if (!d.isNegative() && d.compareTo(Duration.ofMinutes(5)) <= 0) {
          return d;
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        // reported below
      }
      throw bad(name, text, "must be a duration from 0 to 5m, like 500ms, 3s or PT3S");
    }

    IllegalArgumentException bad(String name, String value, String rule) {
      return new IllegalArgumentException(PREFIX + name + " " + rule + ", was '" + value + "'");
    }
  }
}
