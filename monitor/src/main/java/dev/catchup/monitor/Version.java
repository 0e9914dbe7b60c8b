package dev.catchup.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The monitor's version, for {@code --version}, the start log and {@code catchup_build_info} (the
 * monitor hands it to the HTTP API, which does not read it again): the jar manifest's
 * {@code Implementation-Version}, else (run from classes, where there is no manifest) the
 * {@code version.properties} the build writes beside the classes, else {@code unknown}.
 */
final class Version {
  static final String UNKNOWN = "unknown";

  private Version() {}

  /** This monitor's version. */
  static String current() {
    try (InputStream props = Version.class.getResourceAsStream("version.properties")) {
      return resolve(Version.class.getPackage().getImplementationVersion(), props);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the monitor's version.properties", e);
    }
  }

  /** The manifest's version when there is one, else the properties' {@code version}. */
  static String resolve(String manifestVersion, InputStream properties) throws IOException {
    if (manifestVersion != null && !manifestVersion.isBlank()) {
      return manifestVersion;
    }
    if (properties == null) {
      return UNKNOWN;
    }
    Properties p = new Properties();
    p.load(properties);
    String v = p.getProperty("version");
    // An unfiltered file (a build that skipped resource filtering) still says ${project.version}.
    return v == null || v.isBlank() || v.startsWith("${") ? UNKNOWN : v.strip();
  }
}
