package dev.tributary.testsupport;

import dev.tributary.testsupport.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The token refusal matrix every service's protected APIs must pass (service-support's {@code
 * TokenAuthFilter}): one request per way of presenting a token, sent byte for byte over a socket,
 * each checked against the documented answer.
 *
 * <p>Refused: no {@code Authorization}, an empty bearer, another scheme (Basic, or no scheme), a
 * wrong token, a token of the right length but wrong, a prefix or extension or other case of the
 * right token, whitespace inside it, a second token after it, and the service token on an
 * admin-only path. Each refusal is {@code 401} {@code application/problem+json} with {@code
 * "code":"unauthorized"}, one of the two documented details, {@code WWW-Authenticate: Bearer}, and
 * neither the real tokens nor the presented one in the body or headers. Accepted: the admin token
 * everywhere, the service token on service paths, and a right token followed by spaces or tabs (RFC
 * 9110 §5.5: whitespace around a field value is not part of it); each gets the same status as the
 * plain right token. Also refused, by the HTTP layer (400, no token in the answer) or the filter:
 * the right token followed by a folded line, a bare CR, an encoded line feed or a NUL byte, sent as
 * raw header lines no client library would write.
 */
public final class TokenRefusals {

  /** Which token a path family takes. */
  public enum Family {
    /** {@code tributary.auth.admin-paths}: the admin token only. */
    ADMIN,
    /** {@code tributary.auth.service-paths}: the service token or the admin token. */
    SERVICE
  }

  /** The details the filter may answer; nothing else is documented. */
  static final List<String> DOCUMENTED_DETAILS =
      List.of(
          "send Authorization: Bearer <token>",
          "the token is not valid for this administrative API",
          "the token is not valid for this API");

  /** One way of presenting a token; {@code authorization} null: no header at all. */
  record Presentation(String name, String authorization, boolean accepted) {}

  private TokenRefusals() {}

  /**
   * Sends every presentation to {@code method path} (with {@code body} as JSON when not null) and
   * answers the bodies of the refusals, for a later secret scan.
   *
   * @throws AssertionError listing every presentation whose answer is not the documented one
   */
  public static List<String> check(
      int port,
      String method,
      String path,
      String body,
      Family family,
      String adminToken,
      String serviceToken) {
    String right = family == Family.ADMIN ? adminToken : serviceToken;
    Answer reference = send(port, method, path, body, "Bearer " + right);
    List<String> failures = new ArrayList<>();
    if (reference.status() == 401 || reference.status() == 403) {
      failures.add("the right token itself is refused: " + reference.status());
    }
    List<String> refusalBodies = new ArrayList<>();
    for (Presentation p : presentations(family, adminToken, serviceToken)) {
      Answer answer = send(port, method, path, body, p.authorization());
      String what = p.name() + " on " + method + " " + path;
      if (p.accepted()) {
        if (answer.status() != reference.status()) {
          failures.add(
              what
                  + ": expected "
                  + reference.status()
                  + " like the right token, got "
                  + answer.status());
        }
        continue;
      }
      refusalBodies.add(answer.body());
      failures.addAll(refusalProblems(what, answer, p.authorization(), adminToken, serviceToken));
    }
    for (Map.Entry<String, String> raw : rawAuthorizationLines(right).entrySet()) {
      Answer answer = exchange(port, method, path, body, raw.getValue());
      String what = raw.getKey() + " on " + method + " " + path;
      refusalBodies.add(answer.body());
      if (answer.status() == 400) {
        // Refused by the HTTP layer before any filter: no documented body, but no token either.
        failures.addAll(
            refusalProblems(what, answer, right, adminToken, serviceToken).stream()
                .filter(problem -> problem.contains("shows"))
                .toList());
      } else {
        failures.addAll(refusalProblems(what, answer, right, adminToken, serviceToken));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures));
    }
    return refusalBodies;
  }

  /**
   * Authorization header lines (with their line ends) no HTTP client sends: the right token with
   * line breaks that are not a plain CRLF. Each must be refused, by the HTTP layer (400) or by the
   * filter (401).
   */
  static Map<String, String> rawAuthorizationLines(String right) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put(
        "the right token and more text on a folded line",
        "Authorization: Bearer " + right + "\r\n more\r\n");
    lines.put(
        "the right token and a bare CR, then more text",
        "Authorization: Bearer " + right + "\rmore\r\n");
    lines.put(
        "the right token and an encoded line feed", "Authorization: Bearer " + right + "%0A\r\n");
    lines.put("the right token and a NUL byte", "Authorization: Bearer " + right + "\u0000\r\n");
    return lines;
  }

  static Answer exchange(
      int port, String method, String path, String body, String authorizationLine) {
    StringBuilder request = new StringBuilder();
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    request.append("Host: localhost:").append(port).append("\r\n");
    request.append(authorizationLine);
    request.append("Connection: close\r\n");
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    if (bytes != null) {
      request.append("Content-Type: application/json\r\n");
      request.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    request.append("\r\n");
    if (bytes != null) {
      request.append(new String(bytes, StandardCharsets.ISO_8859_1));
    }
    return RawHttp.exchange(port, request.toString());
  }

  static List<Presentation> presentations(Family family, String adminToken, String serviceToken) {
    String right = family == Family.ADMIN ? adminToken : serviceToken;
    List<Presentation> all = new ArrayList<>();
    all.add(new Presentation("no Authorization header", null, false));
    all.add(new Presentation("empty Authorization header", "", false));
    all.add(new Presentation("empty bearer", "Bearer ", false));
    all.add(new Presentation("scheme without token", "Bearer", false));
    all.add(new Presentation("the right token without a scheme", right, false));
    all.add(new Presentation("the right token as Basic user", basic(right + ":"), false));
    all.add(new Presentation("the right token as Basic password", basic("user:" + right), false));
    all.add(new Presentation("the right token with scheme Token", "Token " + right, false));
    all.add(new Presentation("a wrong token", "Bearer wrong-token", false));
    all.add(new Presentation("a token of the right length", "Bearer " + sameLength(right), false));
    all.add(
        new Presentation("the right token but its last character", "Bearer " + chop(right), false));
    all.add(
        new Presentation("the right token and one more character", "Bearer " + right + "x", false));
    all.add(
        new Presentation(
            "the right token in upper case", "Bearer " + right.toUpperCase(Locale.ROOT), false));
    all.add(new Presentation("a space inside the right token", "Bearer " + split(right), false));
    all.add(
        new Presentation("a second token after the right one", "Bearer " + right + " x", false));
    all.add(
        new Presentation(
            "the right token twice, comma-separated", "Bearer " + right + "," + right, false));
    all.add(
        new Presentation("the right token and a trailing space", "Bearer " + right + " ", true));
    all.add(new Presentation("the right token and a trailing tab", "Bearer " + right + "\t", true));
    all.add(new Presentation("the scheme in lower case", "bearer " + right, true));
    if (family == Family.ADMIN) {
      all.add(new Presentation("the service token", "Bearer " + serviceToken, false));
    } else {
      all.add(new Presentation("the admin token", "Bearer " + adminToken, true));
    }
    return all;
  }

  static List<String> refusalProblems(
      String what, Answer answer, String presented, String adminToken, String serviceToken) {
    List<String> problems = new ArrayList<>();
    if (answer.status() != 401) {
      problems.add(what + ": expected 401, got " + answer.status() + " " + answer.body());
      return problems;
    }
    String type = answer.header("Content-Type");
    if (type == null || !type.startsWith("application/problem+json")) {
      problems.add(what + ": Content-Type " + type);
    }
    if (!"Bearer".equals(answer.header("WWW-Authenticate"))) {
      problems.add(what + ": WWW-Authenticate " + answer.header("WWW-Authenticate"));
    }
    String body = answer.body();
    if (!body.contains("\"status\":401") || !body.contains("\"code\":\"unauthorized\"")) {
      problems.add(what + ": not the unauthorized problem: " + body);
    }
    if (DOCUMENTED_DETAILS.stream().noneMatch(d -> body.contains("\"detail\":\"" + d + "\""))) {
      problems.add(what + ": an undocumented detail: " + body);
    }
    String everything = body + answer.headers();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the admin token", adminToken);
    secrets.put("the service token", serviceToken);
    // What follows the scheme; a header without a space is a token without a scheme.
    String token =
        presented == null || !presented.strip().contains(" ")
            ? (presented == null ? "" : presented.strip())
            : presented.strip().substring(presented.strip().indexOf(' ') + 1).strip();
    if (token.length() >= 6 && !token.equalsIgnoreCase("Bearer")) {
      secrets.put("the presented token", token);
    }
    secrets.forEach(
        (label, secret) -> {
          if (everything.contains(secret)) {
            problems.add(what + ": the answer shows " + label);
          }
        });
    return problems;
  }

  static Answer send(int port, String method, String path, String body, String authorization) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return RawHttp.send(
        port,
        method,
        path,
        headers,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        false);
  }

  static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  /** Same length, last character changed: only a byte-for-byte comparison tells them apart. */
  static String sameLength(String token) {
    char last = token.charAt(token.length() - 1);
    return chop(token) + (last == 'x' ? 'y' : 'x');
  }

  static String chop(String token) {
    return token.substring(0, token.length() - 1);
  }

  static String split(String token) {
    int half = token.length() / 2;
    return token.substring(0, half) + " " + token.substring(half);
  }
}
