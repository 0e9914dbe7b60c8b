package dev.catchup.samples.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything one strategy's run counted. Thread-safe; a run's clients share one. */
public final class Tally {
  /** The reads the driver checks, each right after the write it must see (or not). */
  public enum Check {
    OWN_ORDER("own order, read right after placing it"),
    INVOICE("invoice: billing reads the order with the token"),
    STATUS("status, read right after paying");

    final String label;

    Check(String label) {
      this.label = label;
    }
  }

  private final String name;
  private final Map<Check, int[]> staleAndTotal = new EnumMap<>(Check.class);
  private int replicaAtOnce;
  private int replicaAfterWait;
  private int primary;
  private double waitedMillis;
  private int failures;
  private final List<String> failureSamples = new ArrayList<>();
  private final List<Double> readAfterWriteMillis = new ArrayList<>();
  private final List<Double> otherReadMillis = new ArrayList<>();
  private final List<Double> writeMillis = new ArrayList<>();

  Tally(String name) {
    this.name = name;
    for (Check c : Check.values()) {
      staleAndTotal.put(c, new int[2]);
    }
  }

  public String name() {
    return name;
  }

  synchronized void checked(Check check, boolean stale) {
    int[] st = staleAndTotal.get(check);
    st[1]++;
    if (stale) {
      st[0]++;
    }
  }

  synchronized void routed(String target, double waited) {
    if (target == null) {
      return;
    }
    if (target.equals("primary")) {
      primary++;
    } else if (waited > 0) {
      replicaAfterWait++;
      waitedMillis += waited;
    } else {
      replicaAtOnce++;
    }
  }

  synchronized void failed(String what) {
    failures++;
    if (failureSamples.size() < 3) {
      failureSamples.add(what);
    }
  }

  synchronized void readAfterWrite(double millis) {
    readAfterWriteMillis.add(millis);
  }

  synchronized void otherRead(double millis) {
    otherReadMillis.add(millis);
  }

  synchronized void write(double millis) {
    writeMillis.add(millis);
  }

  /** Stale reads of this kind. */
  public synchronized int stale(Check check) {
    return staleAndTotal.get(check)[0];
  }

  /** Checked reads of this kind. */
  public synchronized int checked(Check check) {
    return staleAndTotal.get(check)[1];
  }

  public synchronized int staleTotal() {
    return staleAndTotal.values().stream().mapToInt(a -> a[0]).sum();
  }

  public synchronized int checkedTotal() {
    return staleAndTotal.values().stream().mapToInt(a -> a[1]).sum();
  }

  public synchronized int replicaAtOnce() {
    return replicaAtOnce;
  }

  public synchronized int replicaAfterWait() {
    return replicaAfterWait;
  }

  public synchronized int primary() {
    return primary;
  }

  public synchronized int failures() {
    return failures;
  }

  synchronized List<String> failureSamples() {
    return List.copyOf(failureSamples);
  }

  synchronized double averageWaitMillis() {
    return replicaAfterWait == 0 ? 0 : waitedMillis / replicaAfterWait;
  }

  synchronized double[] readAfterWrite() {
    return percentiles(readAfterWriteMillis);
  }

  synchronized double[] otherReads() {
    return percentiles(otherReadMillis);
  }

  synchronized double[] writes() {
    return percentiles(writeMillis);
  }

  /** p50, p99 and max, or an empty array when nothing was measured. */
  private static double[] percentiles(List<Double> values) {
    if (values.isEmpty()) {
      return new double[0];
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new double[] {at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1)};
  }

  private static double at(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
