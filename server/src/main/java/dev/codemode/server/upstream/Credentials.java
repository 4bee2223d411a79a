package dev.codemode.server.upstream;

import dev.codemode.server.config.Secret;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The credentials bound to one API and the rules for putting them on a request. With {@link OAuth2Tokens} and the
 * {@link Redactor} (which masks them) it is one of the few holders of secret values (see ARCHITECTURE.md); nothing
 * here is ever handed to the sandbox. Thread-safe after construction.
 *
 * <pre>{@code
 * Credentials c = new Credentials(spec.securitySchemes(), Map.of("bearerAuth", secret), List.of(), tokens, redactor);
 * Credentials.Outgoing out = c.apply(operation).block();   // headers and query parameters to add
 * }</pre>
 */
public final class Credentials {

  /** A header or query parameter the host adds; scripts may not set these names themselves. */
  public record Addition(String in, String name, String value) {}

  /** Where credentials go on one request, filled by {@link #apply}. */
  public static final class Outgoing {
    public final List<Addition> additions = new ArrayList<>();
    public final List<String> usedSchemes = new ArrayList<>();
  }

  private final Map<String, SecurityScheme> schemes;
  private final Map<String, Secret> bound;
  private final List<Map.Entry<String, Secret>> extraHeaders;
  private final OAuth2Tokens tokens;
  private final Set<String> protectedHeaders = new LinkedHashSet<>();
  private final Set<String> protectedQuery = new LinkedHashSet<>();

  public Credentials(Map<String, SecurityScheme> schemes, Map<String, Secret> bound,
      List<Map.Entry<String, Secret>> extraHeaders, OAuth2Tokens tokens, Redactor redactor) {
    this.schemes = Map.copyOf(schemes);
    this.bound = new LinkedHashMap<>(bound);
    this.extraHeaders = List.copyOf(extraHeaders);
    this.tokens = tokens;
    for (Map.Entry<String, Secret> e : this.bound.entrySet()) {
      SecurityScheme s = schemes.get(e.getKey());
      String v = e.getValue().reveal();
      redactor.add(v);
      switch (s.type()) {
        case HTTP -> {
          protectedHeaders.add("authorization");
          redactor.add(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
          int colon = v.indexOf(':');
          if ("basic".equals(s.scheme()) && colon >= 0 && colon < v.length() - 1) {
            redactor.add(v.substring(colon + 1));
          }
        }
        case OAUTH2, OPEN_ID_CONNECT -> {
          protectedHeaders.add("authorization");
          int colon = v.indexOf(':');
          if (colon >= 0 && colon < v.length() - 1) {
            redactor.add(v.substring(colon + 1));
          }
        }
        case API_KEY -> {
          if ("query".equals(s.in())) {
            protectedQuery.add(s.paramName());
          } else if ("cookie".equals(s.in())) {
            protectedHeaders.add("cookie");
          } else {
            protectedHeaders.add(s.paramName().toLowerCase(Locale.ROOT));
          }
        }
        default -> { }
      }
    }
    for (Map.Entry<String, Secret> h : this.extraHeaders) {
      protectedHeaders.add(h.getKey().toLowerCase(Locale.ROOT));
      redactor.add(h.getValue().reveal());
    }
  }

  /** Header names (lower case) a script may not set. */
  public Set<String> protectedHeaders() {
    return protectedHeaders;
  }

  /** Query parameter names a script may not set. */
  public Set<String> protectedQuery() {
    return protectedQuery;
  }

  public boolean isBound(String scheme) {
    return bound.containsKey(scheme);
  }

  /**
   * Picks the credentials for an operation: the first requirement alternative whose schemes are all bound; where the
   * spec declares no security, or the request matches no operation, every bound credential (the host is pinned, so
   * they can only go to this API).
   */
  public Mono<Outgoing> apply(Operation op) {
    Outgoing out = new Outgoing();
    for (Map.Entry<String, Secret> h : extraHeaders) {
      out.additions.add(new Addition("header", h.getKey(), h.getValue().reveal()));
    }
    List<String> chosen = choose(op);
    List<Mono<Addition>> pending = new ArrayList<>();
    for (String name : chosen) {
      out.usedSchemes.add(name);
      pending.add(addition(schemes.get(name), bound.get(name)));
    }
    if (pending.isEmpty()) {
      return Mono.just(out);
    }
    return reactor.core.publisher.Flux.concat(pending).doOnNext(out.additions::add).then(Mono.just(out));
  }

  private List<String> choose(Operation op) {
    if (op == null || op.security() == null) {
      return new ArrayList<>(bound.keySet());
    }
    for (List<String> alternative : op.security()) {
      if (!alternative.isEmpty() && bound.keySet().containsAll(alternative)) {
        return alternative;
      }
    }
    List<String> partial = new ArrayList<>();
    for (List<String> alternative : op.security()) {
      for (String s : alternative) {
        if (bound.containsKey(s) && !partial.contains(s)) {
          partial.add(s);
        }
      }
      if (!partial.isEmpty()) {
        break;
      }
    }
    return partial;
  }

  private Mono<Addition> addition(SecurityScheme s, Secret secret) {
    String v = secret.reveal();
    return switch (s.type()) {
      case HTTP -> Mono.just("basic".equals(s.scheme())
          ? new Addition("header", "Authorization",
              "Basic " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))
          : new Addition("header", "Authorization", "Bearer " + v));
      case API_KEY -> Mono.just(new Addition(s.in() == null ? "header" : s.in(), s.paramName(), v));
      case OAUTH2, OPEN_ID_CONNECT -> s.tokenUrl() != null && v.contains(":")
          ? tokens.token(s.tokenUrl(), secret).map(t -> new Addition("header", "Authorization", "Bearer " + t))
          : Mono.just(new Addition("header", "Authorization", "Bearer " + v));
      default -> Mono.just(new Addition("header", "Authorization", v));
    };
  }

  /**
   * Explains a 401/403 for the model: which scheme the operation needs, by its name in the spec, and whether a
   * credential is bound to it.
   */
  public String explainDenied(Operation op, int status) {
    StringBuilder sb = new StringBuilder();
    sb.append(status == 401 ? "The upstream did not accept the credentials (401)."
        : "The upstream refused this with 403: the credential lacks a permission or scope.");
    if (op == null) {
      sb.append(" The path matches no operation in the spec.");
    } else if (op.security() == null) {
      sb.append(" The spec declares no security for ").append(op.operationId()).append('.');
    } else if (op.security().isEmpty()) {
      sb.append(" The spec says ").append(op.operationId()).append(" needs no authentication.");
    } else {
      List<String> parts = new ArrayList<>();
      for (List<String> alt : op.security()) {
        List<String> names = new ArrayList<>();
        for (String n : alt) {
          SecurityScheme s = schemes.get(n);
          names.add("'" + n + "' (" + describe(s) + ", " + (bound.containsKey(n) ? "bound" : "NOT bound") + ")");
        }
        parts.add(String.join(" + ", names));
      }
      sb.append(' ').append(op.operationId()).append(" needs ").append(String.join(" or ", parts)).append('.');
    }
    if (bound.isEmpty()) {
      sb.append(" No credential is bound: the operator must start the server with --auth SCHEME=env:VAR.");
    } else if (status == 401) {
      sb.append(" A credential is bound (").append(String.join(", ", bound.keySet()))
          .append("); it may be wrong or expired: the operator must check it. Retrying will not help.");
    } else {
      sb.append(" Ask the operator for a credential with the needed permission; retrying will not help.");
    }
    return sb.toString();
  }

  private static String describe(SecurityScheme s) {
    if (s == null) {
      return "undeclared";
    }
    return switch (s.type()) {
      case HTTP -> "http " + s.scheme();
      case API_KEY -> "apiKey in " + s.in() + " " + s.paramName();
      case OAUTH2 -> "oauth2";
      case OPEN_ID_CONNECT -> "openIdConnect";
      default -> "other";
    };
  }
}
