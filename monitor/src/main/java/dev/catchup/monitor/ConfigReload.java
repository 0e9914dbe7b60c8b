package dev.catchup.monitor;

import dev.catchup.monitor.http.HttpSettings;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a configuration reload (SIGHUP) changes: a pure comparison of the running configuration
 * with the one just loaded. Only the seed list changes live (servers added, removed, or moved to
 * another address); every other setting that differs is named as needing a restart, and the
 * running value is kept.
 *
 * @param added servers to start tracking, in configuration order
 * @param removed names of servers to stop tracking
 * @param moved servers whose host or port changed: tracked again at the new address
 * @param needRestart settings that differ but take effect only after a restart, by name
 */
record ConfigReload(List<MonitorConfig.Server> added, List<String> removed,
    List<MonitorConfig.Server> moved, List<String> needRestart) {
  /** The http settings named on their own; every other component counts as "the rest". */
  private static final Set<String> HTTP_NAMED = Set.of("bindAddress", "port");

  ConfigReload {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    moved = List.copyOf(moved);
    needRestart = List.copyOf(needRestart);
  }

  /** Compares {@code running} with {@code loaded}. */
  static ConfigReload of(MonitorConfig running, MonitorConfig loaded) {
    Map<String, MonitorConfig.Server> before = servers(running);
    Map<String, MonitorConfig.Server> after = servers(loaded);
    List<MonitorConfig.Server> added = new ArrayList<>();
    List<MonitorConfig.Server> moved = new ArrayList<>();
    for (MonitorConfig.Server s : after.values()) {
      MonitorConfig.Server was = before.get(s.name());
      if (was == null) {
        added.add(s);
      } else if (!was.host().equals(s.host()) || was.port() != s.port()) {
        moved.add(s);
      }
    }
    List<String> removed = before.keySet().stream().filter(n -> !after.containsKey(n)).toList();
    List<String> restart = new ArrayList<>();
    differs(restart, "flavor", running.flavor(), loaded.flavor());
    differs(restart, "user", running.user(), loaded.user());
    differs(restart, "password", running.password(), loaded.password());
    differs(restart, "staleAfter", running.staleAfter(), loaded.staleAfter());
    differs(restart, "reconcileInterval", running.tracker().reconcileInterval(),
        loaded.tracker().reconcileInterval());
    differs(restart, "heartbeatInterval", running.tracker().heartbeatInterval(),
        loaded.tracker().heartbeatInterval());
    differs(restart, "http.bind", running.http().bindAddress(), loaded.http().bindAddress());
    differs(restart, "http.port", running.http().port(), loaded.http().port());
    // The rest of http (token, limits, timeouts) as one: the settings record compares them all.
    if (!httpRest(running.http()).equals(httpRest(loaded.http()))) {
      restart.add("http (token, limits or timeouts)");
    }
    differs(restart, "tls", running.tls(), loaded.tls());
    return new ConfigReload(added, removed, moved, restart);
  }

  /** True when the seed list is unchanged. */
  boolean serversUnchanged() {
    return added.isEmpty() && removed.isEmpty() && moved.isEmpty();
  }

  /** One line for the log: what is applied, and what waits for a restart. */
  String describe() {
    StringBuilder b = new StringBuilder("configuration reloaded: ");
    if (serversUnchanged()) {
      b.append("servers unchanged");
    } else {
      List<String> parts = new ArrayList<>();
      added.forEach(s -> parts.add("tracking " + s.name() + " (" + s.host() + ":" + s.port() + ")"));
      removed.forEach(n -> parts.add("untracking " + n));
      moved.forEach(s -> parts.add(s.name() + " moved to " + s.host() + ":" + s.port()));
      b.append(String.join(", ", parts));
    }
    if (!needRestart.isEmpty()) {
      b.append("; changed but applied only after a restart (running values kept): ")
          .append(String.join(", ", needRestart));
    }
    return b.toString();
  }

  private static Map<String, MonitorConfig.Server> servers(MonitorConfig c) {
    Map<String, MonitorConfig.Server> m = new LinkedHashMap<>();
    m.put(c.primary().name(), c.primary());
    c.replicas().forEach(r -> m.put(r.name(), r));
    return m;
  }

  /**
   * Every http setting but bind and port, read through the record's components rather than a
   * hand-kept list, so that a setting added to {@link HttpSettings} later cannot be forgotten here
   * (maxSubscribers and maxWaits once were). Building a copy with the running bind and port would
   * not do: the settings constructor checks bind against the token and may refuse the mix.
   */
  private static List<Object> httpRest(HttpSettings h) {
    List<Object> values = new ArrayList<>();
    for (RecordComponent c : HttpSettings.class.getRecordComponents()) {
      if (!HTTP_NAMED.contains(c.getName())) {
        try {
          values.add(c.getAccessor().invoke(h));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read http setting " + c.getName(), e);
        }
      }
    }
    return values;
  }

  private static void differs(List<String> out, String name, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(name);
    }
  }
}
