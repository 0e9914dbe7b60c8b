package dev.catchup.monitor.http;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests refused with 503 for one fan-out limit ({@code http.maxSubscribers} or
 * {@code http.maxWaits}): counted for {@code /metrics}, and logged once per streak (a warning at
 * the first refusal naming the setting, a line when one is accepted again with how many were
 * refused meanwhile), so that a fleet outgrowing the limit shows in the log without a line per
 * request.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);

  private final String setting;
  private final String what;
  private final int limit;
  private final AtomicLong total = new AtomicLong();
  /**
   * Refusals in the current streak, 0 when none: one number, so that ending a streak takes its
   * count in the same step (a flag and a separate count let a refusal of the next streak, counted
   * between the two, be reported with the one ending).
   */
  private final AtomicLong inStreak = new AtomicLong();

  /**
   * @param setting the setting that bounds it, named in the log
   * @param what what is refused, plural ("stream subscribers")
   * @param limit the setting's value
   */
  Refusals(String setting, String what, int limit) {
    this.setting = setting;
    this.what = what;
    this.limit = limit;
  }

  /** Counts one refusal; the first of a streak is logged. */
  void refused() {
    total.incrementAndGet();
    if (inStreak.getAndIncrement() == 0) {
      log.warn("refusing {} with 503: {} are open ({} {}); raise it, or spread the clients over "
          + "more monitors", what, limit, setting, limit);
    }
  }

  /** One was accepted: ends a streak of refusals, if any, with a line saying how many there were. */
  void accepted() {
    // A read first: most requests are accepted outside any streak, and a read costs no write.
    if (inStreak.get() == 0) {
      return;
    }
    long refused = inStreak.getAndSet(0);
    if (refused > 0) {
      log.info("accepting {} again; {} refused (503) while {} ({}) were open", what, refused,
          limit, setting);
    }
  }

  /** Refusals since start. */
  long total() {
    return total.get();
  }
}
