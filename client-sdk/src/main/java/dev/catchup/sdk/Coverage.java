package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;

/**
 * Whether what a server has covers a token: the one rule routing applies wherever it decides that
 * a server "has" the token (the monitor's view of a replica, what a replica confirmed to this
 * process, a replica's answer to a check or wait, what the monitor says of the primary).
 *
 * <p>MySQL GTIDs name their source's UUID, so containment is exact. A MariaDB position keeps one
 * entry per domain and MariaDB compares positions by sequence number only: after a failover a
 * position {@code 0-2-110} written by the promoted server 2 "contains" {@code 0-1-105}, written by
 * server 1 and lost with it. So a token entry {@code d-s-q} counts as covered only when it is
 * proven:
 * <ol>
 *   <li>the position's entry for {@code d} is server {@code s}'s, at {@code q} or beyond (within
 *       one server's run sequence numbers do order its transactions): the steady state, with no
 *       query;
 *   <li>the server's own state ({@code @@gtid_binlog_state} with {@code @@gtid_slave_pos}) has
 *       {@code s}'s transactions in {@code d} up to {@code q} or beyond; or
 *   <li>the current {@link Fence} (what the current primary had when it became primary) has
 *       {@code s} in {@code d} up to {@code q} or beyond, so the entry is part of the current
 *       lineage, and the position reached {@code q} in {@code d}.
 * </ol>
 * An unproven entry is not covered: the monitor's view and the known sets never vouch for it, and a
 * replica has it only when its own state proves it.
 */
final class Coverage {
  private Coverage() {}

  /**
   * Whether {@code position} (a monitor's view, a known set, a primary's position) covers
   * {@code token}: MySQL containment; MariaDB by rules 1 and 3 of the class comment.
   *
   * @param fence the current roles' fence, null while the configured primary is primary
   */
  static boolean covers(GtidSet position, GtidSet token, Fence fence) {
    return level(position, token, fence) == Level.PROVEN;
  }

  /** How far a position has a token; see {@link #level}. */
  enum Level {
    /** Not even by sequence number. */
    NONE,
    /** By sequence number (what the server's own comparison says), but not proven. */
    PASSED,
    /** Proven: {@link #covers} is true. */
    PROVEN
  }

  /**
   * {@link #covers}, telling a position that passes {@code token} by sequence number only
   * ({@link Level#PASSED}, MariaDB) from one that does not pass it at all, in one containment test.
   */
  static Level level(GtidSet position, GtidSet token, Fence fence) {
    if (!position.contains(token)) {
      return Level.NONE; // not even by sequence number: the common "not yet" answer, one test
    }
    if (!(token instanceof MariaDbGtidSet t)) {
      return Level.PROVEN;
    }
    MariaDbGtidSet p = (MariaDbGtidSet) position;
    for (MariaDbGtidSet.Entry e : t.entries()) {
      if (!sameServer(p, e) && !inLineage(fence, e)) {
        return Level.PASSED;
      }
    }
    return Level.PROVEN;
  }

  /**
   * Whether a server whose position reached {@code token} in every domain (its check or wait
   * returned true, which compares by sequence number only) has the token, given its own
   * {@code state}: each entry proven by that state (rule 2) or by the fence (rule 3). MySQL: true
   * (the server's answer is exact).
   *
   * @param state MariaDB: the server's {@code @@gtid_binlog_state} and {@code @@gtid_slave_pos},
   *     read in the same round trip as the wait; ignored on MySQL
   */
  static boolean provenOnServer(MariaDbBinlogState state, GtidSet token, Fence fence) {
    if (!(token instanceof MariaDbGtidSet t)) {
      return true;
    }
    for (MariaDbGtidSet.Entry e : t.entries()) {
      if (!reaches(state, e) && !inLineage(fence, e)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameServer(MariaDbGtidSet position, MariaDbGtidSet.Entry e) {
    for (MariaDbGtidSet.Entry p : position.entries()) {
      if (p.domain() == e.domain()) {
        return p.server() == e.server() && Long.compareUnsigned(p.sequence(), e.sequence()) >= 0;
      }
    }
    return false;
  }

  private static boolean inLineage(Fence fence, MariaDbGtidSet.Entry e) {
    return fence != null && reaches(fence.state(), e);
  }

  private static boolean reaches(MariaDbBinlogState state, MariaDbGtidSet.Entry e) {
    return state != null && state.has(e.domain(), e.server())
        && Long.compareUnsigned(state.sequence(e.domain(), e.server()), e.sequence()) >= 0;
  }
}
