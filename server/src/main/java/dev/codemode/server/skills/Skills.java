package dev.codemode.server.skills;

import dev.codemode.server.config.SkillsConfig.Mode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.server.transport.HttpSecurity;
import dev.codemode.spec.ApiSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The skills of one server: the store, the mode ({@code --skills off|on|approve}) and the scope rules. A skill
 * belongs to one API (keyed by the spec's title, so a GitHub skill is never offered on Stripe) and to one identity
 * (the client token's name over HTTP, the local user over stdio); skills an operator published belong to
 * {@link Skill#EVERYBODY}. One's own skill shadows a published one of the same name. Thread-safe.
 *
 * <pre>{@code
 * Skills skills = new Skills(store, SkillsConfig.Mode.ON, specs);
 * Skill s = skills.save("user:ann", "api", "topCustomers", "Top customers by revenue", code, params);
 * }</pre>
 */
public final class Skills implements AutoCloseable {
  /** The transport-context key under which HTTP transports put the caller's identity. */
  public static final String IDENTITY_KEY = HttpSecurity.IDENTITY;

  private final SkillStore store;
  private final Mode mode;
  private final Map<String, String> apiKeys = new LinkedHashMap<>();
  private final Map<String, Listing> listings = new java.util.concurrent.ConcurrentHashMap<>();

  private record Listing(String fingerprint, List<Skill> skills) {}

  public Skills(SkillStore store, Mode mode, List<ApiSpec> specs) {
    this.store = store;
    this.mode = mode;
    for (ApiSpec s : specs) {
      apiKeys.put(s.name(), apiKey(s));
    }
  }

  /** The store key of an API: its title, which stays the same across restarts, ports and spec names. */
  public static String apiKey(ApiSpec spec) {
    String t = spec.title().strip();
    return t.isEmpty() ? spec.name() : t.length() > 200 ? t.substring(0, 200) : t;
  }

  public Mode mode() {
    return mode;
  }

  public SkillStore store() {
    return store;
  }

  /** The identity of the caller: the token name an HTTP transport gave ({@code fromTransport}), else the local user. */
  public static String identity(String fromTransport) {
    return fromTransport != null ? fromTransport : localUser();
  }

  public static String localUser() {
    return "user:" + System.getProperty("user.name", "local");
  }

  /** The API name a script means ({@code null}: the first API), checked. */
  public String apiName(String name) {
    if (name == null || name.isBlank()) {
      return apiKeys.keySet().iterator().next();
    }
    if (!apiKeys.containsKey(name)) {
      throw new SkillStoreException("unknown api '" + name + "'; available: " + String.join(", ", apiKeys.keySet()));
    }
    return name;
  }

  public String keyOf(String apiName) {
    return apiKeys.get(apiName(apiName));
  }

  /** The API name of a store key, or null when this server does not serve it. */
  public String nameOf(String apiKey) {
    return apiKeys.entrySet().stream().filter(e -> e.getValue().equals(apiKey)).map(Map.Entry::getKey).findFirst()
        .orElse(null);
  }

  /** Checks and saves a new version, owned by {@code owner}. */
  public Skill save(String owner, String apiName, String name, String description, String code, JsonNode params) {
    enabled();
    String schema = SkillRules.check(name, description, code, params);
    return store.save(new SkillStore.Draft(keyOf(apiName), owner, name, description.strip(), schema, code, owner));
  }

  /** Checks a save without storing it (for the approval question). */
  public void check(String name, String description, String code, JsonNode params) {
    enabled();
    SkillRules.check(name, description, code, params);
  }

  /**
   * The skill {@code name} (or {@code name@version}) visible to {@code owner} on any served API, own skills first,
   * or an error that lists what there is.
   */
  public Skill find(String owner, String nameAndVersion) {
    enabled();
    String name = nameAndVersion;
    int version = 0;
    int at = nameAndVersion == null ? -1 : nameAndVersion.lastIndexOf('@');
    if (at > 0) {
      name = nameAndVersion.substring(0, at);
      try {
        version = Integer.parseInt(nameAndVersion.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new SkillStoreException("'" + nameAndVersion + "': write NAME or NAME@VERSION, e.g. topCustomers@2");
      }
    }
    SkillRules.checkName(name);
    for (String key : apiKeys.values()) {
      Optional<Skill> s = store.find(key, List.of(owner, Skill.EVERYBODY), name, version);
      if (s.isPresent()) {
        return s.get();
      }
    }
    List<String> names = visible(owner, null).stream().map(Skill::name).limit(20).toList();
    throw new SkillStoreException("no skill '" + nameAndVersion + "'" + (version > 0 ? " (that version)" : "")
        + (names.isEmpty() ? "; none are saved yet: save one with skills.save({name, description, code, params})"
            : "; saved: " + String.join(", ", names)));
  }

  /** Every version of a visible skill, oldest first. */
  public List<Skill> versions(String owner, String name) {
    Skill latest = find(owner, name);
    return store.versions(latest.api(), latest.owner(), latest.name());
  }

  /** The latest version of each skill {@code owner} can see on {@code apiName} (all served APIs when null). */
  public List<Skill> visible(String owner, String apiName) {
    if (mode == Mode.OFF) {
      return List.of();
    }
    List<String> keys = apiName == null ? new ArrayList<>(apiKeys.values()) : List.of(keyOf(apiName));
    List<String> owners = List.of(owner, Skill.EVERYBODY);
    // The listing is cached against the store's fingerprint (count, newest save, run totals), which another
    // instance's save or run changes too, so search stays current across instances without re-reading every row.
    String cacheKey = String.join("\u0000", keys) + "\u0001" + owner;
    String fp = store.fingerprint(keys, owners);
    Listing cached = listings.get(cacheKey);
    if (cached != null && cached.fingerprint().equals(fp)) {
      return cached.skills();
    }
    List<Skill> all = store.latest(keys, owners, false);
    // One's own skill shadows a published one of the same name.
    Map<String, Skill> byName = new LinkedHashMap<>();
    for (Skill s : all) {
      String k = s.api() + "\u0000" + s.name();
      Skill prev = byName.get(k);
      if (prev == null || Skill.EVERYBODY.equals(prev.owner())) {
        byName.put(k, s);
      }
    }
    List<Skill> out = List.copyOf(byName.values());
    if (listings.size() > 1_000) {
      listings.clear();
    }
    listings.put(cacheKey, new Listing(fp, out));
    return out;
  }

  public void recordRun(Skill s, boolean ok, long millis) {
    store.recordRun(s.api(), s.owner(), s.name(), s.version(), ok, millis);
  }

  private void enabled() {
    if (mode == Mode.OFF) {
      throw new SkillStoreException("skills are turned off on this server (--skills off)");
    }
  }

  /** The APIs served, by name, for messages. */
  public String apiNames() {
    return apiKeys.keySet().stream().collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    store.close();
  }
}
