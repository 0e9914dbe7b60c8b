package dev.catchup.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidParseException;
import dev.catchup.gtid.GtidSet;
import dev.catchup.wire.StatusEvent.Member;
import dev.catchup.wire.StatusEvent.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads {@link StatusEvent}s: the JSON shape documented there, checked field by field. */
final class StatusEventReader {
  private static final JsonFactory JSON = new JsonFactory();

  private StatusEventReader() {}

  /** See {@link StatusEvent#parse}. */
  static StatusEvent parse(Flavor flavor, String json)
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
        StatusEvent.REPLICA.equals(role) ? f.secondsBehind : null, f.version, f.topology);
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
    Topology topology;
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
        case "topology" -> topology = t == JsonToken.START_OBJECT ? topology(p)
            : (Topology) wrong(field, p, t, "an object");
        default -> p.skipChildren(); // a field a newer writer added
      }
    }

    /** Reads the topology object the parser is at; unknown fields in it are skipped too. */
    private Topology topology(JsonParser p) throws IOException {
      Long generation = null;
      String primary = null;
      String conflict = null;
      List<Member> servers = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "generation" -> generation = integer("topology.generation", p, t);
          case "primary" -> primary = text("topology.primary", p, t);
          case "conflict" -> conflict = text("topology.conflict", p, t);
          case "servers" -> {
            if (t == JsonToken.START_ARRAY) {
              servers = members(p);
            } else {
              wrong("topology.servers", p, t, "an array");
            }
          }
          default -> p.skipChildren();
        }
      }
      if (generation == null || servers == null) {
        if (problem == null) {
          problem = "topology needs generation and servers";
        }
        return null;
      }
      return new Topology(generation, primary, conflict, servers);
    }

    private List<Member> members(JsonParser p) throws IOException {
      List<Member> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
          wrong("topology.servers[" + out.size() + "]", p, p.currentToken(), "an object");
          continue;
        }
        String name = null;
        String role = null;
        String source = null;
        Boolean readOnly = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken t = p.nextToken();
          switch (field) {
            case "name" -> name = text("topology.servers.name", p, t);
            case "role" -> role = text("topology.servers.role", p, t);
            case "source" -> source = text("topology.servers.source", p, t);
            case "readOnly" -> readOnly = t == JsonToken.VALUE_TRUE ? Boolean.TRUE
                : t == JsonToken.VALUE_FALSE ? Boolean.FALSE
                : (Boolean) wrong("topology.servers.readOnly", p, t, "a boolean");
            default -> p.skipChildren();
          }
        }
        if (name == null || role == null) {
          if (problem == null) {
            problem = "a topology server needs name and role";
          }
          continue;
        }
        out.add(new Member(name, role.toLowerCase(Locale.ROOT), source, readOnly));
      }
      return out;
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
