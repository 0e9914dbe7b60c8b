package dev.catchup.bench.strategies;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.catchup.bench.harness.CommittedResults;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategiesMarkdownTest {

  @Test
  void write_committedJsonsValues_givesTheCommittedFiles(@TempDir Path dir) throws Exception {
    CommittedResults c = CommittedResults.read("strategies");
    StrategiesReport r = new StrategiesReport(StrategiesOptions.parse(c.invokedAs()), c.machine(),
        c.started(), c.seconds(), c.field("strategies", new TypeReference<>() {}),
        c.field("flavors", new TypeReference<>() {}));

    r.write(dir);

    c.assertSameFiles(dir);
  }
}
