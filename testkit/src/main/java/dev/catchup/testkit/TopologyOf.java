package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a {@link Topology} test parameter: which flavor's shared topology to inject. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface TopologyOf {
  Flavor value();
}
