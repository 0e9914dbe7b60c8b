package dev.catchup.bench.harness;

import dev.catchup.gtid.Flavor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A harness's options: the parsed command line ({@link #given}) and the harness's own typed values
 * read from it. What every harness has in common comes from the command line here, so that
 * starting topologies and writing the results files can be shared.
 */
public interface RunOptions {
  /** The command line, parsed. */
  Options given();

  default List<Flavor> flavors() {
    return given().flavors();
  }

  /** {@code --replicas}, which every harness takes with its own range. */
  default int replicas() {
    return given().integer("--replicas");
  }

  default Path outDir() {
    return given().outDir();
  }

  default String invokedAs() {
    return given().invokedAs();
  }

  default String revision() {
    return given().revision();
  }

  /** The values of the harness's derived parameters (none by default). */
  default Map<String, Object> derived() {
    return Map.of();
  }

  /** Name and value of every parameter, for the results. */
  default Map<String, Object> describe() {
    return given().parameters(derived());
  }
}
