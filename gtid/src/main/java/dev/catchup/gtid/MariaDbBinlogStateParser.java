package dev.catchup.gtid;

import java.util.ArrayList;
import java.util.List;

/** Scans {@code @@gtid_binlog_state} text: {@code d-s-n (',' d-s-n)*}, a domain once per server. */
final class MariaDbBinlogStateParser extends GtidScanner {
  private final List<MariaDbGtidSet.Entry> read = new ArrayList<>();

  MariaDbBinlogStateParser(CharSequence text) {
    super(Flavor.MARIADB, text, GtidSet.DEFAULT_MAX_LENGTH);
  }

  MariaDbBinlogState parse() {
    list("binlog state", this::entry);
    return MariaDbBinlogState.build(read);
  }

  private void entry() {
    long domain = number(MariaDbGtidSet.MAX_UINT32, "domain id");
    dash();
    long server = number(MariaDbGtidSet.MAX_UINT32, "server id");
    dash();
    long seq = number(-1L, "sequence number");
    read.add(new MariaDbGtidSet.Entry(domain, server, seq));
  }

  private void dash() {
    if (pos == length || in.charAt(pos) != '-') {
      throw error(pos, "expected '-' (domain-server-sequence), found " + describe(pos));
    }
    pos++;
  }
}
