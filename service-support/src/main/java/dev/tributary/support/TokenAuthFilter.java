package dev.tributary.support;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer-token guard of the non-public APIs: {@code tributary.auth.admin-paths} take the admin
 * token, {@code tributary.auth.service-paths} the service token or the admin token. Tokens are
 * compared in constant time and never logged.
 */
public class TokenAuthFilter {

  private final PlatformConfig tokens;

  public TokenAuthFilter(PlatformConfig tokens) {
    this.tokens = tokens;
  }

  @ServerRequestFilter(preMatching = true)
  public Response authorize(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    boolean admin = startsWithAny(path, tokens.auth().adminPaths());
    boolean service = !admin && startsWithAny(path, tokens.auth().servicePaths());
    if (!admin && !service) {
      return null;
    }
    String presented = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (presented == null) {
      return unauthorized("send Authorization: Bearer <token>");
    }
    boolean allowed =
        matches(presented, tokens.admin().token())
            || (service && matches(presented, tokens.service().token()));
    return allowed
        ? null
        : unauthorized(
            "the token is not valid for " + (admin ? "this administrative API" : "this API"));
  }

  private static boolean startsWithAny(String path, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
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
