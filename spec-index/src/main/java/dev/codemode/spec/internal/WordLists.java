package dev.codemode.spec.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the word-list data files next to this class (comments start with '#'). Stateless. */
final class WordLists {
  private WordLists() {}

  /** The non-blank, non-comment lines of {@code name}, stripped. */
  static List<String> lines(String name) {
    try (InputStream in = WordLists.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + name + " next to " + WordLists.class);
      }
      List<String> out = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String s = line.strip();
          if (!s.isEmpty() && !s.startsWith("#")) {
            out.add(s);
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + name, e);
    }
  }
}
