package dev.codemode.spec.internal;

import dev.codemode.spec.SecurityScheme;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.OAuthFlows;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Normalises OpenAPI 3 {@code securitySchemes} (and Swagger 2 {@code securityDefinitions}, which swagger-parser has
 * converted: {@code basic} becomes HTTP basic, the {@code application} flow becomes client credentials).
 */
final class SecuritySchemes {
  private SecuritySchemes() {}

  static Map<String, SecurityScheme> of(OpenAPI model) {
    Map<String, SecurityScheme> out = new LinkedHashMap<>();
    if (model.getComponents() == null || model.getComponents().getSecuritySchemes() == null) {
      return out;
    }
    model.getComponents().getSecuritySchemes().forEach((name, s) -> {
      if (s == null || s.getType() == null) {
        out.put(name, new SecurityScheme(name, SecurityScheme.Type.OTHER, null, null, null, null));
        return;
      }
      SecurityScheme scheme = switch (s.getType()) {
        case HTTP -> new SecurityScheme(name, SecurityScheme.Type.HTTP,
            s.getScheme() == null ? null : s.getScheme().toLowerCase(Locale.ROOT), null, null, null);
        case APIKEY -> new SecurityScheme(name, SecurityScheme.Type.API_KEY, null,
            s.getIn() == null ? "header" : s.getIn().toString(), s.getName(), null);
        case OAUTH2 -> new SecurityScheme(name, SecurityScheme.Type.OAUTH2, null, null, null, tokenUrl(s.getFlows()));
        case OPENIDCONNECT -> new SecurityScheme(name, SecurityScheme.Type.OPEN_ID_CONNECT, null, null, null, null);
        default -> new SecurityScheme(name, SecurityScheme.Type.OTHER, null, null, null, null);
      };
      out.put(name, scheme);
    });
    return out;
  }

  private static String tokenUrl(OAuthFlows flows) {
    return flows == null || flows.getClientCredentials() == null ? null : flows.getClientCredentials().getTokenUrl();
  }
}
