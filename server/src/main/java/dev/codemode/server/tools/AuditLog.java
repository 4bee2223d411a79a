package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;
import dev.codemode.server.skills.Skill;
import dev.codemode.server.upstream.CallContext;
import dev.codemode.server.upstream.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --audit-log}: one JSON line per execution (time, client, code, each upstream call, result size, outcome,
 * limit hit), appended and flushed. Everything passes the {@link Redactor} first: never a secret. Thread-safe.
 *
 * <pre>{@code
 * AuditLog log = AuditLog.open(Path.of("audit.jsonl"), redactor);
 * log.write(entry);
 * }</pre>
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  /** The code of one execution, as logged; longer code is cut (its length and SHA-256 are logged instead). */
  static final int MAX_CODE_CHARS = 100_000;
  /** An error text, as logged. */
  static final int MAX_ERROR_CHARS = 4_000;
  private final OutputStream out;
  private final Redactor redactor;

  /** One execution, as recorded. */
  public record Entry(String client, String session, String code, List<CallContext.CallRecord> calls,
      int resultChars, long bytesIn, String outcome, String error, long durationMillis) {}

  private AuditLog(OutputStream out, Redactor redactor) {
    this.out = out;
    this.redactor = redactor;
  }

  public static AuditLog open(Path path, Redactor redactor) throws IOException {
    return new AuditLog(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE), redactor);
  }

  public void write(Entry e) {
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    o.put("time", Instant.now().toString());
    o.put("client", e.client());
    o.put("session", e.session());
    String code = e.code() == null ? "" : e.code();
    o.put("code", JsonBudget.clip(code, MAX_CODE_CHARS));
    if (code.length() > MAX_CODE_CHARS) {
      o.put("codeChars", code.length());
      o.put("codeSha256", sha256(code));
    }
    ArrayNode calls = o.putArray("calls");
    for (CallContext.CallRecord c : e.calls()) {
      ObjectNode r = calls.addObject();
      r.put("api", c.api());
      r.put("method", c.method());
      r.put("path", c.path());
      if (c.url() != null) {
        r.put("url", c.url());
      }
      if (c.operationId() != null) {
        r.put("operationId", c.operationId());
      }
      r.put("status", c.status());
      r.put("ms", c.durationMillis());
      r.put("bytes", c.bytesIn());
      if (c.error() != null) {
        r.put("error", JsonBudget.clip(c.error(), MAX_ERROR_CHARS));
      }
    }
    o.put("resultChars", e.resultChars());
    o.put("bytesIn", e.bytesIn());
    o.put("outcome", e.outcome());
    if (e.error() != null) {
      o.put("error", JsonBudget.clip(redactor.redact(e.error()), MAX_ERROR_CHARS));
    }
    o.put("ms", e.durationMillis());
    append(o);
  }

  /**
   * One line when a script starts a call, before any check or wait, so that a call is on record even if it never
   * finishes (its execution ended, or the server died): {@code {"event":"call-start", ...}}.
   */
  public void writeStart(String session, CallContext.CallStart c) {
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    o.put("time", Instant.now().toString());
    o.put("event", "call-start");
    o.put("session", session);
    o.put("api", c.api());
    if (c.method() != null) {
      o.put("method", c.method());
    }
    if (c.path() != null) {
      o.put("path", c.path());
    }
    if (c.operationId() != null) {
      o.put("operationId", c.operationId());
    }
    append(o);
  }

  /** One skill save or run, as its own line: who, what (api, name, version, owner), outcome and duration. */
  public void skill(String client, String session, String action, Skill skill, String outcome, long millis) {
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    o.put("time", Instant.now().toString());
    o.put("client", client);
    o.put("session", session);
    ObjectNode s = o.putObject("skill");
    s.put("action", action);
    s.put("api", skill.api());
    s.put("owner", skill.owner());
    s.put("name", skill.name());
    s.put("version", skill.version());
    if (action.equals("save")) {
      s.put("code", skill.code());
    }
    o.put("outcome", outcome);
    o.put("ms", millis);
    append(o);
  }

  private void append(ObjectNode o) {
    String text = redactor.redact(JsonBudget.compact(JsonBudget.tame(o, JsonBudget.MAX_DEPTH).value()));
    byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException ex) {
        LOG.error("cannot write the audit log: {}", ex.getMessage());
      }
    }
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
