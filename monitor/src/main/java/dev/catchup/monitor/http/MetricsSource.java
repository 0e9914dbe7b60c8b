package dev.catchup.monitor.http;

/**
 * Extra lines for {@code GET /metrics}, appended after the monitor's own families. Called on an
 * HTTP thread for each scrape; should be quick. A failure is logged and its output left out.
 */
@FunctionalInterface
public interface MetricsSource {
  /**
   * Appends complete metric families in Prometheus text format 0.0.4: {@code # HELP}, {@code #
   * TYPE} and samples, each line ending in {@code \n}.
   */
  void appendTo(StringBuilder out);
}
