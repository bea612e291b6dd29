package dev.tributary.notice.rest;

import dev.tributary.notice.config.TokenConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer-token guard of {@code /v1/**}: the service token or the admin token. Tokens are compared
 * in constant time and never logged.
 */
public class TokenAuthFilter {

  private final TokenConfig tokens;

  public TokenAuthFilter(TokenConfig tokens) {
    this.tokens = tokens;
  }

  @ServerRequestFilter(preMatching = true)
  public Response authorize(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/v1/")) {
      return null;
    }
    String presented = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (presented == null) {
      return unauthorized("send Authorization: Bearer <token>");
    }
    boolean allowed =
        matches(presented, tokens.service().token()) || matches(presented, tokens.admin().token());
    return allowed ? null : unauthorized("the token is not valid for /v1");
  }

  private static Response unauthorized(String detail) {
    return Response.fromResponse(Problem.response(401, "unauthorized", detail))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  /** Constant-time comparison; an unset token matches nothing. */
  static boolean matches(String presented, Optional<String> expected) {
    return expected
        .filter(e -> !e.isEmpty())
        .map(
            e ->
                MessageDigest.isEqual(
                    e.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }
}
