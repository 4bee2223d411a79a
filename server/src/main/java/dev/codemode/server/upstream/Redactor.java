package dev.codemode.server.upstream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipInputStream;

/**
 * Keeps secrets out of anything that goes back to the sandbox or the model: upstream bodies and headers, results,
 * logs, errors, audit records. Two tools, used together:
 * <ul>
 *   <li>{@link #redact(String)} replaces every secret in every encoding it commonly travels in with {@value #MASK}:
 *       as is, URL-encoded once and twice ({@code +} or {@code %20}, upper or lower hex), JSON-escaped, hex, and
 *       Base64 (standard or URL alphabet, at any byte alignment, so also inside a larger encoded blob such as a
 *       Basic header or a Base64-encoded echo).</li>
 *   <li>{@link #leaks(String)} and {@link #leaksBytes(byte[])} decode and check: they look for a secret in the text
 *       after percent-, JSON-, HTML-, Base64- and hex-decoding (and in gzip, zip and zlib streams inside binary
 *       data), so a caller can withhold what masking could not clean.</li>
 * </ul>
 * Thread-safe; secrets can be added at run time (OAuth2 access tokens).
 *
 * <pre>{@code
 * Redactor r = new Redactor(); r.add("s3cr3t");
 * r.redact("token=s3cr3t")   // "token=[REDACTED]"
 * }</pre>
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";
  /** A Base64 fragment shorter than this is too likely to occur by chance; shorter secrets are masked as is only. */
  private static final int MIN_ENCODED_CORE = 8;
  /** Secrets shorter than this are not searched for in Base64/hex-decoded data: random bytes would match them. */
  private static final int MIN_DECODED_NEEDLE = 8;
  private static final int MAX_INFLATED = 32 << 20;
  private static final int MAX_ZLIB_PROBES = 64;
  /** Base64 of an 8-byte secret is 11 characters (without padding); a shorter run cannot hold one. */
  private static final int MIN_RUN = 11;

  /**
   * Everything derived from the current secrets; replaced as a whole when one is added. {@code mask} holds the exact
   * forms first, then ({@code exactCount} on) the Base64 fragments, which take their edge characters with them.
   */
  private record State(Needles mask, int exactCount, Needles needles, Needles longNeedles, int longestForm) {}

  private final Set<String> secrets = new CopyOnWriteArraySet<>();
  private volatile State state = new State(new Needles(List.of()), 0, new Needles(List.of()),
      new Needles(List.of()), 0);

  /** Adds a secret; values shorter than 4 characters are also added (better an over-eager mask than a leak). */
  public void add(String secret) {
    if (secret == null || secret.isEmpty()) {
      return;
    }
    if (secrets.add(secret)) {
      rebuild();
    }
  }

  private synchronized void rebuild() {
    Set<String> exact = new LinkedHashSet<>();
    Set<String> cores = new LinkedHashSet<>();
    Set<String> needles = new LinkedHashSet<>();
    Set<String> longNeedles = new LinkedHashSet<>();
    for (String s : secrets) {
      List<String> textForms = textForms(s);
      exact.addAll(textForms);
      for (String f : textForms) {
        needles.add(ByteViews.latin1(f.getBytes(StandardCharsets.UTF_8)));
      }
      needles.add(ByteViews.latin1(s.getBytes(StandardCharsets.UTF_16LE)));
      needles.add(ByteViews.latin1(s.getBytes(StandardCharsets.UTF_16BE)));
      // Hex and Base64 of the secret and of its query-string forms (an echoed URL is often encoded as a whole).
      for (String f : new LinkedHashSet<>(textForms.subList(0, Math.min(3, textForms.size())))) {
        byte[] utf8 = f.getBytes(StandardCharsets.UTF_8);
        String hex = hex(utf8);
        exact.add(hex);
        exact.add(hex.toUpperCase(Locale.ROOT));
        List<String> fCores = base64Cores(utf8);
        cores.addAll(fCores);
        if (utf8.length >= MIN_DECODED_NEEDLE) {
          longNeedles.add(ByteViews.latin1(utf8));
          longNeedles.addAll(fCores);
        }
      }
      if (s.getBytes(StandardCharsets.UTF_8).length >= MIN_DECODED_NEEDLE) {
        longNeedles.add(ByteViews.latin1(s.getBytes(StandardCharsets.UTF_16LE)));
        longNeedles.add(ByteViews.latin1(s.getBytes(StandardCharsets.UTF_16BE)));
      }
    }
    Comparator<String> longestFirst = Comparator.comparingInt(String::length).reversed();
    List<String> e = new ArrayList<>(exact);
    e.sort(longestFirst);
    List<String> c = new ArrayList<>(cores);
    c.sort(longestFirst);
    int longest = e.isEmpty() ? 0 : e.get(0).length();
    for (String s : secrets) {
      longest = Math.max(longest, 6 * s.getBytes(StandardCharsets.UTF_8).length + 16);
    }
    List<String> mask = new ArrayList<>(e);
    c.removeAll(exact);
    mask.addAll(c);
    state = new State(new Needles(mask), e.size(), new Needles(needles), new Needles(longNeedles), longest);
  }

  /** The secret as is, URL-encoded once and twice (both space styles, both hex cases) and JSON-escaped. */
  static List<String> textForms(String s) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(s);
    String form = URLEncoder.encode(s, StandardCharsets.UTF_8);
    String component = form.replace("+", "%20").replace("%7E", "~");
    forms.add(form);
    forms.add(component);
    for (String once : List.of(form, component, form.replace("+", "%20"))) {
      forms.add(once);
      forms.add(lowerHex(once));
      String twice = once.replace("%", "%25");
      forms.add(twice);
      forms.add(lowerHex(twice));
      forms.add(URLEncoder.encode(once, StandardCharsets.UTF_8));
    }
    String json = new String(JsonStringEncoder.getInstance().quoteAsString(s));
    forms.add(json);
    forms.add(json.replace("/", "\\/"));
    return List.copyOf(forms);
  }

  private static String lowerHex(String encoded) {
    StringBuilder sb = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char ch = encoded.charAt(i);
      sb.append(ch);
      if (ch == '%' && i + 2 < encoded.length()) {
        sb.append(encoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
        i += 2;
      }
    }
    return sb.toString();
  }

  /**
   * The part of the Base64 text of {@code secret} that is the same wherever the secret sits in a larger blob: one
   * fragment per byte alignment (0, 1, 2), in both alphabets, without the edge characters that mix in other bytes.
   */
  static List<String> base64Cores(byte[] secret) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      byte[] padded = new byte[k + secret.length];
      System.arraycopy(secret, 0, padded, k, secret.length);
      String enc = Base64.getEncoder().withoutPadding().encodeToString(padded);
      int from = (k + 2) / 3 * 4;
      int to = Math.min(enc.length(), (k + secret.length) / 3 * 4);
      if (to - from >= MIN_ENCODED_CORE) {
        String core = enc.substring(from, to);
        out.add(core);
        out.add(core.replace('+', '-').replace('/', '_'));
      }
    }
    return out;
  }

  /** The secrets with every known encoding masked; Base64 fragments take their edge characters with them. */
  public String redact(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    State st = state;
    if (st.mask().isEmpty()) {
      return s;
    }
    List<Needles.Match> found = st.mask().matches(s);
    if (found.isEmpty()) {
      return s;
    }
    List<int[]> regions = new ArrayList<>();
    for (Needles.Match m : found) {
      int from = m.start();
      int to = m.end();
      if (m.index() >= st.exactCount()) {
        for (int n = 0; n < 3 && from > 0 && isB64(s.charAt(from - 1)); n++) {
          from--;
        }
        for (int n = 0; n < 3 && to < s.length() && (isB64(s.charAt(to)) || s.charAt(to) == '='); n++) {
          to++;
        }
      }
      int[] last = regions.isEmpty() ? null : regions.get(regions.size() - 1);
      if (last != null && from <= last[1]) {
        last[0] = Math.min(last[0], from);
        last[1] = Math.max(last[1], to);
      } else {
        regions.add(new int[] {from, to});
      }
    }
    StringBuilder out = new StringBuilder(s.length());
    int pos = 0;
    for (int[] r : regions) {
      out.append(s, pos, r[0]).append(MASK);
      pos = r[1];
    }
    return out.append(s, pos, s.length()).toString();
  }

  private static boolean isB64(char c) {
    return c < 128 && ByteViews.B64_VALUE[c] >= 0;
  }

  /** Whether any secret is known yet (secrets are only ever added). */
  public boolean hasSecrets() {
    return !secrets.isEmpty();
  }

  public boolean containsSecret(String s) {
    if (s == null) {
      return false;
    }
    return !redact(s).equals(s);
  }

  /**
   * How many characters at the end of a cut text may hold the start of a secret in some encoding (six per byte, the
   * length of a {@code \\uXXXX} escape): a caller that cuts a text drops this much more.
   */
  public int longestForm() {
    return state.longestForm();
  }

  /** A redacted copy of a JSON tree (field names, string values and numbers whose digits hold a secret). */
  public JsonNode redact(JsonNode node) {
    if (state.mask().isEmpty() || node == null) {
      return node;
    }
    if (node.isTextual()) {
      String r = redact(node.asText());
      return r.equals(node.asText()) ? node : TextNode.valueOf(r);
    }
    if (node.isNumber()) {
      String r = redact(node.asText());
      return r.equals(node.asText()) ? node : TextNode.valueOf(r);
    }
    if (node.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(n -> a.add(redact(n)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(redact(e.getKey()), redact(e.getValue()));
      }
      return o;
    }
    return node;
  }

  /**
   * Whether a secret can still be read out of this (already redacted) text by decoding it: percent-decoding and JSON
   * escapes once and twice, HTML character references, then Base64 and hex at every alignment, also in UTF-16.
   */
  public boolean leaks(String text) {
    if (text == null || text.isEmpty() || secrets.isEmpty()) {
      return false;
    }
    return leaks(text.getBytes(StandardCharsets.UTF_8), 0, null);
  }

  /**
   * Whether a secret can be read out of these bytes: as {@link #leaks(String)}, and also inside gzip, zip and zlib
   * (PDF, PNG) streams, up to {@value #MAX_INFLATED} inflated bytes in all.
   */
  public boolean leaksBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || secrets.isEmpty()) {
      return false;
    }
    return leaks(bytes, 0, new long[] {MAX_INFLATED});
  }

  /** {@code budget} (bytes left to inflate) is null for text, which is not searched for compressed streams. */
  private boolean leaks(byte[] raw, int depth, long[] budget) {
    State st = state;
    List<byte[]> views = new ArrayList<>();
    views.add(raw);
    if (ByteViews.contains(raw, '%')) {
      byte[] once = ByteViews.percentDecode(raw);
      views.add(once);
      if (ByteViews.contains(once, '%')) {
        views.add(ByteViews.percentDecode(once));
      }
    }
    if (ByteViews.contains(raw, '\\')) {
      byte[] once = ByteViews.jsonUnescape(raw);
      views.add(once);
      if (ByteViews.contains(once, '\\')) {
        views.add(ByteViews.jsonUnescape(once));
      }
    }
    if (ByteViews.contains(raw, '&')) {
      views.add(ByteViews.htmlUnescape(raw));
    }
    for (byte[] v : views) {
      if (st.needles().containsAny(ByteViews.latin1(v))) {
        return true;
      }
    }
    if (!st.longNeedles().isEmpty()) {
      for (byte[] v : views) {
        for (byte[] run : ByteViews.runs(v, ByteViews.B64_VALUE, MIN_RUN)) {
          for (int off = 0; off < 4 && off < run.length; off++) {
            byte[] d = ByteViews.base64Decode(run, off);
            if (st.longNeedles().containsAny(ByteViews.latin1(d)) || (ByteViews.contains(d, '%')
                && st.longNeedles().containsAny(ByteViews.latin1(ByteViews.percentDecode(d))))) {
              return true;
            }
          }
        }
        for (byte[] run : ByteViews.runs(v, ByteViews.HEX_VALUE, 2 * MIN_DECODED_NEEDLE)) {
          for (int off = 0; off < 2; off++) {
            if (st.longNeedles().containsAny(ByteViews.latin1(ByteViews.hexDecode(run, off)))) {
              return true;
            }
          }
        }
      }
    }
    return budget != null && depth < 2 && compressedLeaks(raw, depth, budget);
  }

  private boolean compressedLeaks(byte[] b, int depth, long[] budget) {
    if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      byte[] inflated = ByteViews.inflate(() -> new GZIPInputStream(new ByteArrayInputStream(b)), budget);
      if (inflated.length > 0 && leaks(inflated, depth + 1, budget)) {
        return true;
      }
    }
    if (b.length > 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(b))) {
        while (zip.getNextEntry() != null && budget[0] > 0) {
          byte[] entry = ByteViews.readBounded(zip, budget);
          if (leaks(entry, depth + 1, budget)) {
            return true;
          }
        }
      } catch (IOException | RuntimeException e) {
        // not a readable zip: the scans above are all we can do
      }
    }
    int probes = 0;
    for (int i = 0; i + 1 < b.length && probes < MAX_ZLIB_PROBES && budget[0] > 0; i++) {
      int cmf = b[i] & 0xff;
      int flg = b[i + 1] & 0xff;
      if (cmf == 0x78 && (flg == 0x01 || flg == 0x5e || flg == 0x9c || flg == 0xda)) {
        probes++;
        int at = i;
        byte[] inflated = ByteViews.inflate(
            () -> new InflaterInputStream(new ByteArrayInputStream(b, at, b.length - at)), budget);
        if (inflated.length > 0 && leaks(inflated, depth + 1, budget)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}
