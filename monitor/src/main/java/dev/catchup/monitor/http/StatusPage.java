package dev.catchup.monitor.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * {@code /}: the status page, one self-contained HTML resource ({@code status-page.html}) whose
 * script polls {@code /status} and {@code /history}.
 *
 * <p>The page is public even when a token is configured: it is the same bytes for everyone and
 * carries no data; its script sends the token with each request. A Content-Security-Policy allows
 * exactly the page's own inline style and script (by SHA-256), requests to this origin only, and
 * no framing: even a mistake in escaping server-provided text could not run injected script.
 */
final class StatusPage {
  static final String RESOURCE = "status-page.html";

  private final Reply reply;

  StatusPage() {
    String html = load();
    String csp = "default-src 'none'; style-src " + hashOf(html, "style") + "; script-src "
        + hashOf(html, "script") + "; connect-src 'self'; img-src data:; base-uri 'none'; "
        + "form-action 'none'; frame-ancestors 'none'";
    this.reply = new Reply(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Security-Policy", csp, "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer"));
  }

  Reply reply() {
    return reply;
  }

  private static String load() {
    try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the monitor's classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The CSP source for the one inline {@code <tag>} element of {@code html}. */
  static String hashOf(String html, String tag) {
    String open = "<" + tag + ">";
    String close = "</" + tag + ">";
    int start = html.indexOf(open);
    int end = html.indexOf(close);
    if (start < 0 || end < start || html.indexOf(open, start + 1) >= 0) {
      throw new IllegalStateException(RESOURCE + " must have exactly one " + open + " element");
    }
    byte[] body = html.substring(start + open.length(), end).getBytes(StandardCharsets.UTF_8);
    try {
      return "'sha256-" + Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(body)) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
