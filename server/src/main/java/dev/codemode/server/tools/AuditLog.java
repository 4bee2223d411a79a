package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.json.JsonBudget;
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
    o.put("code", e.code());
    ArrayNode calls = o.putArray("calls");
    for (CallContext.CallRecord c : e.calls()) {
      ObjectNode r = calls.addObject();
      r.put("api", c.api());
      r.put("method", c.method());
      r.put("path", c.path());
      if (c.operationId() != null) {
        r.put("operationId", c.operationId());
      }
      r.put("status", c.status());
      r.put("ms", c.durationMillis());
      r.put("bytes", c.bytesIn());
      if (c.error() != null) {
        r.put("error", c.error());
      }
    }
    o.put("resultChars", e.resultChars());
    o.put("bytesIn", e.bytesIn());
    o.put("outcome", e.outcome());
    if (e.error() != null) {
      o.put("error", e.error());
    }
    o.put("ms", e.durationMillis());
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
    byte[] line = (redactor.redact(JsonBudget.compact(o)) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException ex) {
        LOG.error("cannot write the audit log: {}", ex.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
