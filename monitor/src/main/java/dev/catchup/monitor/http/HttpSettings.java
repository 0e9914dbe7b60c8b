package dev.catchup.monitor.http;

import java.time.Duration;

/**
 * Settings of the HTTP API, validated when built. {@link #toString()} masks the token.
 *
 * @param bindAddress address or host name to listen on; the API has no TLS, keep it private
 * @param port TCP port, 0 for an ephemeral one (see {@link HttpApi#port()})
 * @param bearerToken when non-null, every endpoint but {@code /health} requires {@code
 *     Authorization: Bearer <token>}
 * @param defaultMaxLag {@code /check} threshold when the caller gives no {@code maxLag}
 * @param maxWait the longest {@code timeout} a {@code /wait} caller may ask for
 */
public record HttpSettings(String bindAddress, int port, String bearerToken, Duration defaultMaxLag,
    Duration maxWait) {
  private static final Duration MAX_DURATION = Duration.ofHours(1);

  public HttpSettings {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("http.bind must not be empty, was '" + bindAddress + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be between 0 and 65535, was " + port);
    }
    // The value is a secret: the message describes the rule only.
    if (bearerToken != null && !bearerToken.matches("[\\x21-\\x7e]{1,4096}")) {
      throw new IllegalArgumentException("http.token must be 1 to 4096 printable ASCII characters "
          + "without spaces (value not shown)");
    }
    requireBetween("http.defaultMaxLag", defaultMaxLag);
    requireBetween("http.maxWait", maxWait);
  }

  private static void requireBetween(String name, Duration d) {
    if (d == null || d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + " must be between PT0S and " + MAX_DURATION
          + ", was " + d);
    }
  }

  @Override
  public String toString() {
    return "HttpSettings[bind=" + bindAddress + ", port=" + port + ", auth="
        + (bearerToken == null ? "none" : "bearer ****") + ", defaultMaxLag=" + defaultMaxLag
        + ", maxWait=" + maxWait + "]";
  }
}
