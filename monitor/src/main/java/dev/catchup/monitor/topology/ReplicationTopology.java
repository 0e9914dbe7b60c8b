package dev.catchup.monitor.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who is primary and who replicates from whom: one immutable value, swapped atomically by the
 * {@code Registry}. Its generation grows by one with every change of the primary, a role, a
 * source, a known read-only flag or the conflict; a read-only flag read for the first time is
 * filled in without a new generation (it changes nothing anyone acted on).
 *
 * @param generation 1 for the topology assumed from the configuration, then one more per change
 * @param primary the primary's name, or null when there is none
 * @param conflict why the primary is in doubt (two writable servers that replicate from no one),
 *     else null
 * @param members every server, in configuration order
 */
public record ReplicationTopology(long generation, String primary, String conflict,
    List<Member> members) {

  /**
   * One server's place.
   *
   * @param name the server's configured name
   * @param role its role
   * @param source the name of the server it replicates from; null for the primary, for a server
   *     that replicates from no one, or from a server not in the configuration
   * @param readOnly read_only or super_read_only on; null when never read
   */
  public record Member(String name, Role role, String source, Boolean readOnly) {
    public Member {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
    }
  }

  public ReplicationTopology {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be at least 1, was " + generation);
    }
    members = List.copyOf(members);
  }

  /**
   * The topology the configuration states, before any server was read: {@code primary} is the
   * primary and every other server its replica.
   */
  public static ReplicationTopology configured(String primary, List<String> replicas) {
    List<Member> members = new ArrayList<>();
    members.add(new Member(primary, Role.PRIMARY, null, null));
    for (String r : replicas) {
      members.add(new Member(r, Role.REPLICA, primary, null));
    }
    return new ReplicationTopology(1, primary, null, members);
  }

  /** The member named {@code name}, or null. */
  public Member member(String name) {
    for (Member m : members) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** The role of {@code name}; {@link Role#UNKNOWN} for a server not in the topology. */
  public Role roleOf(String name) {
    Member m = member(name);
    return m == null ? Role.UNKNOWN : m.role();
  }
}
