package dev.catchup.samples.spring.billing;

import dev.catchup.samples.spring.naive.NaiveSplit;
import dev.catchup.samples.spring.shop.BadRequests;
import dev.catchup.samples.spring.shop.OrderStore;
import dev.catchup.samples.spring.trace.ReadTraceConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The billing service: prices an order it reads on a replica, usually right after orders wrote
 * it. Its settings are {@code application.yaml} and {@code application-billing.yaml}.
 */
@SpringBootApplication
@Import({OrderStore.class, BadRequests.class, NaiveSplit.class, ReadTraceConfiguration.class})
public class BillingApplication {

  /** The application with its profile; add {@code naive} to run it on the naive split. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(BillingApplication.class).profiles("billing");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
