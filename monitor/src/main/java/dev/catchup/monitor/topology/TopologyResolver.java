package dev.catchup.monitor.topology;

import dev.catchup.monitor.topology.ReplicationTopology.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Derives the topology from what each server says of itself ({@link ServerFacts}): a pure function
 * of the current topology, the seed list and the facts, table-tested without servers.
 *
 * <p>The rules, with no guessing:
 * <ul>
 *   <li>A primary candidate is a server read now that is writable (neither read_only nor
 *       super_read_only) and has no replication configured (a promoted replica had its
 *       replication reset).
 *   <li>One candidate: it is the primary. Two or more: the current primary stays if it is one of
 *       them, else there is none; either way the conflict is reported. None: the current primary
 *       stays (down, or read-only during a switchover), unless it now replicates from another
 *       server or left the seed list.
 *   <li>A server with replication configured is a replica; its source is the seed its replica
 *       status names (by source UUID, else source server id, else host and port, loopback names
 *       being one host), null when it names none. Chains are replicas of replicas.
 *   <li>A server not read (never, or unreachable now) keeps its last role, except that a former
 *       primary becomes {@link Role#UNKNOWN}; a read-only server that replicates from no one, or a
 *       writable one beside the primary, is {@link Role#UNKNOWN} too.
 * </ul>
 */
public final class TopologyResolver {
  private TopologyResolver() {}

  /**
   * The topology the facts show. Returns {@code current} itself when nothing changed, a topology of
   * the same generation when only read-only flags were read for the first time, else one of the
   * next generation.
   *
   * @param facts by server name; a missing entry means "never read"
   */
  public static ReplicationTopology resolve(ReplicationTopology current, List<Seed> seeds,
      Map<String, ServerFacts> facts) {
    List<String> candidates = new ArrayList<>();
    for (Seed s : seeds) {
      ServerFacts f = facts.get(s.name());
      if (f != null && f.primaryCandidate()) {
        candidates.add(s.name());
      }
    }
    String primary;
    String conflict = null;
    boolean currentIsSeed = seeds.stream().anyMatch(s -> s.name().equals(current.primary()));
    if (candidates.size() == 1) {
      primary = candidates.get(0);
    } else if (candidates.size() > 1) {
      primary = candidates.contains(current.primary()) ? current.primary() : null;
      conflict = String.join(", ", candidates) + " are all writable and replicate from no server; "
          + (primary == null ? "no primary until all but one are read-only or replicate"
              : "keeping " + primary + " as the primary");
    } else {
      ServerFacts f = current.primary() == null ? null : facts.get(current.primary());
      boolean replicatesNow = f != null && f.reachable() && f.source() != null;
      primary = currentIsSeed && !replicatesNow ? current.primary() : null;
    }
    List<Member> members = new ArrayList<>();
    boolean changed = !Objects.equals(primary, current.primary())
        || !Objects.equals(conflict, current.conflict()) || seeds.size() != current.members().size();
    for (Seed s : seeds) {
      Member before = current.member(s.name());
      Member now = member(s, primary, before, facts, seeds);
      members.add(now);
      if (before == null || before.role() != now.role() || !Objects.equals(before.source(), now.source())
          || (before.readOnly() != null && !before.readOnly().equals(now.readOnly()))) {
        changed = true;
      }
    }
    if (!changed && members.equals(current.members())) {
      return current;
    }
    return new ReplicationTopology(current.generation() + (changed ? 1 : 0), primary, conflict,
        members);
  }

  private static Member member(Seed s, String primary, Member before, Map<String, ServerFacts> facts,
      List<Seed> seeds) {
    ServerFacts f = facts.get(s.name());
    Boolean readOnly = f != null && f.reachable() ? Boolean.valueOf(f.readOnly())
        : before == null ? null : before.readOnly();
    if (s.name().equals(primary)) {
      return new Member(s.name(), Role.PRIMARY, null, readOnly);
    }
    if (f == null || !f.reachable()) {
      if (before == null || before.role() == Role.PRIMARY) {
        return new Member(s.name(), Role.UNKNOWN, null, readOnly);
      }
      return new Member(s.name(), before.role(), before.source(), readOnly);
    }
    if (f.source() != null) {
      return new Member(s.name(), Role.REPLICA, sourceName(s.name(), f.source(), seeds, facts),
          readOnly);
    }
    return new Member(s.name(), Role.UNKNOWN, null, readOnly);
  }

  /** The seed {@code source} names, other than {@code self}; null when none does. */
  static String sourceName(String self, ServerFacts.Source source, List<Seed> seeds,
      Map<String, ServerFacts> facts) {
    if (source.uuid() != null && !source.uuid().isBlank()) {
      for (Seed s : seeds) {
        ServerFacts f = facts.get(s.name());
        if (!s.name().equals(self) && f != null && source.uuid().equalsIgnoreCase(f.serverUuid())) {
          return s.name();
        }
      }
    }
    if (source.serverId() > 0) {
      String found = null;
      for (Seed s : seeds) {
        ServerFacts f = facts.get(s.name());
        if (!s.name().equals(self) && f != null && f.reachable() && f.serverId() == source.serverId()) {
          if (found != null) {
            found = null; // two servers with one id: the id says nothing
            break;
          }
          found = s.name();
        }
      }
      if (found != null) {
        return found;
      }
    }
    for (Seed s : seeds) {
      if (!s.name().equals(self) && s.port() == source.port() && sameHost(s.host(), source.host())) {
        return s.name();
      }
    }
    return null;
  }

  /** Equal ignoring case, or both loopback (a replica may say 127.0.0.1 where the seed says localhost). */
  static boolean sameHost(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return a.equalsIgnoreCase(b) || (loopback(a) && loopback(b));
  }

  private static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /**
   * What changed from {@code before} to {@code after}, in one line for the log: {@code topology
   * generation 3: primary db1 -> db2; db1 primary -> replica of db2 (read-only); db2 replica of db1
   * -> primary}.
   */
  public static String describe(ReplicationTopology before, ReplicationTopology after) {
    StringBuilder b = new StringBuilder("topology generation ").append(after.generation()).append(':');
    String sep = " ";
    if (!Objects.equals(before.primary(), after.primary())) {
      b.append(sep).append("primary ").append(orNone(before.primary())).append(" -> ")
          .append(orNone(after.primary()));
      sep = "; ";
    }
    for (Member m : after.members()) {
      Member was = before.member(m.name());
      String now = place(m);
      if (was == null) {
        b.append(sep).append(m.name()).append(" added as ").append(now);
        sep = "; ";
      } else if (!place(was).equals(now)) {
        b.append(sep).append(m.name()).append(' ').append(place(was)).append(" -> ").append(now);
        sep = "; ";
      }
    }
    for (Member m : before.members()) {
      if (after.member(m.name()) == null) {
        b.append(sep).append(m.name()).append(" removed");
        sep = "; ";
      }
    }
    if (after.conflict() != null && !after.conflict().equals(before.conflict())) {
      b.append(sep).append("conflict: ").append(after.conflict());
    } else if (after.conflict() == null && before.conflict() != null) {
      b.append(sep).append("conflict resolved");
    }
    return b.toString();
  }

  private static String place(Member m) {
    String role = switch (m.role()) {
      case PRIMARY -> "primary";
      case REPLICA -> m.source() == null ? "replica of an unlisted source" : "replica of " + m.source();
      case UNKNOWN -> "unknown";
    };
    return Boolean.TRUE.equals(m.readOnly()) ? role + " (read-only)" : role;
  }

  private static String orNone(String s) {
    return s == null ? "(none)" : s;
  }
}
