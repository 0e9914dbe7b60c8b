/**
 * The demo driver: runs the same write-then-read traffic against the shop services through naive
 * read/write splitting and through Catchup, checks every read against what the client itself
 * wrote, and prints stale reads, where reads ran and their latencies.
 */
package dev.catchup.samples.driver;
