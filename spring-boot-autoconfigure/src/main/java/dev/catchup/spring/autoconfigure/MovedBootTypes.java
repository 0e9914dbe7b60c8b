package dev.catchup.spring.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * Beans of Spring Boot interfaces whose package moved in Boot 4.0 (the health indicator and the
 * HTTP client customizers). One jar of this module serves Boot 3.5 and 4.0: each such bean
 * implements whichever of the two names is on the class path, as a proxy whose one abstract method
 * calls typed code here. Everything the proxies are handed (builders, interceptors) is a Spring
 * Framework type, the same in both lines.
 */
final class MovedBootTypes {
  static final List<String> REST_CLIENT_CUSTOMIZER = List.of(
      "org.springframework.boot.restclient.RestClientCustomizer",
      "org.springframework.boot.web.client.RestClientCustomizer");
  static final List<String> REST_TEMPLATE_CUSTOMIZER = List.of(
      "org.springframework.boot.restclient.RestTemplateCustomizer",
      "org.springframework.boot.web.client.RestTemplateCustomizer");
  static final List<String> WEB_CLIENT_CUSTOMIZER = List.of(
      "org.springframework.boot.webclient.WebClientCustomizer",
      "org.springframework.boot.web.reactive.function.client.WebClientCustomizer");
  static final List<String> HEALTH_INDICATOR = List.of(
      "org.springframework.boot.health.contributor.HealthIndicator",
      "org.springframework.boot.actuate.health.HealthIndicator");

  private MovedBootTypes() {}

  /** The first of {@code names} that {@code loader} can load. */
  static Optional<Class<?>> present(List<String> names, ClassLoader loader) {
    for (String name : names) {
      if (ClassUtils.isPresent(name, loader)) {
        return Optional.of(ClassUtils.resolveClassName(name, loader));
      }
    }
    return Optional.empty();
  }

  /**
   * Registers {@code beanName} as an implementation of the first present of {@code names} (none when
   * none is present), made when first needed; {@code body} receives the arguments of the
   * interface's one abstract method and returns its result.
   */
  static void register(BeanDefinitionRegistry registry, ClassLoader loader, String beanName,
      List<String> names, Supplier<Function<Object[], Object>> body) {
    present(names, loader).ifPresent(type -> {
      RootBeanDefinition definition = new RootBeanDefinition();
      definition.setTargetType(type);
      definition.setInstanceSupplier(() -> implement(type, body.get()));
      definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
      registry.registerBeanDefinition(beanName, definition);
    });
  }

  /** A proxy of {@code type} whose abstract method runs {@code body}; default methods run as declared. */
  static Object implement(Class<?> type, Function<Object[], Object> body) {
    Method single = null;
    for (Method m : type.getMethods()) {
      if (Modifier.isAbstract(m.getModifiers())) {
        if (single != null) {
          throw new IllegalStateException(type.getName() + " has more than one abstract method ("
              + single.getName() + ", " + m.getName() + "): this Spring Boot version is not supported");
        }
        single = m;
      }
    }
    if (single == null) {
      throw new IllegalStateException(type.getName() + " has no abstract method");
    }
    Method target = single;
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.equals(target)) {
        return body.apply(args == null ? new Object[0] : args);
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        case "toString" -> "Catchup " + type.getSimpleName();
        default -> throw new UnsupportedOperationException(method.toString());
      };
    };
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
