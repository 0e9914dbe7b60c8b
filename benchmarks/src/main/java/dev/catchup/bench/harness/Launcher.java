package dev.catchup.bench.harness;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * How a load harness runs from its script: options, a topology per flavor, the results files.
 * Exit codes: 0 done, 1 the run failed, 2 bad arguments.
 */
public final class Launcher {
  /** A harness's measurement, given its options. */
  public interface Run<O> {
    /** Measures and returns the results, not yet written. */
    Report run(O options, Progress progress) throws Exception;
  }

  /** A run's results: what every run records, and the harness's figures, which it renders. */
  public interface Report {
    /** The results files' name without extension, e.g. {@code strategies}. */
    String name();

    RunOptions options();

    Machine machine();

    Instant started();

    /** How long the run took, topologies included. */
    double seconds();

    /** Adds the harness's figures to the JSON and writes its Markdown. */
    void render(Results out);

    /** Writes both results files into {@code dir}, returning them, Markdown first. */
    default List<Path> write(Path dir) throws IOException {
      Results out = new Results(name(), options(), machine(), started(), seconds());
      render(out);
      return out.write(dir);
    }
  }

  /**
   * What a run measured on every flavor, with the machine it ran on.
   *
   * @param flavors per flavor, in order
   * @param machine the machine and the software, the servers' versions included
   * @param started when the run started
   * @param seconds how long it took, topologies included
   */
  public record Measured<F>(List<F> flavors, Machine machine, Instant started, double seconds) {}

  /** A harness's measurement of one flavor, on its running topology. */
  public interface PerFlavor<O, F> {
    F measure(Topology t, O options, Progress progress) throws Exception;
  }

  /** The report of what a run measured on every flavor. */
  public interface ReportOf<O, F> {
    Report of(O options, Measured<F> measured);
  }

  /** Work on one flavor's running topology. */
  public interface OnTopology<R> {
    R measure(Topology t) throws Exception;
  }

  private Launcher() {}

  /**
   * Parses {@code args}, runs {@code run} and writes its results into the options' directory.
   * Only here do errors become exit codes and a one-line message naming {@code name}.
   */
  public static <O extends RunOptions> void main(String name, String[] args,
      Function<String[], O> parse, String usage, Run<O> run) {
    O options;
    try {
      options = parse.apply(args);
    } catch (Options.HelpRequested e) {
      System.out.print(usage);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Thread.currentThread().setName("bench-main");
    // The monitor's binlog client logs through java.util.logging: route it to SLF4J (logback.xml).
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Progress progress = new Progress(System.out);
    try {
      List<Path> written = run.run(options, progress).write(options.outDir());
      progress.say("wrote %s and %s", written.get(0), written.get(1));
    } catch (Exception e) {
      System.err.println(name + ": failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** {@link #main} of a harness that measures each flavor in turn ({@link #eachFlavor}). */
  public static <O extends RunOptions, F extends MeasuredFlavor> void main(String name,
      String[] args, Function<String[], O> parse, String usage, PerFlavor<O, F> measure,
      ReportOf<O, F> report) {
    main(name, args, parse, usage, (o, progress) ->
        report.of(o, eachFlavor(o, progress, t -> measure.measure(t, o, progress))));
  }

  /**
   * Starts a fresh topology (delay 0) per flavor of {@code o}, runs {@code work} on it and stops
   * it, also on Ctrl-C through a shutdown hook.
   *
   * @return the results, in the order of the flavors, and the machine
   */
  public static <R extends MeasuredFlavor> Measured<R> eachFlavor(RunOptions o, Progress progress,
      OnTopology<R> work) throws Exception {
    Instant started = Instant.now();
    String load = Machine.loadAverage();
    List<R> results = new ArrayList<>();
    for (Flavor flavor : o.flavors()) {
      String name = Topology.cliName(flavor);
      progress.say("%s: starting a topology: primary + %d replica(s), delay 0 (scripts/topology.sh)",
          name, o.replicas());
      Topology t = Topology.start(flavor, o.replicas(), Duration.ZERO);
      Thread hook = new Thread(t::close, "bench-shutdown-" + name);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        progress.say("%s: %s", name, t);
        results.add(work.measure(t));
      } finally {
        progress.say("%s: stopping the topology", name);
        t.close();
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
    return new Measured<>(results, Machine.describe(results, o.revision(), load), started,
        progress.seconds());
  }
}
