package dev.catchup.samples.spring.orders;

import dev.catchup.samples.spring.naive.NaiveSplit;
import dev.catchup.samples.spring.shop.BadRequests;
import dev.catchup.samples.spring.shop.OrderStore;
import dev.catchup.samples.spring.trace.ReadTraceConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The orders service: places orders, reads them back, takes payments; asks billing for the
 * invoice of each new order. Its settings are {@code application.yaml} (the servers, shared with
 * billing) and {@code application-orders.yaml}.
 */
@SpringBootApplication
@Import({OrderStore.class, BadRequests.class, NaiveSplit.class, ReadTraceConfiguration.class})
public class OrdersApplication {

  /** The application with its profile; add {@code naive} to run it on the naive split. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(OrdersApplication.class).profiles("orders");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
