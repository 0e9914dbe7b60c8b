package dev.catchup.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Catchup monitors reads may follow (any of them will do; none means reads ask the servers),
 * the bearer token they may require, and how long a silent monitor is still followed. Each
 * {@code with} method checks its argument and returns a new value. Its {@link #toString()} masks the
 * token.
 */
record MonitorSettings(List<URI> urls, String token, Duration maxStaleness) {

  static final MonitorSettings NONE = new MonitorSettings(List.of(), null, Duration.ofSeconds(3));

  MonitorSettings {
    urls = List.copyOf(urls);
    PoolSettings.checkTimeout("monitorMaxStaleness", maxStaleness);
  }

  /** Adds a monitor's base URL: http(s), and without credentials, since URLs are logged. */
  MonitorSettings withMonitor(String baseUrl) {
    URI uri;
    try {
      uri = URI.create(Objects.requireNonNull(baseUrl, "monitor URL must not be null"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("monitor must be an http(s) URL, was '" + baseUrl + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("monitor URL must not carry credentials "
          + "(user:password@host); use monitorToken()");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("monitor must be an http(s) URL, was '" + baseUrl + "'");
    }
    List<URI> more = new ArrayList<>(urls);
    more.add(uri);
    return new MonitorSettings(more, token, maxStaleness);
  }

  MonitorSettings withToken(String token) {
    return new MonitorSettings(urls, token, maxStaleness);
  }

  MonitorSettings withMaxStaleness(Duration maxStaleness) {
    return new MonitorSettings(urls, token, maxStaleness);
  }

  boolean configured() {
    return !urls.isEmpty();
  }

  @Override
  public String toString() {
    return (urls.isEmpty() ? "none" : urls.toString()) + (token == null ? "" : " (token ****)");
  }
}
