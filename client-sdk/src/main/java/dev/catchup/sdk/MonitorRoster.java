package dev.catchup.sdk;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitors a {@link MonitorFeed} may follow: which one it follows, and for each of the others
 * why not (on standby, not tried yet, or what its last try came to). The feed's reader thread
 * writes; anyone reads, for the health reason that {@code routingHealth()} reports.
 */
final class MonitorRoster {
  private static final String STANDBY = "on standby (one monitor is followed at a time; the others "
      + "are tried when it fails)";

  private final List<URI> streams;
  private final List<String> labels;
  /** Why a monitor is not followed, by index: its last try's outcome. None: not tried yet. */
  private final Map<Integer, String> notes = new ConcurrentHashMap<>();
  /** Monitors found serving another flavor or schema: a configuration error, never retried. */
  private final Map<Integer, Boolean> misconfigured = new ConcurrentHashMap<>();
  private volatile int followed = -1;

  MonitorRoster(List<URI> monitors) {
    this.streams = monitors.stream().map(MonitorRoster::streamUri).toList();
    this.labels = monitors.stream().map(MonitorRoster::label).toList();
  }

  /**
   * The stream endpoint of a monitor at {@code base}, keeping any path prefix (a monitor behind a
   * reverse proxy at {@code https://ops.example/catchup/}, with or without the trailing slash, has
   * its stream at {@code https://ops.example/catchup/stream}).
   */
  static URI streamUri(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    if (!path.endsWith("/")) {
      path += "/";
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "stream");
  }

  /** How a monitor is named in logs and reasons: host, port and any path prefix. */
  static String label(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return base.getRawAuthority() + path;
  }

  int size() {
    return streams.size();
  }

  URI stream(int i) {
    return streams.get(i);
  }

  String label(int i) {
    return labels.get(i);
  }

  /** The monitor followed now, or -1. */
  int followed() {
    return followed;
  }

  void following(int i) {
    notes.remove(i);
    followed = i;
  }

  /** Monitor {@code i} is not followed (any more), for the reason {@code note} gives in full. */
  void notFollowed(int i, String note) {
    notes.put(i, note);
    if (followed == i) {
      followed = -1;
    }
  }

  void misconfigured(int i, String note) {
    misconfigured.put(i, true);
    notFollowed(i, note);
  }

  boolean isMisconfigured(int i) {
    return misconfigured.containsKey(i);
  }

  boolean allMisconfigured() {
    return misconfigured.size() == streams.size();
  }

  /** What is known of every monitor but {@code except} (-1: of all), one clause each. */
  String notes(int except) {
    List<String> out = new ArrayList<>(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      if (i == except) {
        continue;
      }
      String note = notes.get(i);
      if (note == null) {
        note = "monitor " + labels.get(i) + (followed >= 0 ? " " + STANDBY : " not tried yet");
      }
      out.add(note);
    }
    return String.join("; ", out);
  }
}
