package dev.tributary.testsupport;

import dev.tributary.testsupport.RawHttp.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hostile clients over raw sockets to a service under test on {@code localhost}: many connections
 * that send a body one byte at a time, that send half a request line and stop, that send nothing at
 * all, and requests whose headers are far over the limit. A test holds them open while a normal
 * client is served, then closes them. Nothing here waits for time to pass: each step is one write.
 */
public final class Floods implements AutoCloseable {

  private final List<Socket> sockets;
  private final List<byte[]> bodies;
  private int sent;

  private Floods(List<Socket> sockets, List<byte[]> bodies, int sent) {
    this.sockets = sockets;
    this.bodies = bodies;
    this.sent = sent;
  }

  /**
   * One connection per body, each a request {@code POST path} with {@code headers} and the body's
   * {@code Content-Length}, of whose body only the first byte is sent; {@link #trickle} sends one
   * more byte on each, {@link #finish} the rest. The bodies are at least 2 bytes long.
   */
  public static Floods slowBodies(
      int port, String path, Map<String, String> headers, List<byte[]> bodies) {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (byte[] body : bodies) {
        StringBuilder head = new StringBuilder();
        head.append("POST ").append(path).append(" HTTP/1.1\r\n");
        head.append("Host: localhost:").append(port).append("\r\n");
        headers.forEach(
            (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Connection: close\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        Socket socket = open(port);
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(start);
        out.write(body, 0, 1);
        out.flush();
      }
    } catch (IOException e) {
      closeAll(sockets);
      throw new UncheckedIOException(e);
    }
    return new Floods(sockets, List.copyOf(bodies), 1);
  }

  /**
   * {@code connections} connections that each send the first half of a request line and then
   * nothing (slowloris), or with {@code partial} false nothing at all.
   */
  public static Floods idle(int port, int connections, boolean partial) {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        Socket socket = open(port);
        sockets.add(socket);
        if (partial) {
          socket.getOutputStream().write("GET /q/health/li".getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
        }
      }
    } catch (IOException e) {
      closeAll(sockets);
      throw new UncheckedIOException(e);
    }
    return new Floods(sockets, List.of(), 0);
  }

  /** Sends one more byte of each slow body (keeping the last byte of the shortest back). */
  public void trickle() {
    if (bodies.isEmpty() || sent >= bodies.stream().mapToInt(b -> b.length).min().orElse(0) - 1) {
      return;
    }
    try {
      for (int i = 0; i < sockets.size(); i++) {
        OutputStream out = sockets.get(i).getOutputStream();
        out.write(bodies.get(i), sent, 1);
        out.flush();
      }
      sent++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the rest of every slow body and answers each connection's answer, in order. */
  public List<Answer> finish() {
    List<Answer> answers = new ArrayList<>();
    try {
      for (int i = 0; i < sockets.size(); i++) {
        byte[] body = bodies.get(i);
        OutputStream out = sockets.get(i).getOutputStream();
        out.write(body, sent, body.length - sent);
        out.flush();
      }
      for (Socket socket : sockets) {
        answers.add(RawHttp.read(socket.getInputStream()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return answers;
  }

  public int connections() {
    return sockets.size();
  }

  /**
   * {@code GET path} with {@code headerBytes} bytes of headers (many headers of 1 KB each): answers
   * the service's answer, or null when it closed the connection without one (also a refusal).
   */
  public static Answer headerFlood(int port, String path, int headerBytes) {
    try (Socket socket = open(port)) {
      OutputStream out = socket.getOutputStream();
      String filler = "a".repeat(1000);
      StringBuilder head = new StringBuilder();
      head.append("GET ").append(path).append(" HTTP/1.1\r\n");
      head.append("Host: localhost:").append(port).append("\r\n");
      try {
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0, written = 0; written < headerBytes; i++) {
          byte[] line =
              ("X-Flood-" + i + ": " + filler + "\r\n").getBytes(StandardCharsets.US_ASCII);
          out.write(line);
          written += line.length;
        }
        out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException refusedWhileWriting) {
        // The service may answer and close as soon as the limit is passed; read what it said.
      }
      try {
        return RawHttp.read(socket.getInputStream());
      } catch (IOException | RuntimeException closed) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    closeAll(sockets);
  }

  private static Socket open(int port) throws IOException {
    Socket socket = new Socket("localhost", port);
    socket.setSoTimeout(60_000);
    return socket;
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing is best effort: the service may have closed it first.
      }
    }
  }
}
