package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.GtidSet;
import dev.catchup.wire.StatusEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the built jars carry (an IT because it needs the packaged jars, not because it needs
 * servers): the module's own jar is a library without a logging backend or its configuration; the
 * runnable jar has both, says what it is and is multi-release; every jar carries the licence.
 */
class PackagingIT {
  private static final String VERSION = System.getProperty("catchup.version");

  private static Path jar(String property) {
    Path p = Path.of(System.getProperty(property));
    assertThat(p).as(property).isRegularFile();
    return p;
  }

  @Test
  void thinJar_hasNoLoggingBackendOrItsConfig() throws IOException {
    try (JarFile jar = new JarFile(jar("catchup.monitor.thinJar").toFile())) {
      assertThat(jar.getEntry("logback.xml")).isNull();
      assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("ch/qos/logback/")))
          .isEmpty();
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Automatic-Module-Name")).isEqualTo("dev.catchup.monitor");
      assertThat(main.getValue("Implementation-Version")).isEqualTo(VERSION);
      assertThat(jar.getEntry("META-INF/LICENSE")).isNotNull();
      assertThat(jar.getEntry("META-INF/NOTICE")).isNotNull();
    }
  }

  @Test
  void fatJar_isMultiReleaseVersionedAndLogs() throws IOException {
    try (JarFile jar = new JarFile(jar("catchup.monitor.fatJar").toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Multi-Release")).isEqualTo("true");
      assertThat(main.getValue("Main-Class")).isEqualTo("dev.catchup.monitor.Main");
      assertThat(main.getValue("Implementation-Title")).isEqualTo("Catchup monitor");
      assertThat(main.getValue("Implementation-Version")).isEqualTo(VERSION);
      assertThat(jar.getEntry("logback.xml")).isNotNull();
      assertThat(jar.getEntry("ch/qos/logback/classic/Logger.class")).isNotNull();
      // Nothing in the monitor uses a pool, and protobuf serves only Connector/J's X DevAPI.
      assertThat(jar.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("com/zaxxer/") || n.startsWith("com/google/protobuf/")))
          .isEmpty();
    }
  }

  @Test
  void libraryJars_nameTheirModuleAndVersion() throws IOException, URISyntaxException {
    assertLibrary(GtidSet.class, "dev.catchup.gtid");
    assertLibrary(StatusEvent.class, "dev.catchup.wire");
  }

  private static void assertLibrary(Class<?> type, String module)
      throws IOException, URISyntaxException {
    Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    // Failsafe puts the reactor's packaged jars on the class path; a directory means a stale setup.
    assertThat(Files.isRegularFile(p)).as(p + " is a jar").isTrue();
    try (JarFile jar = new JarFile(p.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Automatic-Module-Name")).isEqualTo(module);
      assertThat(main.getValue("Implementation-Version")).isEqualTo(VERSION);
      assertThat(jar.getEntry("META-INF/LICENSE")).isNotNull();
    }
  }

  /** The BOM is not a child of the parent (see its POM), so nothing else keeps its version in step. */
  @Test
  void bom_listsTheLibraries_atTheBuildsVersion() throws Exception {
    Path pom = Path.of(System.getProperty("catchup.projectRoot"), "bom", "pom.xml");
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    Element project = d.getDocumentElement();
    assertThat(child(project, "version")).isEqualTo(VERSION);
    NodeList deps = project.getElementsByTagName("dependency");
    List<String> managed = new ArrayList<>();
    for (int i = 0; i < deps.getLength(); i++) {
      Element dep = (Element) deps.item(i);
      assertThat(child(dep, "version")).isEqualTo("${project.version}");
      managed.add(child(dep, "groupId") + ":" + child(dep, "artifactId"));
    }
    assertThat(managed).containsExactly("dev.catchup:catchup-gtid", "dev.catchup:catchup-wire",
        "dev.catchup:catchup-client-sdk", "dev.catchup:catchup-micrometer",
        "dev.catchup:catchup-spring-boot-autoconfigure", "dev.catchup:catchup-spring-boot-starter");
  }

  private static String child(Element e, String name) {
    NodeList n = e.getChildNodes();
    for (int i = 0; i < n.getLength(); i++) {
      if (n.item(i) instanceof Element c && c.getTagName().equals(name)) {
        return c.getTextContent().strip();
      }
    }
    return null;
  }
}
