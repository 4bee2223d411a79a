package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.config.Secret;
import dev.codemode.spec.SecurityScheme;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11, credentials 1-3: an upstream that echoes the credentials it got back in every encoding and content type
 * a script could ask for. Each case runs twice: through a gateway that knows no secret (the control, which must let
 * the script decode the credential, so the test's decoders and the echo are proven to work) and through the real one,
 * after which decoding what the script sees the way the attacker would must reveal nothing.
 */
class EchoedSecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "Tk/+=" + System.nanoTime() + "~!x";
  private static final String KEY = "K y/" + System.nanoTime() + "+&=%\u00e9";
  private static final Map<String, SecurityScheme> SCHEMES = Map.of(
      "bearerAuth", new SecurityScheme("bearerAuth", SecurityScheme.Type.HTTP, "bearer", null, null, null),
      "apiKey", new SecurityScheme("apiKey", SecurityScheme.Type.API_KEY, null, "query", "api_key", null));
  private static final List<String> TEXT_ENCODINGS = List.of("raw", "base64", "base64url", "mime", "pct", "pct20",
      "pct2", "pctlower", "jsonu", "html", "hex", "HEX");
  private static final List<String> BINARY_ENCODINGS = List.of("utf16le", "utf16be", "gzip", "zlib", "zip");
  private static final List<String> TEXT_TYPES = List.of("application/yaml", "application/json");
  private static final List<String> BINARY_TYPES = List.of("application/octet-stream", "application/msgpack",
      "application/pdf");

  private static FaultyUpstream upstream;
  private static UpstreamClient http;
  private static UpstreamClient smallCap;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FaultyUpstream();
    http = new UpstreamClient(new UpstreamClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20, 8));
    smallCap = new UpstreamClient(new UpstreamClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 4096, 8));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    smallCap.close();
    upstream.close();
  }

  /** The real gateway when {@code masking}, else one whose redactor never heard of the secrets. */
  private static ApiGateway gateway(boolean masking, UpstreamClient client) {
    Redactor credsRedactor = new Redactor();
    Credentials creds = new Credentials(SCHEMES, Map.of("bearerAuth", Secret.of("test", TOKEN),
        "apiKey", Secret.of("test", KEY)), List.of(), new OAuth2Tokens(client, credsRedactor), credsRedactor);
    return new ApiGateway(new FakeSpec(List.of(), SCHEMES), URI.create(upstream.base()), creds, client,
        masking ? credsRedactor : new Redactor(), new Policy(true, false, List.of(), List.of()));
  }

  private static JsonNode echo(ApiGateway gw, Map<String, Object> query) {
    ObjectNode req = JSON.createObjectNode();
    req.put("method", "GET");
    req.put("path", "/echo-as");
    req.set("query", JSON.valueToTree(query));
    return gw.request(req, CallContext.PERMISSIVE).block(Duration.ofSeconds(10));
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    int i = 0;
    for (String enc : TEXT_ENCODINGS) {
      for (String ct : TEXT_TYPES) {
        out.add(Arguments.of(enc, ct, i++ % 3));
      }
      out.add(Arguments.of(enc, BINARY_TYPES.get(i % BINARY_TYPES.size()), i++ % 3));
    }
    out.add(Arguments.of("raw", "text/plain", 0));
    out.add(Arguments.of("raw", "text/csv", 0));
    for (String enc : BINARY_ENCODINGS) {
      for (String ct : BINARY_TYPES) {
        out.add(Arguments.of(enc, ct, i++ % 3));
      }
    }
    for (int pad = 0; pad < 3; pad++) {
      out.add(Arguments.of("base64", "application/yaml", pad));
      out.add(Arguments.of("base64", "application/octet-stream", pad));
    }
    out.add(Arguments.of("utf16le", "text/plain; charset=utf-16le", 0));
    out.add(Arguments.of("utf16be", "text/plain; charset=UTF-16BE", 1));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} as {1}, pad {2}")
  @MethodSource("cases")
  void noEncodingOfAnEchoedCredentialReachesTheScript(String enc, String ct, int pad) {
    Map<String, Object> q = Map.of("enc", enc, "ct", ct, "pad", pad);
    JsonNode control = echo(gateway(false, http), q);
    assertNotNull(reveals(control, enc), "the control must expose the echo, else this case proves nothing: "
        + control);
    assertTrue(control.at("/headers/content-md5").isTextual(), control.toString());

    JsonNode r = echo(gateway(true, http), q);
    assertEquals(200, r.get("status").asInt());
    assertNull(reveals(r, enc), () -> "decoding what the script sees reveals " + reveals(r, enc) + ": " + r);
    String text = r.toString();
    assertTrue(text.contains(Redactor.MASK) || text.contains("withheld"), text);
    assertFalse(r.get("headers").has("content-length") || r.get("headers").has("content-md5"),
        "no length or digest of a masked body: " + r.get("headers"));
  }

  @Test
  void aBodyCutAtTheSizeCapKeepsNoStartOfASecret() {
    String marker = "authorization=Bearer ";
    for (int k = 4; k <= TOKEN.length(); k += 3) {
      Map<String, Object> q = Map.of("enc", "raw", "ct", "text/plain", "pad", 4096 - marker.length() - k);
      String prefix = TOKEN.substring(0, k);
      JsonNode control = echo(gateway(false, smallCap), q);
      assertTrue(control.get("body").asText().endsWith(marker + prefix), control.toString());
      JsonNode r = echo(gateway(true, smallCap), q);
      assertTrue(r.has("truncated"), r.toString());
      String body = r.get("body").asText();
      assertFalse(body.contains(marker + TOKEN.substring(0, Math.min(k, 2))), "cut at " + k + ": " + body.substring(
          Math.max(0, body.length() - 60)));
      assertFalse(r.get("headers").has("content-length"), r.get("headers").toString());
    }
  }

  @Test
  void aSecretSplitAcrossChunksIsMaskedBecauseTheWholeBodyIsChecked() {
    JsonNode r = echo(gateway(true, http), Map.of("enc", "raw", "ct", "text/plain", "chunk", 1));
    assertNull(reveals(r, "raw"), r.toString());
    assertTrue(r.get("body").asText().contains("authorization=Bearer " + Redactor.MASK), r.toString());
  }

  @Test
  void anUnchangedBodyKeepsItsLengthHeader() throws Exception {
    JsonNode r = gateway(true, http).request(JSON.readTree("{\"path\":\"/500\"}"), CallContext.PERMISSIVE).block();
    assertTrue(r.at("/headers/content-length").isTextual(), r.toString());
  }

  // ---- what an attacker does with the result: decode it the way it asked the upstream to encode it ----

  /** What decoding the script-visible result reveals (a description), or null. */
  static String reveals(JsonNode r, String enc) {
    List<byte[]> visible = new ArrayList<>();
    JsonNode body = r.get("body");
    if (body.isTextual()) {
      visible.add(body.asText().getBytes(StandardCharsets.UTF_8));
      visible.add(body.asText().getBytes(StandardCharsets.ISO_8859_1));
    } else if (body.has("base64")) {
      visible.add(Base64.getDecoder().decode(body.get("base64").asText()));
    } else if (body.has("echo")) {
      visible.add(body.get("echo").asText().getBytes(StandardCharsets.ISO_8859_1));
    } else if (!body.has("withheld")) {
      visible.add(body.toString().getBytes(StandardCharsets.UTF_8));
    }
    List<byte[]> decoded = new ArrayList<>();
    for (byte[] v : visible) {
      decoded.add(v);
      decoded.addAll(inverse(enc, v));
    }
    byte[] headers = (r.get("headers").toString()).getBytes(StandardCharsets.UTF_8);
    decoded.add(headers);
    decoded.addAll(inverse("hex", headers));
    decoded.addAll(inverse("base64", headers));
    List<String> needles = List.of(TOKEN, KEY, URLEncoder.encode(KEY, StandardCharsets.UTF_8));
    for (byte[] d : decoded) {
      for (String view : List.of(new String(d, StandardCharsets.UTF_8), pct(new String(d, StandardCharsets.UTF_8)),
          pct(pct(new String(d, StandardCharsets.UTF_8))))) {
        for (String n : needles) {
          if (view.contains(n)) {
            return n.equals(TOKEN) ? "the token" : "the api key";
          }
        }
      }
    }
    return null;
  }

  private static List<byte[]> inverse(String enc, byte[] v) {
    String s = new String(v, StandardCharsets.ISO_8859_1);
    List<byte[]> out = new ArrayList<>();
    try {
      switch (enc) {
        case "base64", "base64url", "mime" -> {
          String only = s.replaceAll("[^A-Za-z0-9+/_-]", "").replace('-', '+').replace('_', '/');
          for (int off = 0; off < 4 && off < only.length(); off++) {
            int n = (only.length() - off) / 4 * 4;
            out.add(Base64.getDecoder().decode(only.substring(off, off + n)));
          }
        }
        case "pct", "pct20", "pct2", "pctlower" -> out.add(pct(pct(s.replace('+', ' '))).getBytes(
            StandardCharsets.ISO_8859_1));
        case "jsonu" -> {
          StringBuilder sb = new StringBuilder();
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\\\u([0-9a-fA-F]{4})|(.)",
              java.util.regex.Pattern.DOTALL).matcher(s);
          while (m.find()) {
            sb.append(m.group(1) != null ? (char) Integer.parseInt(m.group(1), 16) : m.group(2).charAt(0));
          }
          out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        case "html" -> {
          StringBuilder sb = new StringBuilder();
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("&#(\\d+);|(.)",
              java.util.regex.Pattern.DOTALL).matcher(s);
          while (m.find()) {
            sb.append(m.group(1) != null ? (char) Integer.parseInt(m.group(1)) : m.group(2).charAt(0));
          }
          out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        case "hex", "HEX" -> {
          String only = s.replaceAll("[^0-9a-fA-F]", "");
          for (int off = 0; off < 2; off++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = off; i + 1 < only.length(); i += 2) {
              b.write(Integer.parseInt(only.substring(i, i + 2), 16));
            }
            out.add(b.toByteArray());
          }
        }
        case "utf16le" -> out.add(new String(v, StandardCharsets.UTF_16LE).getBytes(StandardCharsets.UTF_8));
        case "utf16be" -> out.add(new String(v, StandardCharsets.UTF_16BE).getBytes(StandardCharsets.UTF_8));
        case "gzip" -> out.add(readAll(new GZIPInputStream(new ByteArrayInputStream(v))));
        case "zlib" -> {
          int at = s.indexOf("stream\n") + 7;
          out.add(readAll(new InflaterInputStream(new ByteArrayInputStream(v, at, v.length - at))));
        }
        case "zip" -> {
          ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(v));
          z.getNextEntry();
          out.add(readAll(z));
        }
        default -> { }
      }
    } catch (Exception e) {
      // not decodable as asked: nothing revealed this way
    }
    return out;
  }

  private static byte[] readAll(InputStream in) throws java.io.IOException {
    return in.readAllBytes();
  }

  /** Lenient percent-decoding into UTF-8 text. */
  private static String pct(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0
          && Character.digit(in[i + 2], 16) >= 0) {
        b.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else {
        b.write(in[i]);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
