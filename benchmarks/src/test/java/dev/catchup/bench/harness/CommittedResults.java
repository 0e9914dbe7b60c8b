package dev.catchup.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A results file pair committed in {@code results/}, read back: the files a harness writes from
 * the JSON's values must be the committed ones, so the writers cannot drift from the format the
 * results files show.
 */
public final class CommittedResults {
  private static final Path DIR = Path.of("..", "results");
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String name;
  private final JsonNode json;

  private CommittedResults(String name, JsonNode json) {
    this.name = name;
    this.json = json;
  }

  /** Reads {@code results/<name>.json} and {@code results/<name>.md}. */
  public static CommittedResults read(String name) throws IOException {
    return new CommittedResults(name, MAPPER.readTree(DIR.resolve(name + ".json").toFile()));
  }

  /** The JSON field {@code field} as a {@code type}. */
  public <T> T field(String field, TypeReference<T> type) {
    return MAPPER.convertValue(json.get(field), type);
  }

  /** The command line the run recorded, as the harness's options take it. */
  public String[] invokedAs() {
    return new String[] {"--invoked-as", json.get("command").asText()};
  }

  public Machine machine() {
    return field("machine", new TypeReference<>() {});
  }

  public Instant started() {
    return Instant.parse(json.get("generatedAt").asText());
  }

  public double seconds() {
    return json.get("durationSeconds").asDouble();
  }

  /** Asserts that {@code dir} holds the same two files as {@code results/}, to the character. */
  public void assertSameFiles(Path dir) throws IOException {
    for (String file : List.of(name + ".md", name + ".json")) {
      assertThat(dir.resolve(file)).as(file).hasSameTextualContentAs(DIR.resolve(file));
    }
  }
}
