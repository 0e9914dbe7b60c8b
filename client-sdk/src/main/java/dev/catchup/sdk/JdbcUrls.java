package dev.catchup.sdk;

import com.mysql.cj.conf.ConnectionUrlParser;
import com.mysql.cj.conf.HostInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks the JDBC URLs given to the builder. They are logged at start, so they must not carry a
 * secret in any form Connector/J understands: {@code user:password@host}, a {@code password}
 * (or {@code password1..3}, or a key store password) property in the query, in the
 * {@code (host=..,password=..)} or {@code address=(..)(password=..)} host syntax, percent-encoded or
 * not. The URL is parsed by Connector/J's own parser, so a form it reads is a form checked here; a
 * textual check backs it up. Messages never echo a secret.
 */
final class JdbcUrls {
  private static final Pattern PASSWORD_KEY = Pattern.compile("(?i)password\\w*\\s*=");
  private static final Pattern MASK_USER_INFO = Pattern.compile("(?<=//|,|\\()[^/?,()@\\s]*@");
  private static final Pattern MASK_PASSWORD = Pattern.compile("(?i)(password\\w*\\s*=\\s*)[^&;,)\\s]*");

  private JdbcUrls() {}

  /**
   * Returns {@code url} when it is a Connector/J URL without a password.
   *
   * @param what the setting, for messages ("primary", "replica r1")
   * @throws IllegalArgumentException naming the setting and the rule, never the secret
   */
  static String check(String what, String url) {
    if (url == null || !url.startsWith("jdbc:mysql:")) {
      throw new IllegalArgumentException(what + " must be a jdbc:mysql: URL (Connector/J), was '"
          + mask(url) + "'");
    }
    List<String> passwordKeys;
    try {
      passwordKeys = passwordKeys(ConnectionUrlParser.parseConnectionString(url));
    } catch (RuntimeException e) {
      // Connector/J's message quotes the URL near the error, which may be a secret: not repeated.
      throw new IllegalArgumentException(what + " is not a valid Connector/J URL ("
          + mask(url) + ")");
    }
    for (String key : passwordKeys) {
      if (key.toLowerCase(Locale.ROOT).matches("password[1-3]?")) {
        throw new IllegalArgumentException(what + " URL must not carry a password: URLs are "
            + "logged; use credentials()");
      }
      throw new IllegalArgumentException(what + " URL must not carry a password (" + key
          + "): URLs are logged; set it with configurePools(c -> c.addDataSourceProperty(\""
          + key + "\", ...))");
    }
    if (PASSWORD_KEY.matcher(decoded(url)).find()) {
      throw new IllegalArgumentException(what + " URL must not carry a password: URLs are "
          + "logged; use credentials()");
    }
    return url;
  }

  /** Keys (and user info) of {@code parsed} that hold a password; parses the hosts (lazily parsed). */
  private static List<String> passwordKeys(ConnectionUrlParser parsed) {
    List<String> keys = new ArrayList<>();
    for (HostInfo host : parsed.getHosts()) {
      if (host.getPassword() != null) {
        keys.add("password"); // user:password@host, or password= in the host syntax
      }
      passwordKeysOf(host.getHostProperties(), keys);
    }
    passwordKeysOf(parsed.getProperties(), keys);
    return keys;
  }

  private static void passwordKeysOf(Map<String, String> properties, List<String> into) {
    for (String key : properties.keySet()) {
      if (key.toLowerCase(Locale.ROOT).contains("password")) {
        into.add(key.strip());
      }
    }
  }

  private static String decoded(String url) {
    try {
      return URLDecoder.decode(url.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return url; // a stray '%': Connector/J read it as text, and so does the check
    }
  }

  /** {@code url} with user info and password values replaced by {@code ****}, for messages. */
  static String mask(String url) {
    if (url == null) {
      return null;
    }
    if (url.indexOf('%') >= 0) {
      // Encoded text could hide a key from the patterns below: show only the scheme.
      int slash = url.indexOf("//");
      return (slash < 0 ? "" : url.substring(0, slash + 2)) + "****";
    }
    String masked = MASK_USER_INFO.matcher(url).replaceAll("****@");
    return MASK_PASSWORD.matcher(masked).replaceAll("$1****");
  }
}
