package dev.codemode.server.upstream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.zip.Inflater;
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
  private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";

  /** Everything derived from the current secrets; replaced as a whole when one is added. */
  private record State(List<String> exact, List<String> cores, List<String> needles, List<String> longNeedles,
      int longestForm) {}

  private final Set<String> secrets = new CopyOnWriteArraySet<>();
  private volatile State state = new State(List.of(), List.of(), List.of(), List.of(), 0);

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
        needles.add(latin1(f.getBytes(StandardCharsets.UTF_8)));
      }
      needles.add(latin1(s.getBytes(StandardCharsets.UTF_16LE)));
      needles.add(latin1(s.getBytes(StandardCharsets.UTF_16BE)));
      // Hex and Base64 of the secret and of its query-string forms (an echoed URL is often encoded as a whole).
      for (String f : new LinkedHashSet<>(textForms.subList(0, Math.min(3, textForms.size())))) {
        byte[] utf8 = f.getBytes(StandardCharsets.UTF_8);
        String hex = hex(utf8);
        exact.add(hex);
        exact.add(hex.toUpperCase(Locale.ROOT));
        List<String> fCores = base64Cores(utf8);
        cores.addAll(fCores);
        if (utf8.length >= MIN_DECODED_NEEDLE) {
          longNeedles.add(latin1(utf8));
          longNeedles.addAll(fCores);
        }
      }
      if (s.getBytes(StandardCharsets.UTF_8).length >= MIN_DECODED_NEEDLE) {
        longNeedles.add(latin1(s.getBytes(StandardCharsets.UTF_16LE)));
        longNeedles.add(latin1(s.getBytes(StandardCharsets.UTF_16BE)));
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
    state = new State(List.copyOf(e), List.copyOf(c), List.copyOf(needles), List.copyOf(longNeedles), longest);
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
    String out = s;
    for (String form : st.exact()) {
      if (out.contains(form)) {
        out = out.replace(form, MASK);
      }
    }
    for (String core : st.cores()) {
      int at = out.indexOf(core);
      while (at >= 0) {
        int from = at;
        int to = at + core.length();
        for (int n = 0; n < 3 && from > 0 && B64.indexOf(out.charAt(from - 1)) >= 0; n++) {
          from--;
        }
        for (int n = 0; n < 3 && to < out.length() && (B64.indexOf(out.charAt(to)) >= 0 || out.charAt(to) == '=');
            n++) {
          to++;
        }
        out = out.substring(0, from) + MASK + out.substring(to);
        at = out.indexOf(core, from + MASK.length());
      }
    }
    return out;
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
    if (state.exact().isEmpty() || node == null) {
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
   * Whether a secret can still be read out of this (already redacted) text by decoding it: percent-decoding once and
   * twice, JSON and HTML escapes, then Base64 and hex at every alignment, also in UTF-16.
   */
  public boolean leaks(String text) {
    if (text == null || text.isEmpty() || secrets.isEmpty()) {
      return false;
    }
    return leaksLatin1(latin1(text.getBytes(StandardCharsets.UTF_8)), 0);
  }

  /**
   * Whether a secret can be read out of these bytes: as {@link #leaks(String)}, and also inside gzip, zip and zlib
   * (PDF, PNG) streams. A compressed stream too large to check counts as a leak.
   */
  public boolean leaksBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || secrets.isEmpty()) {
      return false;
    }
    return leaksLatin1(latin1(bytes), 0);
  }

  private boolean leaksLatin1(String raw, int depth) {
    State st = state;
    List<String> views = new ArrayList<>();
    views.add(raw);
    if (raw.indexOf('%') >= 0) {
      String once = percentDecode(raw);
      views.add(once);
      if (once.indexOf('%') >= 0) {
        views.add(percentDecode(once));
      }
    }
    if (raw.indexOf('\\') >= 0) {
      views.add(jsonUnescape(raw));
    }
    if (raw.contains("&#")) {
      views.add(htmlUnescape(raw));
    }
    for (String v : views) {
      if (containsAny(v, st.needles())) {
        return true;
      }
    }
    if (!st.longNeedles().isEmpty()) {
      for (String v : views) {
        String b64 = keep(v, true);
        for (int off = 0; off < 4; off++) {
          String d = base64Decode(b64, off);
          if (containsAny(d, st.longNeedles()) || (d.indexOf('%') >= 0
              && containsAny(percentDecode(d), st.longNeedles()))) {
            return true;
          }
        }
        String hex = keep(v, false);
        for (int off = 0; off < 2; off++) {
          if (containsAny(hexDecode(hex, off), st.longNeedles())) {
            return true;
          }
        }
      }
    }
    return depth < 2 && compressedLeaks(raw, depth);
  }

  private boolean compressedLeaks(String raw, int depth) {
    byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
    if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      String inflated = inflate(() -> new GZIPInputStream(new java.io.ByteArrayInputStream(b)));
      if (inflated == null || leaksLatin1(inflated, depth + 1)) {
        return true;
      }
    }
    if (b.length > 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
      try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(b))) {
        long total = 0;
        while (zip.getNextEntry() != null) {
          byte[] entry = readBounded(zip, MAX_INFLATED - total);
          if (entry == null) {
            return true;
          }
          total += entry.length;
          if (leaksLatin1(latin1(entry), depth + 1)) {
            return true;
          }
        }
      } catch (IOException e) {
        // not a readable zip: the raw scan above is all we can do
      }
    }
    int probes = 0;
    for (int i = 0; i + 1 < b.length && probes < MAX_ZLIB_PROBES; i++) {
      int cmf = b[i] & 0xff;
      int flg = b[i + 1] & 0xff;
      if (cmf == 0x78 && (cmf * 256 + flg) % 31 == 0) {
        probes++;
        int at = i;
        String inflated = inflate(() -> new InflaterInputStream(
            new java.io.ByteArrayInputStream(b, at, b.length - at), new Inflater()));
        if (inflated != null && !inflated.isEmpty() && leaksLatin1(inflated, depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  /** Inflated bytes as Latin-1, "" when the data is not a valid stream, null when it is too large to check. */
  private static String inflate(Opener opener) {
    try (InputStream in = opener.open()) {
      byte[] out = readBounded(in, MAX_INFLATED);
      return out == null ? null : latin1(out);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static byte[] readBounded(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    try {
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > max) {
          return null;
        }
        out.write(buf, 0, n);
      }
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      // a stream cut short: check what was inflated
    }
    return out.toByteArray();
  }

  private static boolean containsAny(String haystack, List<String> needles) {
    for (String n : needles) {
      if (haystack.contains(n)) {
        return true;
      }
    }
    return false;
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  private static int hexValue(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
        : -1;
  }

  /** Latin-1 view of the bytes after decoding every valid %XX (a '+' stays a '+'). */
  static String percentDecode(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
        sb.append((char) (hexValue(s.charAt(i + 1)) * 16 + hexValue(s.charAt(i + 2))));
        i += 2;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** JSON/JavaScript escapes decoded; {@code \\uXXXX} becomes its UTF-8 bytes so it compares with the needles. */
  static String jsonUnescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        sb.append(c);
        continue;
      }
      char n = s.charAt(++i);
      if (n == 'u' && i + 4 < s.length()) {
        int v = 0;
        boolean ok = true;
        for (int k = 1; k <= 4; k++) {
          int h = hexValue(s.charAt(i + k));
          ok &= h >= 0;
          v = v * 16 + Math.max(h, 0);
        }
        if (ok) {
          sb.append(latin1(String.valueOf((char) v).getBytes(StandardCharsets.UTF_8)));
          i += 4;
          continue;
        }
      } else if (n == 'x' && i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
        sb.append((char) (hexValue(s.charAt(i + 1)) * 16 + hexValue(s.charAt(i + 2))));
        i += 2;
        continue;
      }
      sb.append(switch (n) {
        case 'n' -> '\n';
        case 't' -> '\t';
        case 'r' -> '\r';
        case 'b' -> '\b';
        case 'f' -> '\f';
        default -> n;
      });
    }
    return sb.toString();
  }

  /** Numeric character references ({@code &#116;}, {@code &#x74;}) decoded. */
  static String htmlUnescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("&#", i)) {
        int end = s.indexOf(';', i);
        if (end > i + 2 && end - i < 10) {
          String num = s.substring(i + 2, end);
          try {
            int v = num.startsWith("x") || num.startsWith("X") ? Integer.parseInt(num.substring(1), 16)
                : Integer.parseInt(num);
            sb.append(latin1(new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8)));
            i = end;
            continue;
          } catch (IllegalArgumentException e) {
            // not a reference
          }
        }
      }
      sb.append(s.charAt(i));
    }
    return sb.toString();
  }

  /** Only the Base64 (both alphabets, '=' dropped) or only the hex characters of a text. */
  private static String keep(String s, boolean base64) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (base64 ? c < 128 && B64.indexOf(c) >= 0 : hexValue(c) >= 0) {
        sb.append(c == '-' ? '+' : c == '_' ? '/' : c);
      }
    }
    return sb.toString();
  }

  private static String base64Decode(String alphabetOnly, int offset) {
    int n = (alphabetOnly.length() - offset) / 4 * 4;
    if (n <= 0) {
      return "";
    }
    return latin1(Base64.getDecoder().decode(alphabetOnly.substring(offset, offset + n)));
  }

  private static String hexDecode(String hexOnly, int offset) {
    StringBuilder sb = new StringBuilder(hexOnly.length() / 2);
    for (int i = offset; i + 1 < hexOnly.length(); i += 2) {
      sb.append((char) (hexValue(hexOnly.charAt(i)) * 16 + hexValue(hexOnly.charAt(i + 1))));
    }
    return sb.toString();
  }
}
