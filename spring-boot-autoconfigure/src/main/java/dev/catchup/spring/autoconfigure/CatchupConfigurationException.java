package dev.catchup.spring.autoconfigure;

/**
 * A {@code catchup.*} property the SDK refused, or one it requires that is missing. The message
 * starts with the property's name and goes on with the SDK's own (which names the value and the
 * rule, never a password or token); the start-up failure report shows it with what to change.
 */
public final class CatchupConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;

  CatchupConfigurationException(String property, String problem, Throwable cause) {
    super(property + ": " + problem, cause);
    this.property = property;
  }

  /** The property to change, e.g. {@code catchup.max-wait} or {@code catchup.replicas[1].url}. */
  public String property() {
    return property;
  }
}
