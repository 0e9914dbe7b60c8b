package dev.catchup.wire;

import java.io.IOException;

/**
 * An event that cannot be read (not JSON, a required field missing or of the wrong type, a GTID
 * set that parses in neither flavor). The reader skips it: the next snapshot of that server
 * replaces it.
 */
public final class MalformedEventException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedEventException(String message) {
    super(message);
  }
}
