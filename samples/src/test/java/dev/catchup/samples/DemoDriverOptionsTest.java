package dev.catchup.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.samples.driver.DemoDriver.Options;
import dev.catchup.samples.driver.Strategy;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoDriverOptionsTest {

  @Test
  void parse_ordersOnly_naiveOnTheSameServiceAndEveryStrategy() {
    Options o = Options.parse("--orders", "http://127.0.0.1:8080/");
    assertThat(o.orders()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(o.naive()).isEqualTo(o.orders());
    assertThat(o.strategies())
        .containsExactly(Strategy.NAIVE, Strategy.CATCHUP, Strategy.CATCHUP_PRIMARY);
  }

  @Test
  void parse_naiveAndStrategies_taken() {
    Options o = Options.parse("--orders", "http://127.0.0.1:8080", "--naive",
        "http://127.0.0.1:8082", "--strategies", "naive, catchup");
    assertThat(o.naive()).isEqualTo(URI.create("http://127.0.0.1:8082"));
    assertThat(o.strategies()).isEqualTo(List.of(Strategy.NAIVE, Strategy.CATCHUP));
  }

  @Test
  void parse_unknownStrategy_throwsNamingTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--orders", "http://h:1", "--strategies", "naive,magic"));
    assertThat(e.getMessage()).isEqualTo("--strategies takes naive, catchup and catchup-primary, "
        + "comma-separated, was 'naive,magic'");
  }

  @Test
  void parse_strategiesWithoutTheNaiveBaselineFirst_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--orders", "http://h:1", "--strategies", "catchup,naive"));
    assertThat(e.getMessage()).isEqualTo("--strategies must start with naive (the baseline) and "
        + "name a Catchup strategy, was 'catchup,naive'");
  }

  @Test
  void parse_strategyTwice_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--orders", "http://h:1", "--strategies", "naive,catchup,catchup"));
    assertThat(e.getMessage()).isEqualTo("--strategies names catchup twice");
  }

  @Test
  void parse_naiveNotHttp_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--orders", "http://h:1", "--naive", "ftp://h:2"));
    assertThat(e.getMessage()).isEqualTo("--naive must be the naive orders service's http:// URL, "
        + "was ftp://h:2");
  }
}
