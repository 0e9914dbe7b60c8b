package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects shared topologies into JUnit 5 tests: {@code void t(@TopologyOf(MYSQL) Topology mysql)},
 * in constructors, lifecycle methods or tests. The topologies are stopped once, when the test plan
 * of the JVM finishes.
 */
public final class TopologyExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == Topology.class && pc.isAnnotated(TopologyOf.class);
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    Flavor flavor = pc.findAnnotation(TopologyOf.class).orElseThrow().value();
    // Registered in the root store so JUnit closes it when the whole run ends, not per class.
    ec.getRoot().getStore(ExtensionContext.Namespace.create(TopologyExtension.class))
        .getOrComputeIfAbsent("teardown", k -> new Teardown(), Teardown.class);
    return Topologies.shared(flavor);
  }

  private static final class Teardown implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      Topologies.closeAll();
    }
  }
}
