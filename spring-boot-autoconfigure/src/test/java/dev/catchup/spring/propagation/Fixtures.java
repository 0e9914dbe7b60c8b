package dev.catchup.spring.propagation;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.CatchupDataSource;

/** Data sources that are never used for SQL here: their pools connect, in vain, in the background. */
final class Fixtures {
  static final String TOKEN = "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57";

  private Fixtures() {}

  static CatchupDataSource dataSource() {
    String url = "jdbc:mysql://127.0.0.1:9/shop"; // closed port
    return CatchupDataSource.builder().flavor(Flavor.MYSQL).primary(url).replica("r1", url)
        .credentials("app", "secret").build();
  }
}
