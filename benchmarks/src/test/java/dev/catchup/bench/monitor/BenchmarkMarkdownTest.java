package dev.catchup.bench.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.catchup.bench.harness.CommittedResults;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkMarkdownTest {

  @Test
  void write_committedJsonsValues_givesTheCommittedFiles(@TempDir Path dir) throws Exception {
    CommittedResults c = CommittedResults.read("monitor-bench");
    BenchmarkReport r = new BenchmarkReport(BenchmarkOptions.parse(c.invokedAs()), c.machine(),
        c.started(), c.seconds(), c.field("flavors", new TypeReference<>() {}));

    r.write(dir);

    c.assertSameFiles(dir);
  }
}
