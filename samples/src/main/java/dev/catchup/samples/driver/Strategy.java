package dev.catchup.samples.driver;

/**
 * A way of reading after writing, as the driver exercises it.
 *
 * @param name the column heading
 * @param prefix path prefix on the services ({@code /naive} for plain splitting)
 * @param usesToken whether the client sends its token back
 * @param policy the {@code Catchup-Read-Policy} header, or null for the service's configured one
 */
public record Strategy(String name, String prefix, boolean usesToken, String policy) {
  public static final Strategy NAIVE = new Strategy("naive split", "/naive", false, null);
  public static final Strategy CATCHUP = new Strategy("Catchup", "", true, null);
  public static final Strategy CATCHUP_PRIMARY =
      new Strategy("Catchup, primary fallback", "", true, "FALLBACK_TO_PRIMARY");

  /** The same strategy for a client that has written nothing: no token to send. */
  public Strategy withoutToken() {
    return new Strategy(name, prefix, false, policy);
  }
}
