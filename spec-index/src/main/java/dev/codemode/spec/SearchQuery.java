package dev.codemode.spec;

import java.util.Objects;

/**
 * A search request. Immutable.
 *
 * @param text   plain words, e.g. "clear the CDN cache for my website"; may also contain an operationId or a path
 * @param limit  maximum hits, at least 1
 * @param api    restrict to this API name, or null
 * @param tag    restrict to operations with this tag (case-insensitive), or null
 * @param method restrict to this HTTP method (case-insensitive), or null
 * @param area   restrict to this {@link Area} (a tag or path group, case-insensitive), or null
 */
public record SearchQuery(String text, int limit, String api, String tag, String method, String area) {
  public SearchQuery {
    Objects.requireNonNull(text, "text");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  public SearchQuery(String text, int limit, String api, String tag, String method) {
    this(text, limit, api, tag, method, null);
  }

  public static SearchQuery of(String text, int limit) {
    return new SearchQuery(text, limit, null, null, null, null);
  }
}
