package dev.catchup.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.samples.driver.DemoDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine runs here, so the compose files are checked as data: the services the demo
 * needs, health-checked start order, files that exist, a one-second replica delay, and server
 * options the local launcher also uses (so the topology the tests run is the one compose runs).
 * {@link SamplesStackIT} then runs each file's monitor config and service environment for real.
 */
class ComposeFilesTest {

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void startOrder_followsHealthChecks(String flavor) throws Exception {
    ComposeFile c = ComposeFile.of(flavor);
    assertThat(c.serviceNames()).contains("primary", "replica", "monitor", "billing", "orders",
        "driver");
    for (String name : c.serviceNames()) {
      c.service(name).path("depends_on").fields().forEachRemaining(dep -> {
        assertThat(dep.getValue().path("condition").asText())
            .as("%s waits for %s to be healthy", name, dep.getKey()).isEqualTo("service_healthy");
        assertThat(hasHealthCheck(c, dep.getKey()))
            .as("%s, which %s waits for, has a health check", dep.getKey(), name).isTrue();
      });
    }
    assertThat(startOrder(c)).containsSubsequence("primary", "replica", "monitor", "billing",
        "orders", "driver");
  }

  /**
   * The image's own check is /livez (an engine that acts on health must not restart the monitor
   * for a database outage); the services of the demo wait for /readyz, a monitor tracking its
   * servers, so the compose files replace the check with that one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void monitorHealth_imageProbesLivez_composeWaitsForReadyz(String flavor) throws Exception {
    ComposeFile c = ComposeFile.of(flavor);
    String image = Files.readString(c.dockerfile("monitor"));
    String imageCheck = image.substring(image.indexOf("HEALTHCHECK"));
    assertThat(imageCheck).contains("GET /livez ").doesNotContain("/health").doesNotContain("/readyz");
    List<String> test = new ArrayList<>();
    c.service("monitor").path("healthcheck").path("test").forEach(n -> test.add(n.asText()));
    assertThat(String.join(" ", test)).contains("GET /readyz ").contains("/127.0.0.1/9760")
        .contains("grep -q ' 200 '");
    assertThat(c.service("billing").path("depends_on").path("monitor").path("condition").asText())
        .isEqualTo("service_healthy");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void everyFileItUses_exists_andImagesRunOurJars(String flavor) throws Exception {
    ComposeFile c = ComposeFile.of(flavor);
    assertThat(c.mountedFile("primary", "/docker-entrypoint-initdb.d/primary.sql")).exists();
    Path replicaInit = c.mountedFile("replica", "/docker-entrypoint-initdb.d/replica.sql");
    assertThat(Files.readString(replicaInit))
        .contains(flavor.equals("mysql") ? "SOURCE_DELAY = 1" : "MASTER_DELAY = 1");
    assertThat(c.mountedFile("monitor", "/etc/catchup/monitor.yaml"))
        .hasFileName("monitor." + flavor + ".yaml").exists();
    assertThat(Files.readString(c.dockerfile("monitor"))).contains("catchup-monitor.jar");
    for (String s : List.of("billing", "orders", "driver")) {
      assertThat(Files.readString(c.dockerfile(s))).contains("catchup-samples.jar")
          .contains("dev.catchup.samples.shop.ShopService");
    }
    // `run driver ARGS` replaces `command`: the entrypoint must name the driver, and both the
    // default command and what scripts/demo.sh passes must parse as the driver's options.
    List<String> entrypoint = new ArrayList<>();
    c.service("driver").path("entrypoint").forEach(n -> entrypoint.add(n.asText()));
    assertThat(entrypoint).contains("/opt/catchup/catchup-samples.jar");
    assertThat(Class.forName(entrypoint.get(entrypoint.size() - 1))).isNotNull();
    List<String> command = new ArrayList<>();
    c.service("driver").path("command").forEach(n -> command.add(n.asText()));
    assertThat(DemoDriver.Options.parse(command.toArray(String[]::new)).orders())
        .hasToString("http://orders:8080");
    String demo = Files.readString(ComposeFile.projectRoot().resolve("scripts/demo.sh"));
    java.util.regex.Matcher run = java.util.regex.Pattern
        .compile("run --rm driver (.*?)(?:\\s+\\|\\||$)", java.util.regex.Pattern.MULTILINE)
        .matcher(demo);
    assertThat(run.find()).as("demo.sh runs the driver service").isTrue();
    String[] demoArgs = run.group(1).replace("\"$CLIENTS\"", "8")
        .replace("\"$PER_CLIENT\"", "3").trim().split(" ");
    assertThat(DemoDriver.Options.parse(demoArgs).clients()).isEqualTo(8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void serverOptions_areOnesTheLocalLauncherUses(String flavor) throws Exception {
    ComposeFile c = ComposeFile.of(flavor);
    String launcher = Files.readString(ComposeFile.projectRoot().resolve("scripts/topology.sh"));
    for (String server : List.of("primary", "replica")) {
      for (JsonNode option : c.service(server).path("command")) {
        String name = option.asText().replaceAll("=.*", "");
        if (!name.equals("--server-id")) {
          assertThat(launcher).as("%s option %s of %s", flavor, option.asText(), server)
              .contains(option.asText());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void servicesAreConfiguredForThisFlavor(String flavor) throws Exception {
    ComposeFile c = ComposeFile.of(flavor);
    for (String s : List.of("billing", "orders")) {
      Map<String, String> env = c.environment(s);
      assertThat(env).containsEntry("CATCHUP_SAMPLE_FLAVOR", flavor)
          .containsEntry("CATCHUP_SAMPLE_SERVICE", s)
          .containsEntry("CATCHUP_SAMPLE_MONITOR", "http://monitor:9760");
    }
    assertThat(Files.readString(c.mountedFile("monitor", "/etc/catchup/monitor.yaml")))
        .contains("flavor: " + flavor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void monitorUser_hasExactlyTheDocumentedGrants_forItsConfig(String flavor) throws Exception {
    ComposeFile c = ComposeFile.of(flavor);
    JsonNode config = ComposeFile.YAML.readTree(
        Files.readString(c.mountedFile("monitor", "/etc/catchup/monitor.yaml")));
    String user = config.path("user").asText();
    assertThat(user).as("the monitor's own user, not the services' all-privileged one")
        .isNotEqualTo("catchup");
    List<String> script = ComposeFile.sqlStatements(
        c.mountedFile("primary", "/docker-entrypoint-initdb.d/monitor-user.sql"));
    assertThat(script.get(0)).startsWith("CREATE USER '" + user + "'@'%' IDENTIFIED BY '"
        + config.path("password").asText() + "'");
    boolean heartbeat = config.has("heartbeatInterval");
    assertThat(script.subList(1, script.size())).containsExactlyElementsOf(MonitorGrants.statements(
        flavor.equals("mysql") ? Flavor.MYSQL : Flavor.MARIADB, heartbeat,
        MonitorGrants.account(user, "%")));
  }

  private static boolean hasHealthCheck(ComposeFile c, String service) {
    if (!c.service(service).path("healthcheck").isMissingNode()) {
      return true;
    }
    Path dockerfile = c.dockerfile(service);
    try {
      return dockerfile != null && Files.readString(dockerfile).contains("HEALTHCHECK");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Services in an order compose could start them: each after everything it depends on. */
  private static List<String> startOrder(ComposeFile c) {
    List<String> order = new ArrayList<>();
    List<String> left = new ArrayList<>(c.serviceNames());
    while (!left.isEmpty()) {
      String ready = left.stream().filter(s -> {
        List<String> deps = new ArrayList<>();
        c.service(s).path("depends_on").fieldNames().forEachRemaining(deps::add);
        return order.containsAll(deps);
      }).findFirst().orElseThrow(() -> new AssertionError("dependency cycle among " + left));
      order.add(ready);
      left.remove(ready);
    }
    return order;
  }
}
