package dev.tributary.ingestion.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The web origins from which browsers may send events with one source's write key.
 *
 * <p>A website's write key is public: anyone can copy it from the page. With no restriction (the
 * default, as at Segment) every origin may use it; with one, a browser on another site gets {@code
 * 403 origin_not_allowed}. Requests without an {@code Origin} header (server and mobile libraries)
 * are not browsers and are not restricted: this protects a key from other websites, not from a
 * client that forges headers.
 *
 * <p>A pattern is an origin, {@code https://www.example.com} or {@code http://localhost:3000}, or
 * one with a wildcard as its leftmost label, {@code https://*.example.com}, which matches every
 * subdomain (not {@code example.com} itself). Default ports are dropped, so {@code
 * https://example.com:443} is {@code https://example.com}, as browsers send it.
 */
public final class AllowedOrigins {

  /** Most patterns one source may list. */
  public static final int MAX_PATTERNS = 100;

  /** No restriction. */
  public static final AllowedOrigins ANY = new AllowedOrigins(List.of());

  private final List<String> patterns;
  private final Set<String> exact = new HashSet<>();

  /** Wildcard patterns as (scheme "://", "." domain, ":" port or ""). */
  private final List<String[]> wildcards = new ArrayList<>();

  private AllowedOrigins(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    for (String pattern : this.patterns) {
      int wildcard = pattern.indexOf("://*.");
      if (wildcard < 0) {
        exact.add(pattern);
        continue;
      }
      String scheme = pattern.substring(0, wildcard + 3);
      String hostAndPort = pattern.substring(wildcard + "://*.".length());
      int colon = hostAndPort.indexOf(':');
      wildcards.add(
          colon < 0
              ? new String[] {scheme, hostAndPort, ""}
              : new String[] {
                scheme, hostAndPort.substring(0, colon), hostAndPort.substring(colon)
              });
    }
  }

  /** Patterns as stored (already normalised); null or empty means any origin. */
  public static AllowedOrigins of(List<String> normalisedPatterns) {
    return normalisedPatterns == null || normalisedPatterns.isEmpty()
        ? ANY
        : new AllowedOrigins(normalisedPatterns);
  }

  /**
   * Validates and normalises what an operator typed.
   *
   * @throws IllegalArgumentException with a message fit for the operator
   */
  public static List<String> normalise(List<String> patterns) {
    if (patterns == null) {
      return List.of();
    }
    if (patterns.size() > MAX_PATTERNS) {
      throw new IllegalArgumentException("at most " + MAX_PATTERNS + " origins per source");
    }
    List<String> normalised = new ArrayList<>();
    for (String pattern : patterns) {
      String origin = normaliseOne(pattern);
      if (!normalised.contains(origin)) {
        normalised.add(origin);
      }
    }
    return List.copyOf(normalised);
  }

  public List<String> patterns() {
    return patterns;
  }

  public boolean isRestricted() {
    return !patterns.isEmpty();
  }

  /**
   * Whether a browser showing a page of {@code origin} (its {@code Origin} header) may send. A
   * request without the header is not a browser's and passes.
   */
  public boolean allows(String origin) {
    if (origin == null || patterns.isEmpty()) {
      return true;
    }
    String candidate = origin.strip().toLowerCase(Locale.ROOT);
    if (exact.contains(candidate)) {
      return true;
    }
    for (String[] wildcard : wildcards) {
      String scheme = wildcard[0];
      String port = wildcard[2];
      if (!candidate.startsWith(scheme) || !candidate.endsWith(wildcard[1] + port)) {
        continue;
      }
      String host = candidate.substring(scheme.length(), candidate.length() - port.length());
      // A subdomain: at least one label before ".example.com", nothing but a host name.
      if (host.length() > wildcard[1].length() + 1
          && host.endsWith("." + wildcard[1])
          && isHostName(host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHostName(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static String normaliseOne(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("an origin may not be empty");
    }
    String text = pattern.strip().toLowerCase(Locale.ROOT);
    if (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    boolean wildcard = text.contains("://*.");
    URI uri;
    try {
      uri = new URI(wildcard ? text.replace("://*.", "://wildcard.") : text);
    } catch (URISyntaxException e) {
      throw invalid(pattern);
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || text.indexOf('*') != text.lastIndexOf('*')) {
      throw invalid(pattern);
    }
    String host = wildcard ? "*." + uri.getHost().substring("wildcard.".length()) : uri.getHost();
    if (wildcard && host.indexOf('.', 2) < 0) {
      throw new IllegalArgumentException(
          pattern.strip() + ": a wildcard needs a domain with a dot, e.g. https://*.example.com");
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  private static IllegalArgumentException invalid(String pattern) {
    return new IllegalArgumentException(
        pattern.strip()
            + " is not an origin: write scheme://host[:port] (http or https, no path),"
            + " e.g. https://www.example.com or https://*.example.com");
  }

  @Override
  public String toString() {
    return patterns.isEmpty() ? "any origin" : String.join(" ", patterns);
  }
}
