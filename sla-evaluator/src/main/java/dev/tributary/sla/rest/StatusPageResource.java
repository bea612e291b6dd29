package dev.tributary.sla.rest;

import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.service.StatusLinks;
import dev.tributary.sla.service.StatusService;
import dev.tributary.support.ApiException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The status pages (issue 13), rendered on the server and readable without JavaScript (the pages
 * carry no script at all, and their Content-Security-Policy allows none): the public platform page,
 * each workspace's page behind its private link, the badges and the feeds. Public: no token.
 */
@Path("/status")
@Tag(name = "Status page")
public class StatusPageResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance page(StatusPageView view);

    static native TemplateInstance notFound(String pageName);
  }

  static final String HTML = "text/html; charset=utf-8";

  /** No script, styles only from this service, no framing, no referrer (the private link). */
  static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private final StatusService status;
  private final StatusLinks links;
  private final SlaConfig config;

  public StatusPageResource(StatusService status, StatusLinks links, SlaConfig config) {
    this.status = status;
    this.links = links;
    this.config = config;
  }

  /** The public page's URL ({@code tributary.sla.status.public-url}, else this request's base). */
  static String pageUrl(SlaConfig config, UriInfo uri) {
    String base = config.status().publicUrl().orElseGet(() -> uri.getBaseUri().toString()).strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/status";
  }

  @GET
  @Produces(HTML)
  @Operation(summary = "The platform's status page (HTML)")
  public Uni<Response> platform() {
    String name = config.status().pageName();
    return status
        .platform()
        .flatMap(board -> Templates.page(StatusPageView.platform(board, name)).createUni())
        .map(html -> page(200, html).header("Cache-Control", "public, max-age=30").build());
  }

  @GET
  @Path("/w/{token}")
  @Produces(HTML)
  @Operation(summary = "A workspace's status page, through its private link (HTML)")
  public Uni<Response> workspace(@PathParam("token") String token) {
    String name = config.status().pageName();
    return links
        .resolve(token)
        .flatMap(
            found ->
                found.isEmpty()
                    ? Templates.notFound(name).createUni().map(html -> page(404, html))
                    : status
                        .workspace(found.get())
                        .flatMap(
                            ws -> Templates.page(StatusPageView.workspace(ws, name)).createUni())
                        .map(html -> page(200, html))
                        // A link whose workspace ingestion-api no longer knows opens nothing.
                        .onFailure(e -> e instanceof ApiException a && a.status() == 404)
                        .recoverWithUni(
                            () ->
                                Templates.notFound(name).createUni().map(html -> page(404, html))))
        .map(
            r ->
                r.header("Cache-Control", "private, no-store")
                    .header("X-Robots-Tag", "noindex, nofollow")
                    .build());
  }

  @GET
  @Path("/badge/availability.svg")
  @Produces("image/svg+xml")
  @Operation(summary = "Badge: the current month's availability (UTC), floored to 4 decimals")
  public Uni<Response> availabilityBadge() {
    return status
        .platform()
        .map(
            b ->
                svg(
                    StatusBadges.availability(
                        b.month().month(), b.availability(), b.month().targetMet())));
  }

  @GET
  @Path("/badge/status.svg")
  @Produces("image/svg+xml")
  @Operation(summary = "Badge: the current status")
  public Uni<Response> statusBadge() {
    return status.platform().map(b -> svg(StatusBadges.status(b.indicator(), b.description())));
  }

  @GET
  @Path("/feed.rss")
  @Produces("application/rss+xml; charset=utf-8")
  @Operation(summary = "RSS 2.0 feed of incidents and scheduled maintenance")
  public Uni<String> rss(@Context UriInfo uri) {
    String url = pageUrl(config, uri);
    return status.platform().map(b -> StatusFeeds.rss(b, config.status().pageName(), url));
  }

  @GET
  @Path("/feed.atom")
  @Produces("application/atom+xml; charset=utf-8")
  @Operation(summary = "Atom feed of incidents and scheduled maintenance")
  public Uni<String> atom(@Context UriInfo uri) {
    String url = pageUrl(config, uri);
    return status.platform().map(b -> StatusFeeds.atom(b, config.status().pageName(), url));
  }

  private static Response.ResponseBuilder page(int code, String html) {
    return Response.status(code)
        .type(HTML)
        .entity(html)
        .header("Content-Security-Policy", CSP)
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff");
  }

  private static Response svg(String svg) {
    return Response.ok(svg, "image/svg+xml")
        .header("Cache-Control", "public, max-age=60")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }
}
