package dev.catchup.sdk;

import dev.catchup.wire.StatusEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * From the followed monitor's topology to what the SDK's {@link Roles} should become: the pure part
 * of following a monitor, a function of values (the monitor's topology, the current roles, the
 * configured names).
 *
 * <ul>
 *   <li>No primary, or a conflict (two writable servers): nothing changes; Catchup does not guess.
 *       Writes refused as read-only still make the SDK ask the servers itself.
 *   <li>A primary that is not configured here: nothing changes (the SDK cannot write to a server it
 *       has no pool for).
 *   <li>Readers: the configured servers the monitor shows as replicas whose source chain leads to
 *       the primary, and the primary with {@code readsOnPrimary}. A configured server the monitor
 *       does not list (removed from its seed list, or never in it) is not read from while the
 *       monitor is followed: the monitor confirms nothing of it, and a server removed from the
 *       monitor is usually one being retired.
 *   <li>A primary other than the current one is only a candidate: {@link Servers} reads its fence
 *       and adopts it when the server itself says it acts as primary.
 * </ul>
 */
final class MonitorRoles {
  private MonitorRoles() {}

  /**
   * What to do with one topology.
   *
   * @param primary the primary to adopt, null to keep the current one
   * @param readers the next rotation, null to keep the current one
   * @param note why nothing is adopted (no primary, a conflict, an unconfigured name), else null
   */
  record Plan(String primary, List<String> readers, String note) {
    static Plan keep(String note) {
      return new Plan(null, null, note);
    }

    boolean nothing() {
      return primary == null && readers == null;
    }
  }

  /**
   * @param configured every configured name, in configuration order
   */
  static Plan plan(Roles current, StatusEvent.Topology topology, List<String> configured,
      boolean readsOnPrimary) {
    String primary = topology.primary();
    if (topology.conflict() != null) {
      return Plan.keep("the monitor reports a conflict (" + topology.conflict() + "): keeping "
          + current.primary() + " as the primary");
    }
    if (primary == null) {
      return Plan.keep("the monitor knows no primary (generation " + topology.generation()
          + "): keeping " + current.primary() + " as the primary");
    }
    if (!configured.contains(primary)) {
      return Plan.keep("the monitor names " + primary + " primary, a server this data source is not "
          + "configured with (configured: " + configured + "): keeping " + current.primary());
    }
    List<String> readers = new ArrayList<>();
    for (String name : configured) {
      boolean reads;
      StatusEvent.Member m = topology.member(name);
      if (name.equals(primary)) {
        reads = readsOnPrimary;
      } else {
        reads = m != null && StatusEvent.REPLICA.equals(m.role()) && leadsTo(topology, m, primary);
      }
      if (reads) {
        readers.add(name);
      }
    }
    boolean newPrimary = !primary.equals(current.primary());
    boolean newReaders = !readers.equals(current.readers());
    return new Plan(newPrimary ? primary : null, newPrimary || newReaders ? readers : null, null);
  }

  /** Whether {@code m}'s chain of sources reaches {@code primary} (a loop or a gap: no). */
  private static boolean leadsTo(StatusEvent.Topology t, StatusEvent.Member m, String primary) {
    StatusEvent.Member at = m;
    for (int hops = 0; hops < t.servers().size() && at != null; hops++) {
      if (Objects.equals(at.source(), primary)) {
        return true;
      }
      if (at.source() == null || !StatusEvent.REPLICA.equals(at.role())) {
        return false;
      }
      at = t.member(at.source());
    }
    return false;
  }
}
