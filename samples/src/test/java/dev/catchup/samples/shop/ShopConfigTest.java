package dev.catchup.samples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.ReadPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopConfigTest {

  private static Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put("CATCHUP_SAMPLE_SERVICE", "orders");
    env.put("CATCHUP_SAMPLE_PRIMARY", "primary:3306");
    env.put("CATCHUP_SAMPLE_REPLICAS", "r1=replica1:3306, r2=replica2:3307");
    env.put("CATCHUP_SAMPLE_BILLING", "http://billing:8080/");
    return env;
  }

  @Test
  void defaults_andParsedValues() {
    ShopConfig c = ShopConfig.fromEnv(valid());
    assertThat(c.flavor()).isEqualTo(Flavor.MYSQL);
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.replicas()).containsEntry("r1", "replica1:3306").containsEntry("r2", "replica2:3307");
    assertThat(c.billing()).hasToString("http://billing:8080");
    assertThat(c.monitor()).isNull();
    assertThat(c.readPolicy()).isEqualTo(ReadPolicy.WAIT_THEN_FALLBACK);
    assertThat(c.maxWait()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void replicas_keepTheirConfiguredOrder() {
    Map<String, String> env = valid();
    env.put("CATCHUP_SAMPLE_REPLICAS", "z=h1:1,a=h2:2,m=h3:3,b=h4:4,y=h5:5");
    assertThat(ShopConfig.fromEnv(env).replicas().keySet()).containsExactly("z", "a", "m", "b", "y");
  }

  @Test
  void password_isMaskedInTheLogLine() {
    Map<String, String> env = valid();
    env.put("CATCHUP_SAMPLE_DB_PASSWORD", "s3cret");
    assertThat(ShopConfig.fromEnv(env).toString()).doesNotContain("s3cret").contains("****");
  }

  @Test
  void durations_inEveryDocumentedForm() {
    Map<String, String> env = valid();
    for (var form : Map.of("500ms", 500L, "1.5s", 1500L, "PT2S", 2000L).entrySet()) {
      env.put("CATCHUP_SAMPLE_MAX_WAIT", form.getKey());
      assertThat(ShopConfig.fromEnv(env).maxWait()).isEqualTo(Duration.ofMillis(form.getValue()));
    }
  }

  @Test
  void badValues_nameTheVariableAndTheRule() {
    assertRejected("CATCHUP_SAMPLE_SERVICE", "shipping", "CATCHUP_SAMPLE_SERVICE must be orders or billing, was 'shipping'");
    assertRejected("CATCHUP_SAMPLE_PORT", "80000", "CATCHUP_SAMPLE_PORT must be an integer from 0 to 65535, was '80000'");
    assertRejected("CATCHUP_SAMPLE_FLAVOR", "postgres", "CATCHUP_SAMPLE_FLAVOR must be mysql or mariadb, was 'postgres'");
    assertRejected("CATCHUP_SAMPLE_PRIMARY", "primary", "CATCHUP_SAMPLE_PRIMARY must be host:port, was 'primary'");
    assertRejected("CATCHUP_SAMPLE_REPLICAS", "replica:3306", "CATCHUP_SAMPLE_REPLICAS must be name=host:port");
    assertRejected("CATCHUP_SAMPLE_MONITOR", "monitor:9760", "CATCHUP_SAMPLE_MONITOR must be an http:// URL, was 'monitor:9760'");
    assertRejected("CATCHUP_SAMPLE_READ_POLICY", "SOMETIMES", "CATCHUP_SAMPLE_READ_POLICY must be WAIT,");
    assertRejected("CATCHUP_SAMPLE_MAX_WAIT", "-1s", "CATCHUP_SAMPLE_MAX_WAIT must be a duration from 0 to 5m");
    assertRejected("CATCHUP_SAMPLE_BILLING", "", "CATCHUP_SAMPLE_BILLING is required for the orders service");
    assertRejected("CATCHUP_SAMPLE_PRIMARY", null, "CATCHUP_SAMPLE_PRIMARY is required");
    assertRejected("CATCHUP_SAMPLE_REPLICAS", "r1=a:1,r1=b:2", "must name each replica once");
    assertRejected("CATCHUP_SAMPLE_REPLICAS", "r 1=a:1", "with names of letters, digits");
  }

  private static void assertRejected(String variable, String value, String message) {
    Map<String, String> env = valid();
    if (value == null) {
      env.remove(variable);
    } else {
      env.put(variable, value);
    }
    assertThatThrownBy(() -> ShopConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
