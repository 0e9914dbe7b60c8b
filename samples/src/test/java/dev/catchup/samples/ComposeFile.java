package dev.catchup.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compose file of docker/, read as data so tests can check it and run what it runs. */
final class ComposeFile {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final Path path;
  final JsonNode root;

  private ComposeFile(Path path, JsonNode root) {
    this.path = path;
    this.root = root;
  }

  /** The repository root: the build's {@code catchup.projectRoot}, else the nearest parent
   * directory holding {@code docker/compose.yaml} (a module run on its own points at itself). */
  static Path projectRoot() {
    String configured = System.getProperty("catchup.projectRoot");
    Path start = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docker/compose.yaml"))) {
        return p.normalize();
      }
    }
    throw new IllegalStateException("no docker/compose.yaml above " + start
        + "; set -Dcatchup.projectRoot to the repository root");
  }

  /** The stack for {@code flavor}: {@code mysql} or {@code mariadb}. */
  static ComposeFile of(String flavor) throws IOException {
    Path p = projectRoot().resolve(flavor.equals("mysql") ? "docker/compose.yaml"
        : "docker/compose.mariadb.yaml");
    return new ComposeFile(p, YAML.readTree(Files.readString(p)));
  }

  JsonNode service(String name) {
    JsonNode s = root.path("services").path(name);
    if (s.isMissingNode()) {
      throw new AssertionError(path + " has no service " + name);
    }
    return s;
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The service's environment, as the compose file sets it. */
  Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    service(service).path("environment").fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** The host file mounted at {@code containerPath} in {@code service}, resolved. */
  /** The statements of an init script: {@code --} comment lines dropped, split at {@code ;}. */
  static List<String> sqlStatements(Path script) throws IOException {
    String text = Files.readAllLines(script).stream().filter(l -> !l.trim().startsWith("--"))
        .collect(java.util.stream.Collectors.joining("\n"));
    return java.util.Arrays.stream(text.split(";")).map(String::trim).filter(x -> !x.isEmpty())
        .toList();
  }

  Path mountedFile(String service, String containerPath) {
    for (JsonNode v : service(service).path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(containerPath)) {
        return path.getParent().resolve(parts[0]).normalize();
      }
    }
    throw new AssertionError(service + " mounts nothing at " + containerPath);
  }

  /** The Dockerfile a service is built from, resolved, or null if it uses an image. */
  Path dockerfile(String service) {
    JsonNode build = service(service).path("build");
    if (build.isMissingNode()) {
      return null;
    }
    return path.getParent().resolve(build.path("context").asText(".")).resolve(
        build.path("dockerfile").asText("Dockerfile")).normalize();
  }
}
