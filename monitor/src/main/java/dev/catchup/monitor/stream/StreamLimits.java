package dev.catchup.monitor.stream;

import java.time.Duration;

/**
 * Bounds of the stream; the HTTP layer's {@code Limits} says what they are.
 *
 * @param maxSubscribers open subscribers; more are refused
 * @param subscriberBacklog broadcast cycles queued for one subscriber (a cycle's events, however
 *     many, and its keep-alive count as one, as does a joining subscriber's snapshot of every
 *     server); past it the subscriber is dropped
 * @param writeTimeout a subscriber whose write blocks this long is dropped
 * @param keepAlive interval of {@code : keepalive} comments
 * @param recheck how often every server is re-evaluated, so that a server turning UNKNOWN by age
 *     alone (no publish) is announced
 * @param pace shortest interval between two broadcast cycles
 */
public record StreamLimits(int maxSubscribers, int subscriberBacklog, Duration writeTimeout,
    Duration keepAlive, Duration recheck, Duration pace) {}
