package dev.codemode.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts with a real tokenizer: jtokkit's {@code o200k_base} (the GPT-4o family encoding). Thread-safe.
 *
 * <pre>{@code int n = Tokens.count("{\"name\":\"search\"}");}</pre>
 */
final class Tokens {
  static final String ENCODING = "o200k_base";
  private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private Tokens() {}

  /** Tokens of {@code text}, special tokens treated as plain text (as they would be inside a JSON payload). */
  static int count(String text) {
    return text == null || text.isEmpty() ? 0 : O200K.countTokensOrdinary(text);
  }
}
