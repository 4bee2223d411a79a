package dev.codemode.server.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte-level views {@link Redactor} searches for a secret: percent-, JSON- and HTML-unescaped bytes, Base64
 * and hex runs decoded at every alignment, and bounded inflation of compressed streams. Stateless; every decoder
 * is lenient (invalid input stays as it is) and linear in its input.
 *
 * <pre>{@code
 * byte[] once = ByteViews.percentDecode("a%2Fb".getBytes(StandardCharsets.ISO_8859_1)); // "a/b"
 * }</pre>
 */
final class ByteViews {
  static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private ByteViews() {}

  interface Opener {
    InputStream open() throws IOException;
  }

  /** What inflates (maybe nothing), within what is left of the budget. */
  static byte[] inflate(Opener opener, long[] budget) {
    try (InputStream in = opener.open()) {
      return readBounded(in, budget);
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  static byte[] readBounded(InputStream in, long[] budget) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while (budget[0] > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, budget[0]))) > 0) {
        out.write(buf, 0, n);
        budget[0] -= n;
      }
    } catch (IOException | RuntimeException e) {
      // a broken or cut stream: check what was inflated
    }
    return out.toByteArray();
  }

  /**
   * The runs of at least {@code min} characters of the table (Base64 of either alphabet, or hex), each with only
   * those characters: line breaks do not end a run (MIME Base64), anything else does. An encoded secret as long as
   * the redactor's shortest decoded needle lies in such a run; prose, JSON and random bytes hold few, so little is
   * decoded.
   */
  static List<byte[]> runs(byte[] b, int[] table, int min) {
    List<byte[]> out = new ArrayList<>();
    int from = -1;
    int count = 0;
    for (int i = 0; i <= b.length; i++) {
      int x = i < b.length ? b[i] & 0xff : -1;
      if (x >= 0 && table[x] >= 0) {
        if (count++ == 0) {
          from = i;
        }
      } else if (x != '\n' && x != '\r' && count > 0) {
        if (count >= min) {
          byte[] run = new byte[count];
          int n = 0;
          for (int j = from; j < i; j++) {
            if (table[b[j] & 0xff] >= 0) {
              run[n++] = b[j];
            }
          }
          out.add(run);
        }
        count = 0;
      }
    }
    return out;
  }

  static boolean contains(byte[] b, char c) {
    for (byte x : b) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** An unsynchronised byte buffer for the decoders (ByteArrayOutputStream locks on every byte). */
  static final class Buf {
    private byte[] b;
    private int n;

    Buf(int capacity) {
      b = new byte[Math.max(16, capacity)];
    }

    void write(int x) {
      if (n == b.length) {
        b = java.util.Arrays.copyOf(b, b.length * 2);
      }
      b[n++] = (byte) x;
    }

    void writeBytes(byte[] x) {
      for (byte y : x) {
        write(y);
      }
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(b, n);
    }
  }

  static final int[] HEX_VALUE = new int[256];
  static final int[] B64_VALUE = new int[256];

  static {
    java.util.Arrays.fill(HEX_VALUE, -1);
    java.util.Arrays.fill(B64_VALUE, -1);
    for (int i = 0; i < 16; i++) {
      HEX_VALUE["0123456789abcdef".charAt(i)] = i;
      HEX_VALUE["0123456789ABCDEF".charAt(i)] = i;
    }
    for (int i = 0; i < 64; i++) {
      B64_VALUE[B64.charAt(i)] = i;
    }
    B64_VALUE['-'] = 62;
    B64_VALUE['_'] = 63;
  }

  static int hexAt(byte[] b, int i) {
    return i < b.length ? HEX_VALUE[b[i] & 0xff] : -1;
  }

  /** The bytes after decoding every valid %XX (a '+' stays a '+'). */
  static byte[] percentDecode(byte[] s) {
    Buf out = new Buf(s.length);
    for (int i = 0; i < s.length; i++) {
      int h1 = s[i] == '%' ? hexAt(s, i + 1) : -1;
      int h2 = h1 >= 0 ? hexAt(s, i + 2) : -1;
      if (h2 >= 0) {
        out.write(h1 * 16 + h2);
        i += 2;
      } else {
        out.write(s[i]);
      }
    }
    return out.toByteArray();
  }

  /** JSON/JavaScript escapes decoded; {@code \\uXXXX} and {@code \\xXX} become their UTF-8 bytes. */
  static byte[] jsonUnescape(byte[] s) {
    Buf out = new Buf(s.length);
    for (int i = 0; i < s.length; i++) {
      if (s[i] != '\\' || i + 1 >= s.length) {
        out.write(s[i]);
        continue;
      }
      byte n = s[++i];
      if (n == 'u' && hexAt(s, i + 1) >= 0 && hexAt(s, i + 2) >= 0 && hexAt(s, i + 3) >= 0 && hexAt(s, i + 4) >= 0) {
        int v = ((hexAt(s, i + 1) * 16 + hexAt(s, i + 2)) * 16 + hexAt(s, i + 3)) * 16 + hexAt(s, i + 4);
        out.writeBytes(String.valueOf((char) v).getBytes(StandardCharsets.UTF_8));
        i += 4;
      } else if (n == 'x' && hexAt(s, i + 1) >= 0 && hexAt(s, i + 2) >= 0) {
        out.write(hexAt(s, i + 1) * 16 + hexAt(s, i + 2));
        i += 2;
      } else {
        out.write(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case 'b' -> '\b';
          case 'f' -> '\f';
          default -> n;
        });
      }
    }
    return out.toByteArray();
  }

  /** Numeric character references ({@code &#116;}, {@code &#x74;}) decoded to UTF-8. */
  static byte[] htmlUnescape(byte[] s) {
    Buf out = new Buf(s.length);
    for (int i = 0; i < s.length; i++) {
      if (s[i] == '&' && i + 3 < s.length && s[i + 1] == '#') {
        boolean hex = s[i + 2] == 'x' || s[i + 2] == 'X';
        int j = i + (hex ? 3 : 2);
        int v = 0;
        int digits = 0;
        while (j < s.length && digits < 8 && (hex ? hexAt(s, j) >= 0 : s[j] >= '0' && s[j] <= '9')) {
          v = v * (hex ? 16 : 10) + (hex ? hexAt(s, j) : s[j] - '0');
          j++;
          digits++;
        }
        if (digits > 0 && j < s.length && s[j] == ';' && v <= Character.MAX_CODE_POINT) {
          out.writeBytes(new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8));
          i = j;
          continue;
        }
      }
      out.write(s[i]);
    }
    return out.toByteArray();
  }

  static byte[] base64Decode(byte[] alphabetOnly, int offset) {
    int quads = (alphabetOnly.length - offset) / 4;
    int rest = (alphabetOnly.length - offset) % 4;
    byte[] out = new byte[Math.max(0, quads * 3 + (rest >= 2 ? rest - 1 : 0))];
    for (int q = 0; q < quads; q++) {
      int at = offset + q * 4;
      int v = B64_VALUE[alphabetOnly[at] & 0xff] << 18 | B64_VALUE[alphabetOnly[at + 1] & 0xff] << 12
          | B64_VALUE[alphabetOnly[at + 2] & 0xff] << 6 | B64_VALUE[alphabetOnly[at + 3] & 0xff];
      out[q * 3] = (byte) (v >> 16);
      out[q * 3 + 1] = (byte) (v >> 8);
      out[q * 3 + 2] = (byte) v;
    }
    if (rest >= 2) {
      int at = offset + quads * 4;
      int v = B64_VALUE[alphabetOnly[at] & 0xff] << 18 | B64_VALUE[alphabetOnly[at + 1] & 0xff] << 12
          | (rest == 3 ? B64_VALUE[alphabetOnly[at + 2] & 0xff] << 6 : 0);
      out[quads * 3] = (byte) (v >> 16);
      if (rest == 3) {
        out[quads * 3 + 1] = (byte) (v >> 8);
      }
    }
    return out;
  }

  static byte[] hexDecode(byte[] hexOnly, int offset) {
    byte[] out = new byte[Math.max(0, (hexOnly.length - offset) / 2)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (HEX_VALUE[hexOnly[offset + 2 * i] & 0xff] * 16 + HEX_VALUE[hexOnly[offset + 2 * i + 1] & 0xff]);
    }
    return out;
  }
}
