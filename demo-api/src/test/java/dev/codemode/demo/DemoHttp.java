package dev.codemode.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Test client for a running {@link DemoApi}: sends requests with (or without) its token and parses
 * JSON answers.
 *
 * <p>Thread-safe (the JDK client is). Example:
 * <pre>{@code DemoHttp http = new DemoHttp(api);
 * JsonNode order = http.get("/orders/1").json();}</pre>
 */
final class DemoHttp {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;

  DemoHttp(DemoApi api) {
    this(api.baseUrl().toString(), api.token());
  }

  DemoHttp(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** A response with its body parsed on demand. */
  record Reply(int status, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return MAPPER.readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + raw.body(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String errorCode() {
      return json().path("error").path("code").asText(null);
    }
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply send(String method, String path, String jsonBody) {
    return send(method, path, jsonBody, "Bearer " + token);
  }

  /** {@code authorization} null sends no Authorization header. */
  Reply send(String method, String path, String jsonBody, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      builder.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Absolute URL {@code path} on the server root, outside {@code /v1}. */
  Reply getRoot(String path) {
    String root = baseUrl.substring(0, baseUrl.length() - "/v1".length());
    return new DemoHttp(root, token).send("GET", path, null, null);
  }
}
