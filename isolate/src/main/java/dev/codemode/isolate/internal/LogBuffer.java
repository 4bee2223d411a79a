package dev.codemode.isolate.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Captured console lines of one execution, capped by total bytes; lines beyond the cap are dropped and counted.
 * Written only by the context's thread, read after the run: not thread-safe.
 */
final class LogBuffer {
  private final int maxBytes;
  private final List<String> lines = new ArrayList<>();
  private long bytes;
  private int dropped;

  LogBuffer(int maxBytes) {
    this.maxBytes = Math.max(0, maxBytes);
  }

  void drop() {
    dropped++;
  }

  void add(String level, String text) {
    if (bytes + text.length() > maxBytes) {
      dropped++;
      return;
    }
    String line = "log".equals(level) ? text : "[" + level + "] " + text;
    long size = Utf8.length(line) + 1;
    if (bytes + size > maxBytes) {
      dropped++;
      return;
    }
    bytes += size;
    lines.add(line);
  }

  List<String> lines() {
    return lines;
  }

  int dropped() {
    return dropped;
  }
}
