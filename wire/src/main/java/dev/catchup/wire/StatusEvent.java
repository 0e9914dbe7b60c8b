package dev.catchup.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidParseException;
import dev.catchup.gtid.GtidSet;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One server's status as {@code /stream} sends it (SSE event type {@value StreamFormat#STATUS_EVENT}):
 * a complete snapshot, so a reader only ever needs the last event per {@code name}.
 *
 * <p>The JSON is one object on one line, fields in this order:
 * <pre>
 * schema                 int     {@link StreamFormat#SCHEMA_VERSION}; absent means 1 (monitors before the field)
 * name                   string  the server's name in the monitor's config          (required)
 * role                   string  "primary" or "replica"; readers skip other roles   (required)
 * state                  string  "UP" or "UNKNOWN"; null when not known
 * confirmed              string  the confirmed GTID set, without line breaks        (required)
 * feed                   string  the binlog feed's state, e.g. "CONNECTED"; null when not known
 * confirmationAgeMillis  int     ms since the set was last confirmed; null when never
 * secondsBehind          number  replicas only (absent for other roles); null when unknown
 * version                int     per-server status version: ignore an event older than one held; 0 when absent
 * </pre>
 * Readers ignore fields they do not know, so fields can be added without a new schema version.
 *
 * @param name the server's name
 * @param role {@link #PRIMARY}, {@link #REPLICA}, or a role a newer monitor knows (lower case)
 * @param state {@code "UP"} or {@code "UNKNOWN"}; null when the event did not say
 * @param confirmed the GTIDs the monitor confirmed the server has applied (a primary: committed)
 * @param feed the binlog feed's state name; null when the event did not say
 * @param confirmationAge how long ago the set was confirmed, at millisecond precision; null if never
 * @param secondsBehind a replica's lag; null when unknown, and always null for other roles
 * @param version the server's status version, growing with each publish
 */
public record StatusEvent(String name, String role, String state, GtidSet confirmed, String feed,
    Duration confirmationAge, Double secondsBehind, long version) {

  /** The role of the server that takes the writes. */
  public static final String PRIMARY = "primary";
  /** The role of a server that applies the primary's binlog. */
  public static final String REPLICA = "replica";
  /** The state of a server whose confirmed set is current. */
  public static final String UP = "UP";

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
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the status of " + name, e); // a StringWriter does not fail
    }
    return out.toString();
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
    Fields f = new Fields();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedEventException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (p.nextToken() == null) {
          throw new MalformedEventException("truncated JSON");
        }
        f.read(field, p);
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new MalformedEventException("truncated JSON");
      }
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
    } catch (MalformedEventException e) {
      throw e;
    } catch (IOException e) {
      throw new MalformedEventException("cannot read the event: " + e.getMessage());
    }
    // The version first: under another major, any other field may mean something else.
    if (f.schema != null && f.schema != StreamFormat.SCHEMA_VERSION) {
      throw new IncompatibleStreamException("writes /stream schema " + f.schema + "; this reader "
          + "knows schema " + StreamFormat.SCHEMA_VERSION + " only (run an SDK and a monitor of "
          + "releases that share a schema)");
    }
    if (f.problem != null) {
      throw new MalformedEventException(f.problem);
    }
    if (f.name == null || f.role == null || f.confirmed == null) {
      throw new MalformedEventException("a status event needs name, role and confirmed");
    }
    String role = f.role.toLowerCase(Locale.ROOT);
    return new StatusEvent(f.name, role, f.state, confirmed(flavor, f.confirmed), f.feed,
        f.ageMillis == null ? null : Duration.ofMillis(f.ageMillis),
        REPLICA.equals(role) ? f.secondsBehind : null, f.version);
  }

  /** Parses a confirmed set; text of the other flavor is a configuration error, not a bad event. */
  private static GtidSet confirmed(Flavor flavor, String text)
      throws MalformedEventException, IncompatibleStreamException {
    try {
      return GtidSet.parse(flavor, text);
    } catch (GtidParseException e) {
      Flavor other = flavor == Flavor.MYSQL ? Flavor.MARIADB : Flavor.MYSQL;
      try {
        GtidSet.parse(other, text);
      } catch (GtidParseException notOther) {
        throw new MalformedEventException("confirmed is not a GTID set: " + e.getMessage());
      }
      throw new IncompatibleStreamException("reports " + other.name().toLowerCase(Locale.ROOT)
          + " GTIDs but the data source's flavor is " + flavor);
    }
  }

  /** The fields as read, before they are checked; the first problem is kept, not thrown at once. */
  private static final class Fields {
    Long schema;
    String name;
    String role;
    String state;
    String confirmed;
    String feed;
    Long ageMillis;
    Double secondsBehind;
    long version;
    String problem;

    void read(String field, JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      switch (field) {
        case "schema" -> schema = integer(field, p, t);
        case "name" -> name = text(field, p, t);
        case "role" -> role = text(field, p, t);
        case "state" -> state = text(field, p, t);
        case "confirmed" -> confirmed = text(field, p, t);
        case "feed" -> feed = text(field, p, t);
        case "confirmationAgeMillis" -> ageMillis = integer(field, p, t);
        case "secondsBehind" -> secondsBehind = t == JsonToken.VALUE_NUMBER_INT
            || t == JsonToken.VALUE_NUMBER_FLOAT ? Double.valueOf(p.getDoubleValue())
            : (Double) wrong(field, p, t, "a number");
        case "version" -> {
          Long v = integer(field, p, t);
          version = v == null ? 0 : v;
        }
        default -> p.skipChildren(); // a field a newer writer added
      }
    }

    private String text(String field, JsonParser p, JsonToken t) throws IOException {
      return t == JsonToken.VALUE_STRING ? p.getText() : (String) wrong(field, p, t, "a string");
    }

    private Long integer(String field, JsonParser p, JsonToken t) throws IOException {
      return t == JsonToken.VALUE_NUMBER_INT ? Long.valueOf(p.getLongValue())
          : (Long) wrong(field, p, t, "an integer");
    }

    /** Null for JSON null; otherwise notes the problem, skips the value and returns null. */
    private Object wrong(String field, JsonParser p, JsonToken t, String expected) throws IOException {
      if (t != JsonToken.VALUE_NULL && problem == null) {
        problem = field + " must be " + expected + " or null, was " + describe(t);
      }
      p.skipChildren();
      return null;
    }

    private static String describe(JsonToken t) {
      return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "an array";
        case VALUE_STRING -> "a string";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        default -> "a number";
      };
    }
  }
}
