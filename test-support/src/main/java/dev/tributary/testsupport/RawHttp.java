package dev.tributary.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Test helper: HTTP/1.1 requests written byte for byte as a library (or an attacker) writes them,
 * over a plain socket to a service under test on {@code localhost}. Only the headers given are
 * sent, spelled as given, plus {@code Host}, {@code Connection: close} (unless given) and the
 * body's {@code Content-Length} or, for chunked requests, {@code Transfer-Encoding: chunked}. HTTP
 * clients add or refuse headers (RestAssured always sends a Content-Type; the JDK's client refuses
 * {@code Connection}), which some libraries do not.
 */
public final class RawHttp {

  /** Status, headers (names in any case) and body of an answer. */
  public record Answer(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  private RawHttp() {}

  /**
   * A request to {@code localhost:port}; {@code body} null: no body; {@code chunked}: no
   * Content-Length, the body in chunks.
   */
  public static Answer send(
      int port,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      boolean chunked) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: localhost:").append(port).append("\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (headers.keySet().stream().noneMatch("connection"::equalsIgnoreCase)) {
        head.append("Connection: close\r\n");
      }
      if (body != null && chunked) {
        head.append("Transfer-Encoding: chunked\r\n");
      } else if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null && chunked) {
        for (int at = 0; at < body.length; at += 8192) {
          int length = Math.min(8192, body.length - at);
          out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body, at, length);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Answer post(int port, String path, Map<String, String> headers, String body) {
    return send(port, "POST", path, headers, body.getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * Writes {@code request} exactly as given (ISO-8859-1: one char, one byte) to {@code
   * localhost:port} and reads the answer; for requests no HTTP client would send.
   */
  public static Answer exchange(int port, String request) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads one answer: status line, headers and a body by Content-Length, chunks or EOF. */
  public static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(line.substring(0, colon), name -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
    byte[] body;
    List<String> encoding = headers.get("Transfer-Encoding");
    if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
          size > 0;
          size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
        chunks.write(in.readNBytes(size));
        line(in);
      }
      body = chunks.toByteArray();
    } else if (headers.containsKey("Content-Length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("Content-Length").get(0)));
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** One header line, without its CRLF. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
