package dev.catchup.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One server's status as {@code /stream} sends it (SSE event type {@value StreamFormat#STATUS_EVENT}):
 * a complete snapshot, so a reader only ever needs the last event per {@code name}.
 *
 * <p>The JSON is one object on one line, fields in this order:
 * <pre>
 * schema                 int     {@link StreamFormat#SCHEMA_VERSION}; absent means 1 (monitors before the field)
 * name                   string  the server's name in the monitor's config          (required)
 * role                   string  "primary", "replica" or "unknown" (the topology's role of the server
 *                                now); readers skip roles other than primary and replica (required)
 * state                  string  "UP" or "UNKNOWN"; null when not known
 * confirmed              string  the confirmed GTID set, without line breaks        (required)
 * feed                   string  the binlog feed's state, e.g. "CONNECTED"; null when not known
 * confirmationAgeMillis  int     ms since the set was last confirmed; null when never
 * secondsBehind          number  replicas only (absent for other roles); null when unknown
 * version                int     per-server status version: ignore an event older than one held; 0 when absent
 * topology               object  the whole topology as the monitor sees it now (absent from monitors
 *                                before it; see {@link Topology}):
 *   generation           int     grows by one with every change of the rest of this object
 *   primary              string  the primary's name; null when there is none (no server qualifies,
 *                                or two writable servers replicate from no one and neither is the
 *                                current primary)
 *   conflict             string  why the primary is in doubt (two writable servers), else null
 *   servers              array   one object per server, in configuration order:
 *     name               string  the server's name
 *     role               string  "primary", "replica" or "unknown" (down, or neither)
 *     source             string  the name of the server it replicates from; null for the primary,
 *                                or when unknown (not replicating, or from a server not configured)
 *     readOnly           boolean read_only or super_read_only is on; null when never read
 * </pre>
 * Readers ignore fields they do not know, so fields can be added without a new schema version.
 * An event's {@code topology} is the same for every server at one generation: a reader can keep
 * the one of the highest generation it has seen.
 *
 * @param name the server's name
 * @param role {@link #PRIMARY}, {@link #REPLICA}, or a role a newer monitor knows (lower case)
 * @param state {@code "UP"} or {@code "UNKNOWN"}; null when the event did not say
 * @param confirmed the GTIDs the monitor confirmed the server has applied (a primary: committed)
 * @param feed the binlog feed's state name; null when the event did not say
 * @param confirmationAge how long ago the set was confirmed, at millisecond precision; null if never
 * @param secondsBehind a replica's lag; null when unknown, and always null for other roles
 * @param version the server's status version, growing with each publish
 * @param topology the topology when the event was written; null from monitors before it
 */
public record StatusEvent(String name, String role, String state, GtidSet confirmed, String feed,
    Duration confirmationAge, Double secondsBehind, long version, Topology topology) {

  /** The role of the server that takes the writes. */
  public static final String PRIMARY = "primary";
  /** The role of a server that applies the primary's binlog. */
  public static final String REPLICA = "replica";
  /** The role of a server that is neither (down, or writable beside another primary). */
  public static final String UNKNOWN_ROLE = "unknown";
  /** The state of a server whose confirmed set is current. */
  public static final String UP = "UP";

  /**
   * Who is primary and who replicates from whom, as the monitor discovered it.
   *
   * @param generation grows by one with every change of the rest
   * @param primary the primary's name, or null when there is none
   * @param conflict why the primary is in doubt, or null
   * @param servers every server, in configuration order
   */
  public record Topology(long generation, String primary, String conflict, List<Member> servers) {
    /** @throws NullPointerException if servers is null */
    public Topology {
      servers = List.copyOf(servers);
    }

    /** The member named {@code name}, or null. */
    public Member member(String name) {
      for (Member m : servers) {
        if (m.name().equals(name)) {
          return m;
        }
      }
      return null;
    }
  }

  /**
   * One server of a {@link Topology}.
   *
   * @param name the server's name
   * @param role {@link #PRIMARY}, {@link #REPLICA} or {@link #UNKNOWN_ROLE}
   * @param source the name of the server it replicates from; null for the primary or when unknown
   * @param readOnly read_only or super_read_only is on; null when never read
   */
  public record Member(String name, String role, String source, Boolean readOnly) {
    /** @throws NullPointerException if name or role is null */
    public Member {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * @throws NullPointerException if name, role or confirmed is null
   * @throws IllegalArgumentException if a role other than replica has a {@code secondsBehind}
   */
  public StatusEvent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(confirmed, "confirmed");
    if (secondsBehind != null && !REPLICA.equals(role)) {
      throw new IllegalArgumentException("secondsBehind is for replicas only, was " + secondsBehind
          + " for role " + role);
    }
  }

  /** An event without a topology, as monitors before it wrote. */
  public StatusEvent(String name, String role, String state, GtidSet confirmed, String feed,
      Duration confirmationAge, Double secondsBehind, long version) {
    this(name, role, state, confirmed, feed, confirmationAge, secondsBehind, version, null);
  }

  /** True when the server is the primary. */
  public boolean isPrimary() {
    return PRIMARY.equals(role);
  }

  /** True when the server is a replica. */
  public boolean isReplica() {
    return REPLICA.equals(role);
  }

  /** True when the monitor reports the server {@link #UP}. */
  public boolean isUp() {
    return UP.equals(state);
  }

  /** The event's JSON, one line, as documented on the type. */
  public String toJson() {
    StringWriter out = new StringWriter(256 + confirmed.toString().length());
    // Jackson escapes control characters, so the JSON is one line, as a data: field must be.
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("schema", StreamFormat.SCHEMA_VERSION);
      g.writeStringField("name", name);
      g.writeStringField("role", role);
      g.writeStringField("state", state);
      // MySQL prints ",\n" between sources; "," alone parses back to the same set.
      g.writeStringField("confirmed", confirmed.toString().replace("\n", ""));
      g.writeStringField("feed", feed);
      g.writeFieldName("confirmationAgeMillis");
      if (confirmationAge == null) {
        g.writeNull();
      } else {
        g.writeNumber(confirmationAge.toMillis());
      }
      if (isReplica()) {
        g.writeFieldName("secondsBehind");
        if (secondsBehind == null) {
          g.writeNull();
        } else {
          g.writeNumber(secondsBehind.doubleValue());
        }
      }
      g.writeNumberField("version", version);
      if (topology != null) {
        writeTopology(g, topology);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the status of " + name, e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void writeTopology(JsonGenerator g, Topology t) throws IOException {
    g.writeObjectFieldStart("topology");
    g.writeNumberField("generation", t.generation());
    g.writeStringField("primary", t.primary());
    g.writeStringField("conflict", t.conflict());
    g.writeArrayFieldStart("servers");
    for (Member m : t.servers()) {
      g.writeStartObject();
      g.writeStringField("name", m.name());
      g.writeStringField("role", m.role());
      g.writeStringField("source", m.source());
      g.writeFieldName("readOnly");
      if (m.readOnly() == null) {
        g.writeNull();
      } else {
        g.writeBoolean(m.readOnly());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The whole SSE event: {@code event: status}, the JSON as its data, a blank line. */
  public byte[] toSse() {
    return StreamFormat.frame(StreamFormat.STATUS_EVENT, toJson());
  }

  /**
   * Reads the data of one status event whose GTIDs are of {@code flavor}. Unknown fields are
   * ignored; a missing {@code schema} is read as 1.
   *
   * @throws IncompatibleStreamException when the event is of another major schema version, or its
   *     GTIDs are of the other flavor: a configuration error, not a bad event
   * @throws MalformedEventException when the event cannot be read: skip it
   */
  public static StatusEvent parse(Flavor flavor, String json)
      throws MalformedEventException, IncompatibleStreamException {
    return StatusEventReader.parse(flavor, json);
  }
}
