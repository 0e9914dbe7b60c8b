package dev.catchup.bench.harness;

/** What every harness's per-flavor result names: the flavor and the server version it measured. */
public interface MeasuredFlavor {
  /** mysql or mariadb. */
  String flavor();

  /** The primary's {@code VERSION()}. */
  String serverVersion();
}
