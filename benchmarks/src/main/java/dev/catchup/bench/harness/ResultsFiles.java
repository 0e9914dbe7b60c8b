package dev.catchup.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's results files: a JSON file for machines and a Markdown file for people, written from
 * the same values. Nothing in either is typed by hand.
 *
 * @param markdown the Markdown file's name
 * @param json the JSON file's name
 */
public record ResultsFiles(String markdown, String json) {

  /**
   * The fields every results JSON starts with, in this order (command, machine, parameters); the
   * harness puts its own figures after them.
   */
  public static Map<String, Object> jsonHead(RunOptions options, Machine machine, Instant started,
      double seconds) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("generatedAt", started.truncatedTo(ChronoUnit.SECONDS).toString());
    json.put("command", options.invokedAs());
    json.put("durationSeconds", Math.round(seconds));
    json.put("machine", machine);
    json.put("parameters", options.describe());
    return json;
  }

  /**
   * Writes both files into {@code dir}, creating it.
   *
   * @return the files written, Markdown first
   */
  public List<Path> write(Path dir, Map<String, Object> json, String markdownText)
      throws IOException {
    Files.createDirectories(dir);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(dir.resolve(this.json), mapper.writeValueAsString(json) + "\n");
    Files.writeString(dir.resolve(markdown), markdownText);
    return List.of(dir.resolve(markdown), dir.resolve(this.json));
  }
}
