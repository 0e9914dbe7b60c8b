package dev.catchup.samples.spring.shop;

/** An order as stored; serialised as the plain shop's services serialise theirs. */
public record Order(long id, String customer, String item, int quantity, int unitPriceCents,
    String status) {}
