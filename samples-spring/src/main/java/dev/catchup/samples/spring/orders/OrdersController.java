package dev.catchup.samples.spring.orders;

import dev.catchup.samples.spring.shop.Order;
import dev.catchup.samples.spring.shop.OrderStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The orders service's endpoints, with the plain shop's paths and replies (the demo driver's
 * contract). The call to billing goes through a {@link RestClient} built from Boot's builder, so
 * with Catchup it carries the request's token; nothing here passes it by hand.
 */
@RestController
class OrdersController {
  private static final int UNIT_PRICE_CENTS = 1250;
  private static final Set<String> STATUSES = Set.of("NEW", "PAID", "SHIPPED", "CANCELLED");
  private static final String READ_HEADERS = "catchup-read-";

  /** The body of {@code POST /orders}. */
  record NewOrder(String customer, String item, Integer quantity) {}

  /** The body of {@code PUT /orders/{id}/status}. */
  record StatusChange(String status) {}

  private final OrderStore store;
  private final RestClient billing;

  OrdersController(OrderStore store, RestClient.Builder http,
      @Value("${shop.billing-url}") String billingUrl) {
    this.store = store;
    this.billing = http.baseUrl(billingUrl).build();
  }

  @PostMapping("/orders")
  ResponseEntity<Map<String, Object>> place(@RequestBody NewOrder in) {
    String customer = text("customer", in.customer());
    String item = text("item", in.item());
    if (in.quantity() == null || in.quantity() < 1 || in.quantity() > 1000) {
      throw new IllegalArgumentException("quantity must be from 1 to 1000, was " + in.quantity());
    }
    Order order = store.place(customer, item, in.quantity(), UNIT_PRICE_CENTS);
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("order", order);
    reply.put("billing", invoice(order.id()));
    return ResponseEntity.status(HttpStatus.CREATED).body(reply);
  }

  @GetMapping("/orders/{id}")
  ResponseEntity<?> order(@PathVariable("id") long id) {
    return store.find(id).<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> notFound(id));
  }

  @PutMapping("/orders/{id}/status")
  ResponseEntity<?> status(@PathVariable("id") long id, @RequestBody StatusChange in) {
    String status = text("status", in.status()).toUpperCase(Locale.ROOT);
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be one of " + STATUSES + ", was " + status);
    }
    return store.setStatus(id, status) ? ResponseEntity.ok(Map.of("id", id, "status", status))
        : notFound(id);
  }

  /**
   * Billing's invoice for the order just written: its status, its reply, and how its read was
   * served (its {@code Catchup-Read-*} headers), which the driver tallies.
   */
  private Map<String, Object> invoice(long orderId) {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      return billing.get().uri("/invoices/{id}", orderId).exchange((request, response) -> {
        out.put("status", response.getStatusCode().value());
        out.put("reply", response.bodyTo(Map.class));
        Map<String, String> read = new LinkedHashMap<>();
        response.getHeaders().forEach((name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.startsWith(READ_HEADERS) && !values.isEmpty()) {
            read.put(lower.substring(READ_HEADERS.length()), values.get(0));
          }
        });
        out.put("read", read);
        return out;
      });
    } catch (RestClientException e) {
      out.put("status", 502);
      out.put("reply", Map.of("error", "billing unreachable: " + e.getMessage()));
      return out;
    }
  }

  private static String text(String field, String value) {
    if (value == null || value.isBlank() || value.length() > 64) {
      throw new IllegalArgumentException(field + " must be 1 to 64 characters");
    }
    return value;
  }

  private static ResponseEntity<Map<String, String>> notFound(long id) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(Map.of("error", "order " + id + " not found"));
  }
}
