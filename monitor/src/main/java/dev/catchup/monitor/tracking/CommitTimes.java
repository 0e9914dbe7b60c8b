package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import java.util.UUID;

/**
 * The primary's recent transactions with their original commit times, oldest first, in a ring of
 * fixed size: enough to answer "how old is the oldest transaction this replica lacks". Written by
 * the primary's tracker thread only, read by any thread (readers take a consistent copy of the
 * indexes under the lock; entries are only ever overwritten far behind the readers' window).
 */
final class CommitTimes {
  private final long[] keyHi;
  private final long[] keyLo;
  private final long[] sequence;
  private final long[] commitMicros;
  private long count;

  CommitTimes(int capacity) {
    keyHi = new long[capacity];
    keyLo = new long[capacity];
    sequence = new long[capacity];
    commitMicros = new long[capacity];
  }

  /** Records a MySQL transaction {@code uuid:gno} committed at {@code micros} since the epoch. */
  synchronized void addMysql(UUID uuid, long gno, long micros) {
    int i = (int) (count % keyHi.length);
    keyHi[i] = uuid.getMostSignificantBits();
    keyLo[i] = uuid.getLeastSignificantBits();
    sequence[i] = gno;
    commitMicros[i] = micros;
    count++;
  }

  /** Records a MariaDB transaction {@code domain-*-seq} committed at {@code micros}. */
  synchronized void addMariaDb(long domain, long seq, long micros) {
    int i = (int) (count % keyHi.length);
    keyHi[i] = domain;
    keyLo[i] = 0;
    sequence[i] = seq;
    commitMicros[i] = micros;
    count++;
  }

  /**
   * Commit time (micros) of the oldest recorded transaction {@code applied} lacks, or -1 when it
   * has all of them. Replicas apply in commit order, so "applied" is true up to some index and false
   * after it; a binary search finds that index in O(log n) contains checks.
   */
  synchronized long oldestMissingMicros(GtidSet applied) {
    long size = Math.min(count, keyHi.length);
    long first = count - size;
    long lo = first;
    long hi = count; // search the first index whose transaction is missing
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (has(applied, (int) (mid % keyHi.length))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == count ? -1 : commitMicros[(int) (lo % keyHi.length)];
  }

  private boolean has(GtidSet applied, int i) {
    if (applied instanceof MysqlGtidSet m) {
      return m.contains(new UUID(keyHi[i], keyLo[i]), "", sequence[i]);
    }
    return Long.compareUnsigned(((MariaDbGtidSet) applied).sequence(keyHi[i]), sequence[i]) >= 0;
  }
}
