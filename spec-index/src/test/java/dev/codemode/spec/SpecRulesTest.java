package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecRulesTest {

  @Test
  void operationSecurityOverridesGlobal() throws SpecException {
    ApiSpec spec = Fixtures.load("security-rules.yaml");
    assertEquals(List.of(List.of("bearer")), spec.operation("get_inherits").orElseThrow().security());
    assertEquals(List.of(), spec.operation("get_public").orElseThrow().security());
    assertEquals(List.of(List.of("apiKey"), List.of("basic", "oauth")),
        spec.operation("post_either").orElseThrow().security());
    assertEquals(List.of(List.of("bearer")), spec.operation("delete_inherits_id").orElseThrow().security());
  }

  @Test
  void securityIsNullWhenDeclaredNowhere() throws SpecException {
    ApiSpec spec = Fixtures.load("no-security.yaml");
    spec.operations().forEach(op -> assertNull(op.security(), op.operationId()));
  }

  @Test
  void securitySchemesAreNormalised() throws SpecException {
    ApiSpec spec = Fixtures.load("security-rules.yaml");
    assertEquals(new SecurityScheme("bearer", SecurityScheme.Type.HTTP, "bearer", null, null, null),
        spec.securitySchemes().get("bearer"));
    assertEquals(new SecurityScheme("apiKey", SecurityScheme.Type.API_KEY, null, "query", "api_key", null),
        spec.securitySchemes().get("apiKey"));
    assertEquals("https://auth.example.com/token", spec.securitySchemes().get("oauth").tokenUrl());
  }

  @Test
  void swagger2SecurityDefinitionsAndRelativeBasePath() throws SpecException {
    String file = Fixtures.path("swagger2-no-host.json");
    ApiSpec spec = SpecLoader.load("api", file);
    SecurityScheme basic = spec.securitySchemes().get("basicAuth");
    assertEquals(SecurityScheme.Type.HTTP, basic.type());
    assertEquals("basic", basic.scheme());
    assertEquals(new SecurityScheme("key", SecurityScheme.Type.API_KEY, null, "header", "X-Key", null),
        spec.securitySchemes().get("key"));
    assertEquals("https://auth.example.com/oauth/token", spec.securitySchemes().get("app").tokenUrl());
    assertEquals(List.of(List.of("key")), spec.operation("listPets").orElseThrow().security());
    assertEquals(Path.of(file).toUri().resolve("/v2").toString(), spec.serverUrl().orElseThrow());
  }

  @Test
  void serverUrlVariablesAndRelativeResolution() throws SpecException {
    String file = Fixtures.path("circular-refs.yaml");
    ApiSpec spec = SpecLoader.load("api", file);
    assertEquals(Path.of(file).toUri().resolve("/api/v2").toString(), spec.serverUrl().orElseThrow());
    assertEquals("https://api.example.com/v1", Fixtures.load("no-security.yaml").serverUrl().orElseThrow());
    assertEquals("http://petstore.swagger.io/v2",
        SpecLoader.load("p", SharedFiles.spec("petstore-swagger-2.0.json")).serverUrl().orElseThrow());
  }

  @Test
  void generatedIdsAreStableAndUnique() throws SpecException {
    ApiSpec first = SpecLoader.load("httpbin", SharedFiles.spec("httpbin-3.0.json"));
    ApiSpec second = SpecLoader.load("httpbin", SharedFiles.spec("httpbin-3.0.json"));
    assertEquals(first.operations().stream().map(Operation::operationId).toList(),
        second.operations().stream().map(Operation::operationId).toList());
    assertEquals(first.operations().size(),
        first.operations().stream().map(Operation::operationId).distinct().count());
    assertTrue(first.operation("get_status_codes").isPresent(), "get /status/{codes} -> get_status_codes");
  }

  @Test
  void parametersHaveCompactTypes() throws SpecException {
    Operation op = Fixtures.load("circular-refs.yaml").operation("getTree").orElseThrow();
    assertEquals(List.of("string", "\"asc\"|\"desc\"", "integer[]"),
        op.parameters().stream().map(Operation.Parameter::type).toList());
    assertTrue(op.parameters().get(0).required());
  }

  @Test
  void danglingExternalRefIsAWarningNamingIt() throws SpecException {
    ApiSpec spec = SpecLoader.load("spotify", SharedFiles.restbench("spotify_oas.json"));
    assertTrue(spec.warnings().stream().anyMatch(w -> w.contains("../policies.yaml")), spec.warnings().toString());
  }

  @Test
  void brokenJsonNamesFileAndLine() {
    String file = Fixtures.path("broken.json");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("api", file));
    assertTrue(e.getMessage().contains(file), e.getMessage());
    assertTrue(e.getMessage().contains("line 5"), e.getMessage());
  }

  @Test
  void notOpenApiAndMissingFileAreExplained() {
    String file = Fixtures.path("not-openapi.yaml");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("api", file));
    assertTrue(e.getMessage().contains(file) && e.getMessage().contains("'openapi' or 'swagger'"), e.getMessage());
    SpecException missing = assertThrows(SpecException.class, () -> SpecLoader.load("api", "/no/such/spec.json"));
    assertTrue(missing.getMessage().contains("/no/such/spec.json") && missing.getMessage().contains("no such file"),
        missing.getMessage());
  }
}
