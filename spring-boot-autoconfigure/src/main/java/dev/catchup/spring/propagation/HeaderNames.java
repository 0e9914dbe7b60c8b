package dev.catchup.spring.propagation;

/** The header name rule shared by the filter, the interceptors and the message headers. */
final class HeaderNames {
  private HeaderNames() {}

  /**
   * Checks that {@code name} is an HTTP token (RFC 9110: letters, digits and {@code !#$%&'*+-.^_`|~}).
   *
   * @throws IllegalArgumentException naming the setting, the value and the rule
   */
  static String check(String name) {
    if (name == null || name.isEmpty() || !name.chars().allMatch(HeaderNames::tokenChar)) {
      throw new IllegalArgumentException("catchup.propagation.header-name must be an HTTP header "
          + "name (letters, digits and !#$%&'*+-.^_`|~), was '" + name + "'");
    }
    return name;
  }

  private static boolean tokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
