package dev.catchup.bench.harness;

import dev.catchup.testkit.ServerFlavor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every harness's options have in common, so that starting topologies and writing the
 * results files can be shared; each harness's options record implements it with its components.
 */
public interface RunOptions {
  /** Servers to measure, in order. */
  List<ServerFlavor> flavors();

  /** Replicas per topology. */
  int replicas();

  /** Where the results files go. */
  Path outDir();

  /** The command line recorded in the results. */
  String invokedAs();

  /** The source revision recorded in the results. */
  String revision();

  /** Name and value of every parameter, for the results. */
  Map<String, Object> describe();
}
