package dev.tributary.ingestion.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * CORS for the Tracking API, so that browser libraries on any website can send and read answers.
 *
 * <p>It runs before every other handler of {@code /v1/*}, so every answer carries {@code
 * Access-Control-Allow-Origin}, errors included: a browser that cannot read an error sees a network
 * failure and retries what a readable {@code 400} would have told it to drop. Preflights ({@code
 * OPTIONS} with {@code Access-Control-Request-Method}) are answered here and cached by the browser.
 * Which sites may use a write key is the source's {@code allowedOrigins}, checked with the key
 * ({@code 403 origin_not_allowed}); a preflight carries no key, so it is allowed for every origin.
 * The admin and internal APIs get no CORS: browsers on other sites may not call them.
 */
@ApplicationScoped
public class TrackingCors {

  static final String ALLOW_METHODS = "POST, GET, OPTIONS";

  /**
   * What the libraries send: analytics-next (since 1.84) authenticates with {@code Authorization}
   * and counts its retries in {@code X-Retry-Count}, so every event is preflighted.
   */
  static final String ALLOW_HEADERS =
      "Content-Type, Content-Encoding, Authorization, X-Retry-Count";

  /** Throttling answers a library (or a page) may read. */
  static final String EXPOSE_HEADERS =
      "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

  /** A day; browsers cap it (Chromium at two hours), so preflights stay rare. */
  static final String MAX_AGE_SECONDS = "86400";

  void register(@Observes Router router) {
    // Before the upload limit, so even a 413 from the HTTP layer is readable by the page.
    router
        .route("/v1/*")
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
        .handler(TrackingCors::handle);
  }

  static void handle(RoutingContext context) {
    HttpServerRequest request = context.request();
    HttpServerResponse response = context.response();
    String origin = request.getHeader("Origin");
    if (origin != null) {
      // The origin echoed rather than "*": answers differ by origin (allowedOrigins), so caches
      // must keep them apart.
      response
          .putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Vary", "Origin")
          .putHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
    if (request.method() == HttpMethod.OPTIONS
        && request.getHeader("Access-Control-Request-Method") != null) {
      response
          .putHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
          .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
          .putHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
      // Chromium's Private Network Access: a public page sending to a deployment on a private
      // network (an intranet collector) asks first.
      if ("true".equalsIgnoreCase(request.getHeader("Access-Control-Request-Private-Network"))) {
        response.putHeader("Access-Control-Allow-Private-Network", "true");
      }
      response.setStatusCode(204).end();
      return;
    }
    context.next();
  }
}
