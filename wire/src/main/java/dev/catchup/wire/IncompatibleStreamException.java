package dev.catchup.wire;

import java.io.IOException;

/**
 * A stream this reader must not follow at all: another major {@code schema} version, or GTIDs of
 * the other flavor. A configuration error (wrong monitor URL, flavor or version), not a bad event:
 * report it once and stop following that monitor, since retrying cannot help.
 */
public final class IncompatibleStreamException extends IOException {
  private static final long serialVersionUID = 1L;

  public IncompatibleStreamException(String message) {
    super(message);
  }
}
