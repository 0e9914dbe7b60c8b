package dev.catchup.bench.harness;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a MySQL server's binlog after a measurement, from a known position, until the caller has
 * seen what it looks for. Reading afterwards costs the measurement nothing, and the binlog's
 * microsecond commit timestamps need no thread to have been scheduled on time.
 */
public final class BinlogScan {
  /** Told each event's data, in binlog order, on the client's one listener thread. */
  public interface Listener {
    /** Returns true once everything looked for has been seen. */
    boolean seenAll(EventData data);
  }

  private BinlogScan() {}

  /**
   * Reads {@code server}'s binlog from {@code file} at {@code position} until {@code listener}
   * has seen all it looks for, or {@code timeout} has passed.
   *
   * @param serverIdBase the replica server id's high bits (a random low 24 bits are added), so
   *     that concurrent readers do not share one
   * @param skipped event types whose data is not decoded (the listener gets {@code null})
   * @return whether the listener saw all within {@code timeout}
   * @throws TimeoutException if the client cannot connect within {@code timeout}
   */
  public static boolean read(Topology t, Server server, String file, long position,
      long serverIdBase, List<EventType> skipped, Duration timeout, Listener listener)
      throws IOException, InterruptedException, TimeoutException {
    CountDownLatch all = new CountDownLatch(1);
    BinaryLogClient client = new BinaryLogClient(server.host(), server.port(), t.user(), t.password());
    client.setServerId(serverIdBase + ThreadLocalRandom.current().nextInt(1 << 24));
    client.setKeepAlive(false);
    client.setBinlogFilename(file);
    client.setBinlogPosition(position);
    EventDeserializer d = new EventDeserializer();
    for (EventType type : skipped) {
      d.setEventDataDeserializer(type, new NullEventDataDeserializer());
    }
    client.setEventDeserializer(d);
    client.registerEventListener(event -> {
      if (listener.seenAll(event.getData())) {
        all.countDown();
      }
    });
    client.connect(timeout.toMillis());
    try {
      return all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      client.disconnect();
    }
  }
}
