package dev.catchup.samples.spring.naive;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The {@code naive} profile: the application's own {@code DataSource}, a plain read/write split
 * (the starter backs off, as it does for any application-defined data source). It reads the
 * same servers as Catchup would, from the {@code catchup.*} properties, so that one configuration
 * runs either way and the demo compares like with like.
 */
@Configuration(proxyBeanMethods = false)
@Profile("naive")
public class NaiveSplit {

  /** The servers, bound from {@code catchup.*}. */
  record Servers(Server primary, List<Server> replicas, String username, String password) {}

  /** One server. */
  record Server(@DefaultValue("primary") String name, String url) {}

  @Bean
  DataSource dataSource(Environment environment) {
    Servers servers = Binder.get(environment).bind("catchup", Servers.class)
        .orElseThrow(() -> new IllegalStateException("the naive profile reads the servers from "
            + "catchup.primary.url, catchup.replicas, catchup.username and catchup.password: "
            + "none is set"));
    if (servers.primary() == null || servers.primary().url() == null) {
      throw new IllegalStateException("the naive profile needs catchup.primary.url");
    }
    if (servers.replicas() == null || servers.replicas().isEmpty()) {
      throw new IllegalStateException("the naive profile needs at least one of catchup.replicas");
    }
    HikariDataSource primary = pool(servers.primary(), servers);
    Map<String, DataSource> replicas = new LinkedHashMap<>();
    for (Server replica : servers.replicas()) {
      replicas.put(replica.name(), pool(replica, servers));
    }
    return new ReadWriteSplit(primary, replicas);
  }

  private static HikariDataSource pool(Server server, Servers servers) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("naive-" + server.name());
    c.setJdbcUrl(server.url());
    c.setUsername(servers.username());
    c.setPassword(servers.password());
    c.setMaximumPoolSize(16);
    c.setInitializationFailTimeout(-1); // start even if a server is not up yet
    return new HikariDataSource(c);
  }
}
