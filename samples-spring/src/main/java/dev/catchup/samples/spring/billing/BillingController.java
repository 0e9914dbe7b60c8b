package dev.catchup.samples.spring.billing;

import dev.catchup.samples.spring.shop.Order;
import dev.catchup.samples.spring.shop.OrderStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Billing's one endpoint, with the plain shop's path and reply. */
@RestController
class BillingController {
  private final OrderStore store;

  BillingController(OrderStore store) {
    this.store = store;
  }

  @GetMapping("/invoices/{orderId}")
  ResponseEntity<Map<String, Object>> invoice(@PathVariable("orderId") long orderId) {
    return store.find(orderId).map(o -> ResponseEntity.ok(invoice(o)))
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
            .body(Map.of("error", "order " + orderId + " not found")));
  }

  private static Map<String, Object> invoice(Order o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orderId", o.id());
    m.put("customer", o.customer());
    m.put("item", o.item());
    m.put("quantity", o.quantity());
    m.put("amountCents", (long) o.quantity() * o.unitPriceCents());
    m.put("orderStatus", o.status());
    return m;
  }
}
