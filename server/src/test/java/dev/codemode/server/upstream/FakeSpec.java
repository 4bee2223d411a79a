package dev.codemode.server.upstream;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A hand-built {@link ApiSpec} named {@code api}, for tests that need no parser. */
public record FakeSpec(List<Operation> operations, Map<String, SecurityScheme> securitySchemes) implements ApiSpec {
  @Override
  public String name() {
    return "api";
  }

  @Override
  public String title() {
    return "Fake";
  }

  @Override
  public String location() {
    return "fake.json";
  }

  @Override
  public Optional<String> serverUrl() {
    return Optional.empty();
  }

  @Override
  public Optional<Operation> operation(String operationId) {
    return operations.stream().filter(o -> o.operationId().equals(operationId)).findFirst();
  }

  @Override
  public List<String> warnings() {
    return List.of();
  }

  @Override
  public String contentHash() {
    return "0";
  }

  @Override
  public String detailJson(String operationId, int budgetChars) {
    if (operation(operationId).isEmpty()) {
      throw new IllegalArgumentException("no operation '" + operationId + "'");
    }
    return "{}";
  }

  @Override
  public Optional<String> nodeJson(String jsonPointer, int budgetChars) {
    return Optional.empty();
  }
}
