package dev.catchup.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status event's JSON shape, and how the reader treats what a writer may send. */
class StatusEventTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String V = "b9b4712a-df64-11e3-b391-60672090eb04";

  private static GtidSet mysql(String text) {
    return GtidSet.parse(Flavor.MYSQL, text);
  }

  @Test
  void toJson_replica_isTheDocumentedShape() {
    StatusEvent e = new StatusEvent("replica1", "replica", "UP", mysql(U + ":1-1042,\n" + V + ":1-3"),
        "CONNECTED", Duration.ofMillis(180), 0.0, 2);
    assertThat(e.toJson()).isEqualTo("{\"schema\":1,\"name\":\"replica1\",\"role\":\"replica\","
        + "\"state\":\"UP\",\"confirmed\":\"" + U + ":1-1042," + V + ":1-3\",\"feed\":\"CONNECTED\","
        + "\"confirmationAgeMillis\":180,\"secondsBehind\":0.0,\"version\":2}");
  }

  @Test
  void toJson_primary_hasNoSecondsBehind_andNullsForWhatIsUnknown() {
    StatusEvent e = new StatusEvent("primary", "primary", "UNKNOWN", GtidSet.empty(Flavor.MARIADB),
        "CONNECTING", null, null, 1);
    assertThat(e.toJson()).isEqualTo("{\"schema\":1,\"name\":\"primary\",\"role\":\"primary\","
        + "\"state\":\"UNKNOWN\",\"confirmed\":\"\",\"feed\":\"CONNECTING\","
        + "\"confirmationAgeMillis\":null,\"version\":1}");
  }

  @Test
  void toSse_isOneStatusEvent_withOneDataLine() {
    StatusEvent e = new StatusEvent("r\n1", "replica", "UP", mysql(U + ":1-5"), "CONNECTED",
        Duration.ZERO, null, 7);
    String sse = new String(e.toSse(), UTF_8);
    assertThat(sse).startsWith("event: status\ndata: {").endsWith("}\n\n");
    // A name with a line break is escaped, not split: two lines, then the blank one.
    assertThat(sse.split("\n", -1)).hasSize(4).endsWith("", "");
  }

  @Test
  void constructor_secondsBehindOnAPrimary_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StatusEvent(
        "p", "primary", "UP", mysql(""), "CONNECTED", null, 1.0, 1));
    assertThat(e.getMessage()).isEqualTo("secondsBehind is for replicas only, was 1.0 for role primary");
  }

  @Test
  void parse_unknownFields_areIgnored() throws Exception {
    StatusEvent e = StatusEvent.parse(Flavor.MYSQL, "{\"schema\":1,\"name\":\"replica1\","
        + "\"extra\":{\"nested\":[1,2,{\"x\":null}]},\"role\":\"replica\",\"state\":\"UP\","
        + "\"confirmed\":\"" + U + ":1-9\",\"later\":[\"a\"],\"version\":3,\"flag\":true}");
    assertThat(e).isEqualTo(new StatusEvent("replica1", "replica", "UP", mysql(U + ":1-9"), null,
        null, null, 3));
  }

  @Test
  void parse_withoutSchema_isReadAsSchemaOne() throws Exception {
    // What monitors wrote before the field existed.
    StatusEvent e = StatusEvent.parse(Flavor.MARIADB, "{\"name\":\"primary\",\"role\":\"primary\","
        + "\"state\":\"UP\",\"confirmed\":\"0-1-42\",\"feed\":\"CONNECTED\","
        + "\"confirmationAgeMillis\":5,\"version\":9}");
    assertThat(e).isEqualTo(new StatusEvent("primary", "primary", "UP",
        GtidSet.parse(Flavor.MARIADB, "0-1-42"), "CONNECTED", Duration.ofMillis(5), null, 9));
  }

  @Test
  void parse_roleInAnotherCase_isNormalised_andSecondsBehindOfAPrimaryDropped() throws Exception {
    StatusEvent e = StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"p\",\"role\":\"PRIMARY\","
        + "\"confirmed\":\"\",\"secondsBehind\":3}");
    assertThat(e.isPrimary()).isTrue();
    assertThat(e.secondsBehind()).isNull();
  }

  @Test
  void parse_unknownRole_isReadForTheCallerToSkip() throws Exception {
    StatusEvent e = StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"x\",\"role\":\"witness\","
        + "\"confirmed\":\"\"}");
    assertThat(e.isPrimary() || e.isReplica()).isFalse();
  }

  @Test
  void parse_anotherMajorSchema_throwsIncompatible_evenWhenTheRestIsUnreadable() {
    IncompatibleStreamException e = assertThrows(IncompatibleStreamException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"schema\":2,\"name\":{\"first\":\"r\"}}"));
    assertThat(e.getMessage()).isEqualTo("writes /stream schema 2; this reader knows schema 1 only "
        + "(run an SDK and a monitor of releases that share a schema)");
  }

  @Test
  void parse_otherFlavorsGtids_throwsIncompatible() {
    IncompatibleStreamException e = assertThrows(IncompatibleStreamException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\":\"replica\","
            + "\"confirmed\":\"0-1-5\"}"));
    assertThat(e.getMessage()).isEqualTo("reports mariadb GTIDs but the data source's flavor is MYSQL");
  }

  @Test
  void parse_gtidsOfNeitherFlavor_throwsMalformed() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MARIADB, "{\"name\":\"r\",\"role\":\"replica\","
            + "\"confirmed\":\"garbage\"}"));
    assertThat(e.getMessage()).startsWith("confirmed is not a GTID set: ");
  }

  @Test
  void parse_missingRequiredField_throwsMalformed() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"confirmed\":\"\"}"));
    assertThat(e.getMessage()).isEqualTo("a status event needs name, role and confirmed");
  }

  @Test
  void parse_fieldOfTheWrongType_throwsMalformed() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\":\"replica\","
            + "\"confirmed\":\"\",\"secondsBehind\":\"slow\"}"));
    assertThat(e.getMessage()).isEqualTo("secondsBehind must be a number or null, was a string");
  }

  @Test
  void parse_notJson_orTruncated_orNotAnObject_throwsMalformed() {
    assertThat(assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":")).getMessage()).startsWith("not JSON: ");
    assertThat(assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "[1]")).getMessage()).isEqualTo("not a JSON object");
    assertThat(assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\"")).getMessage())
        .startsWith("not JSON: ");
    assertThat(assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "")).getMessage()).isEqualTo("not a JSON object");
  }

  @Test
  void parse_numberTooLargeForAVersion_throwsMalformed() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\":\"replica\","
            + "\"confirmed\":\"\",\"version\":123456789012345678901234567890}"));
    assertThat(e.getMessage()).startsWith("not JSON: ");
  }

  private static final StatusEvent.Topology TOPOLOGY = new StatusEvent.Topology(3, "db2", null,
      List.of(new StatusEvent.Member("db1", "replica", "db2", true),
          new StatusEvent.Member("db2", "primary", null, false),
          new StatusEvent.Member("db3", "replica", "db1", null),
          new StatusEvent.Member("db4", "unknown", null, true)));

  @Test
  void toJson_withTopology_isTheDocumentedShape() {
    StatusEvent e = new StatusEvent("db2", "primary", "UP", mysql(U + ":1-5"), "CONNECTED",
        Duration.ofMillis(4), null, 8, TOPOLOGY);
    assertThat(e.toJson()).isEqualTo("{\"schema\":1,\"name\":\"db2\",\"role\":\"primary\","
        + "\"state\":\"UP\",\"confirmed\":\"" + U + ":1-5\",\"feed\":\"CONNECTED\","
        + "\"confirmationAgeMillis\":4,\"version\":8,\"topology\":{\"generation\":3,"
        + "\"primary\":\"db2\",\"conflict\":null,\"servers\":["
        + "{\"name\":\"db1\",\"role\":\"replica\",\"source\":\"db2\",\"readOnly\":true},"
        + "{\"name\":\"db2\",\"role\":\"primary\",\"source\":null,\"readOnly\":false},"
        + "{\"name\":\"db3\",\"role\":\"replica\",\"source\":\"db1\",\"readOnly\":null},"
        + "{\"name\":\"db4\",\"role\":\"unknown\",\"source\":null,\"readOnly\":true}]}}");
  }

  @Test
  void parse_ofToJson_withTopology_isTheSameEvent() throws Exception {
    StatusEvent e = new StatusEvent("db1", "replica", "UP", mysql(U + ":1-5"), "CONNECTED",
        Duration.ofMillis(4), 0.25, 8, TOPOLOGY);
    assertThat(StatusEvent.parse(Flavor.MYSQL, e.toJson())).isEqualTo(e);
    StatusEvent none = new StatusEvent("db1", "unknown", null, mysql(""), null, null, null, 1,
        new StatusEvent.Topology(9, null, "db1 and db2 are both writable", List.of()));
    assertThat(StatusEvent.parse(Flavor.MYSQL, none.toJson())).isEqualTo(none);
  }

  @Test
  void parse_topologyWithFieldsOfANewerWriter_ignoresThem() throws Exception {
    StatusEvent e = StatusEvent.parse(Flavor.MARIADB, "{\"name\":\"db1\",\"role\":\"replica\","
        + "\"confirmed\":\"0-1-4\",\"topology\":{\"epoch\":{\"a\":[1]},\"generation\":2,"
        + "\"servers\":[{\"name\":\"db1\",\"role\":\"REPLICA\",\"weight\":[3],"
        + "\"source\":\"db0\"}],\"primary\":\"db0\"},\"after\":1}");
    assertThat(e.topology()).isEqualTo(new StatusEvent.Topology(2, "db0", null,
        List.of(new StatusEvent.Member("db1", "replica", "db0", null))));
  }

  @Test
  void parse_withoutTopology_hasNone() throws Exception {
    StatusEvent e = StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\":\"replica\","
        + "\"confirmed\":\"\"}");
    assertThat(e.topology()).isNull();
  }

  @Test
  void parse_topologyWithoutGeneration_throwsMalformed() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\":\"replica\","
            + "\"confirmed\":\"\",\"topology\":{\"servers\":[]}}"));
    assertThat(e.getMessage()).isEqualTo("topology needs generation and servers");
  }

  @Test
  void parse_topologyOfTheWrongType_throwsMalformed() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> StatusEvent.parse(Flavor.MYSQL, "{\"name\":\"r\",\"role\":\"replica\","
            + "\"confirmed\":\"\",\"topology\":[1]}"));
    assertThat(e.getMessage()).isEqualTo("topology must be an object or null, was an array");
  }

  @Test
  void frame_dataWithALineBreak_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StreamFormat.frame("status", "{\n}"));
    assertThat(e.getMessage()).isEqualTo("event data must be one line, was: {\n}");
  }
}
