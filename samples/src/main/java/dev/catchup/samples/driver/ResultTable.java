package dev.catchup.samples.driver;

import dev.catchup.samples.driver.Tally.Check;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Prints the tallies side by side, a column per strategy, as a person reads a comparison. */
final class ResultTable {
  private static final int LABEL = 52;
  private static final int COLUMN = 28;

  private ResultTable() {}

  static void print(List<Tally> tallies, PrintStream out) {
    header(tallies, out);
    out.println("stale reads (checked against what the client wrote)");
    for (Check c : Check.values()) {
      row(out, "  " + c.label, tallies, t -> t.stale(c) + " of " + t.checked(c));
    }
    out.println("reads served by");
    row(out, "  a replica, at once", tallies, t -> String.valueOf(t.replicaAtOnce()));
    row(out, "  a replica, after waiting for it", tallies, t -> t.replicaAfterWait() == 0 ? "0"
        : String.format(Locale.ROOT, "%d (avg %s)", t.replicaAfterWait(),
            millis(t.averageWaitMillis())));
    row(out, "  the primary", tallies, t -> String.valueOf(t.primary()));
    out.println("latency, HTTP round trip (p50 / p99)");
    row(out, "  read right after a write", tallies, t -> pair(t.readAfterWrite()));
    row(out, "  read that follows no write", tallies, t -> pair(t.otherReads()));
    row(out, "  write (placing includes the billing call)", tallies, t -> pair(t.writes()));
    row(out, "failed requests", tallies, t -> String.valueOf(t.failures()));
    for (Tally t : tallies) {
      for (String f : t.failureSamples()) {
        out.println("  " + t.name() + ": " + f);
      }
    }
  }

  private static void header(List<Tally> tallies, PrintStream out) {
    StringBuilder b = new StringBuilder(" ".repeat(LABEL));
    for (Tally t : tallies) {
      b.append(String.format(Locale.ROOT, "%" + COLUMN + "s", t.name()));
    }
    out.println(b);
  }

  private static void row(PrintStream out, String label, List<Tally> tallies,
      Function<Tally, String> cell) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + LABEL + "s", label));
    for (Tally t : tallies) {
      b.append(String.format(Locale.ROOT, "%" + COLUMN + "s", cell.apply(t)));
    }
    out.println(b);
  }

  private static String pair(double[] p) {
    return p.length == 0 ? "-" : millis(p[0]) + " / " + millis(p[1]);
  }

  private static String millis(double ms) {
    return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000)
        : String.format(Locale.ROOT, "%.1f ms", ms);
  }
}
