package dev.catchup.monitor.grants;

import java.util.List;

/**
 * A server the monitor reached runs a release Catchup does not support: older than
 * {@link dev.catchup.dialect.Dialect#minimumVersion()}, or of the other flavor than configured. At
 * start the monitor does not start; the message names each server, its version and the minimum.
 */
public final class UnsupportedServerException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** One line per server: its name, its version and why it is refused. */
  private final List<String> refusals;

  UnsupportedServerException(List<String> refusals) {
    super(message(refusals));
    this.refusals = List.copyOf(refusals);
  }

  /** One line per refused server: its name, its version and the minimum. */
  public List<String> refusals() {
    return refusals;
  }

  private static String message(List<String> refusals) {
    if (refusals.size() == 1) {
      return "unsupported server (see Supported servers in the README): " + refusals.get(0);
    }
    StringBuilder b = new StringBuilder("unsupported servers (see Supported servers in the README):");
    refusals.forEach(r -> b.append("\n  ").append(r));
    return b.toString();
  }
}
