package dev.catchup.bench.failover;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.catchup.bench.harness.CommittedResults;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverMarkdownTest {

  @Test
  void write_committedJsonsValues_givesTheCommittedFiles(@TempDir Path dir) throws Exception {
    CommittedResults c = CommittedResults.read("failover");
    FailoverReport r = new FailoverReport(FailoverOptions.parse(c.invokedAs()), c.machine(),
        c.started(), c.seconds(), c.field("flavors", new TypeReference<>() {}));

    r.write(dir);

    c.assertSameFiles(dir);
  }
}
