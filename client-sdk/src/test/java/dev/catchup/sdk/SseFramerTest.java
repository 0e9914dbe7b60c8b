package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.sdk.SseFramer.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing as the Server-Sent Events specification says, fed line by line. */
class SseFramerTest {

  private static List<Event> frame(String... lines) {
    SseFramer f = new SseFramer();
    List<Event> out = new ArrayList<>();
    for (String l : lines) {
      Event e = f.line(l);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void line_dataLinesAccumulateUntilABlankLine_joinedByNewlines() {
    List<Event> events = frame("event: status", "data: {\"a\":", "data: 1}", "");
    assertThat(events).containsExactly(new Event("status", "{\"a\":\n1}", "", false));
  }

  @Test
  void line_noBlankLine_dispatchesNothing() {
    assertThat(frame("event: status", "data: {}")).isEmpty();
  }

  @Test
  void line_commentsAndUnknownFields_areIgnored() {
    List<Event> events = frame(": keepalive", "", "retry: 500", "foo: bar", "data:x", "");
    assertThat(events).containsExactly(new Event("message", "x", "", false));
  }

  @Test
  void line_onlyOneLeadingSpaceIsStripped_andAFieldWithoutColonHasAnEmptyValue() {
    assertThat(frame("data:  two", "")).containsExactly(new Event("message", " two", "", false));
    assertThat(frame("data", "")).containsExactly(new Event("message", "", "", false));
  }

  @Test
  void line_idIsKeptAcrossEvents_andTypeResetsAfterEach() {
    List<Event> events = frame("id: 7", "event: status", "data: a", "", "data: b", "");
    assertThat(events).containsExactly(new Event("status", "a", "7", false),
        new Event("message", "b", "7", false));
  }

  @Test
  void line_eventWithNoData_isNotDispatched_andItsTypeDoesNotLeak() {
    assertThat(frame("event: status", "", "data: x", ""))
        .containsExactly(new Event("message", "x", "", false));
  }

  @Test
  void line_byteOrderMarkAtTheStart_isSkipped() {
    assertThat(frame("\uFEFFdata: x", "")).containsExactly(new Event("message", "x", "", false));
  }

  @Test
  void line_oversizedEvent_isDispatchedAsOversizedWithoutItsData_andTheNextOneIsWhole() {
    SseFramer f = new SseFramer(10);
    assertThat(f.line("data: 0123456789abc")).isNull();
    assertThat(f.line("data: more")).isNull();
    assertThat(f.line("")).isEqualTo(new Event("message", "", "", true));
    assertThat(f.line("data: ok")).isNull();
    assertThat(f.line("")).isEqualTo(new Event("message", "ok", "", false));
  }
}
