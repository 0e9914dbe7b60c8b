/**
 * Runnable samples: the stale-read problem on a real delayed replica, and its cure with GTIDs.
 */
package dev.catchup.samples;
