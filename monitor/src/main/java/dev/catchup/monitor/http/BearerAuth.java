package dev.catchup.monitor.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>}. Compares SHA-256 digests with {@link
 * MessageDigest#isEqual}, so the time taken says nothing about the token, not even its length.
 * Holds only the digest: the token itself is never kept, logged or echoed.
 */
final class BearerAuth {
  private static final String SCHEME = "Bearer ";

  private final byte[] expected;

  BearerAuth(String token) {
    this.expected = sha256(token);
  }

  /** True when {@code authorization} (the header value, may be null) carries the token. */
  boolean allows(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(expected, sha256(authorization.substring(SCHEME.length()).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
