package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.codemode.spec.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's last step: the upstream's response as the script sees it, with every secret masked or withheld and
 * the hints the model needs (why a redirect was not followed, why a credential was refused, what was cut).
 * Thread-safe; one per API.
 */
final class ResponseShaper {
  private static final ObjectMapper JSON = RequestBuilder.json();
  private static final int MAX_BINARY = 256 * 1024;
  /** Headers that tell a body's length or hash: dropped when the body shown is not the body sent. */
  private static final Set<String> LENGTH_HEADERS = Set.of("content-length", "content-md5", "digest",
      "content-digest", "repr-digest", "etag", "content-range");
  private static final String MASKED_NAME = "(a header whose name held a credential)";

  /** A result for the script and how many body bytes it holds (the masked size when anything was masked). */
  record Delivered(JsonNode json, long bytes) {}

  private final Redactor redactor;
  private final Credentials credentials;
  private final String basePath;

  ResponseShaper(Redactor redactor, Credentials credentials, String basePath) {
    this.redactor = redactor;
    this.credentials = credentials;
    this.basePath = basePath;
  }

  /**
   * Builds {@code {status, ok, headers, body}} so that no secret survives in any encoding: text bodies (JSON, text,
   * XML, YAML, CSV, forms) are masked, then decoded and checked again; binary bodies cannot be masked safely, so one
   * that holds a secret (also inside gzip/zip/zlib data) is withheld with a note. A body cut at the size cap loses the
   * tail that could hold the start of a secret. Length and digest headers go whenever the body was changed, so the
   * script cannot learn an echoed secret's length; header names and values are masked like bodies.
   */
  Delivered shape(RedirectingSender.Sent sent, Operation op) {
    UpstreamClient.UpstreamResponse resp = sent.response();
    ObjectNode r = JSON.createObjectNode();
    r.put("status", resp.status());
    r.put("ok", resp.status() / 100 == 2);
    ObjectNode h = r.putObject("headers");
    String ct = resp.headers().getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    String encoding = resp.headers().getOrDefault("content-encoding", "identity").trim().toLowerCase(Locale.ROOT);
    byte[] bytes = resp.body();
    boolean changed = false;
    if (resp.truncated() && bytes.length > 0) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - redactor.longestForm()));
      changed = true;
    }
    long delivered = bytes.length;
    java.nio.charset.Charset charset = charset(ct);
    if (bytes.length == 0) {
      r.putNull("body");
    } else if (!encoding.isEmpty() && !encoding.equals("identity")) {
      r.set("body", withheld(ct, "the upstream sent the body in content-encoding '" + RequestBuilder.clip(encoding)
          + "', which the server cannot decode to check it for credentials"));
      changed = true;
      delivered = 0;
    } else if (charset != null && (ct.contains("json") || (ct.isEmpty() && looksLikeJson(bytes)))) {
      String text = new String(bytes, charset);
      JsonNode parsed;
      try {
        parsed = JSON.readTree(text);
      } catch (java.io.IOException e) {
        parsed = TextNode.valueOf(text);
        r.put("bodyError", resp.truncated() ? "the body was cut at the size limit, so it is not valid JSON"
            : "the upstream sent malformed JSON; body is the raw text");
      }
      JsonNode body = redactor.redact(parsed);
      // With no secret known there is nothing to look for: the body is not rendered a second time just to check it.
      String shown = body == parsed && !redactor.hasSecrets() ? null
          : body.isTextual() ? body.asText() : body.toString();
      if (shown != null && redactor.leaks(shown)) {
        body = withheld(ct, "the body held a credential in an encoding that could not be masked");
        shown = "";
      }
      r.set("body", body);
      if (!body.equals(parsed)) {
        changed = true;
        delivered = shown.getBytes(StandardCharsets.UTF_8).length;
      }
    } else if (charset != null && isText(ct)) {
      String text = new String(bytes, charset);
      String shown = redactor.redact(text);
      if (redactor.leaks(shown)) {
        r.set("body", withheld(ct, "the body held a credential in an encoding that could not be masked"));
        shown = "";
      } else {
        r.put("body", shown);
      }
      if (!shown.equals(text)) {
        changed = true;
        delivered = shown.getBytes(StandardCharsets.UTF_8).length;
      }
    } else if (redactor.leaksBytes(bytes)) {
      r.set("body", withheld(ct, "the binary body held a credential (binary data cannot be masked safely)"));
      changed = true;
      delivered = 0;
    } else {
      ObjectNode bin = r.putObject("body");
      bin.put("contentType", ct);
      bin.put("size", bytes.length);
      int n = Math.min(bytes.length, MAX_BINARY);
      bin.put("base64", Base64.getEncoder().encodeToString(n == bytes.length ? bytes
          : java.util.Arrays.copyOf(bytes, n)));
      if (n < bytes.length) {
        bin.put("base64Truncated", true);
      }
    }
    List<String> withheldHeaders = new ArrayList<>();
    for (Map.Entry<String, String> e : resp.headers().entrySet()) {
      String k = e.getKey();
      String name = redactor.redact(k);
      String value = redactor.redact(e.getValue());
      if (k.equals("set-cookie") || (changed && LENGTH_HEADERS.contains(k))) {
        continue;
      }
      if (redactor.leaks(name + "\n" + value)) {
        withheldHeaders.add(redactor.leaks(name) ? MASKED_NAME : name);
        continue;
      }
      h.put(name, value);
    }
    if (!withheldHeaders.isEmpty()) {
      r.put("headersWithheld", "these response headers held a credential in an encoding that could not be masked: "
          + String.join(", ", withheldHeaders));
    }
    if (resp.truncated()) {
      r.put("truncated", "the response was cut at " + bytes.length + " bytes (the server's response size cap); "
          + "ask for less (filters, smaller pages)");
    }
    if (resp.status() == 401 || resp.status() == 403) {
      r.put("authHint", credentials.explainDenied(op, resp.status()));
    }
    if (sent.notFollowed() != null) {
      r.put("redirectNotFollowed", sent.notFollowed().message());
    }
    if (sent.hops() > 0) {
      r.put("redirectedTo", redactor.redact(sent.uri().getRawPath().substring(basePath.length())));
    }
    return new Delivered(r, delivered);
  }

  private static ObjectNode withheld(String ct, String why) {
    ObjectNode w = JSON.createObjectNode();
    w.put("contentType", ct);
    w.put("withheld", why + "; the body was withheld. Ask the API for a form without the credential, or ask the "
        + "operator.");
    return w;
  }

  /** Text-like content types: masked as text. Everything else is checked as bytes and shown as Base64. */
  private static boolean isText(String ct) {
    return ct.isEmpty() || ct.startsWith("text/") || ct.contains("xml") || ct.contains("javascript")
        || ct.contains("form") || ct.contains("yaml") || ct.contains("csv") || ct.contains("json")
        || ct.contains("graphql") || ct.contains("x-www") || ct.contains("html");
  }

  /** The body's declared charset (UTF-8 when none); null when Java cannot decode it (then it is checked as bytes). */
  private static java.nio.charset.Charset charset(String ct) {
    int at = ct.indexOf("charset=");
    if (at < 0) {
      return StandardCharsets.UTF_8;
    }
    String name = ct.substring(at + 8).split("[;,\\s]", 2)[0].replace("\"", "").replace("'", "");
    try {
      return java.nio.charset.Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean looksLikeJson(byte[] b) {
    for (byte x : b) {
      if (x == ' ' || x == '\n' || x == '\r' || x == '\t') {
        continue;
      }
      return x == '{' || x == '[';
    }
    return false;
  }
}
