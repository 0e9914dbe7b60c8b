package dev.catchup.monitor.grants;

import java.util.List;

/**
 * The monitor's database user lacks a privilege the monitor needs on a server it reached at start:
 * the monitor is misconfigured and does not start. The message names each server, the account, the
 * missing grants with what needs them, and the {@code GRANT} statements to run.
 */
public final class MissingGrantsException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  MissingGrantsException(List<GrantCheck.Missing> missing) {
    super(message(missing));
  }

  private static String message(List<GrantCheck.Missing> missing) {
    StringBuilder b = new StringBuilder("the monitor's database user lacks grants it needs "
        + "(see monitor/README.md, User and grants):");
    missing.forEach(m -> b.append("\n  ").append(m.message()));
    return b.toString();
  }
}
