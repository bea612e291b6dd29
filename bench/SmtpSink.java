import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;

/** An SMTP server that accepts every message and counts it and its Message-ID. Loopback only. */
public class SmtpSink {
  static final Set<String> IDS = ConcurrentHashMap.newKeySet();
  static final AtomicLong MESSAGES = new AtomicLong(), DUPLICATES = new AtomicLong();
  static final AtomicLong WITHOUT_ID = new AtomicLong(), BYTES = new AtomicLong();
  /** Connections that carried at least one message: how well the client reuses them. */
  static final AtomicLong CONNECTIONS = new AtomicLong();

  public static void main(String[] args) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
    ExecutorService threads = Executors.newCachedThreadPool();
    System.err.println("smtp sink on 127.0.0.1:" + args[0]);
    while (true) {
      Socket socket = server.accept();
      threads.execute(() -> serve(socket));
    }
  }

  static void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1), 1 << 16);
      Writer out = new BufferedWriter(
          new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1), 1 << 16);
      out.write("220 127.0.0.1 ESMTP bench sink\r\n");
      out.flush();
      String line;
      boolean mailed = false;
      while ((line = in.readLine()) != null) {
        String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> out.write("250-127.0.0.1\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n");
          case "MAIL" -> {
            if (!mailed) {
              mailed = true;
              CONNECTIONS.incrementAndGet();
            }
            out.write("250 OK\r\n");
          }
          case "HELO", "RCPT", "RSET", "NOOP" -> out.write("250 OK\r\n");
          case "DATA" -> {
            out.write("354 go ahead\r\n");
            out.flush();
            data(in);
            out.write("250 OK queued\r\n");
          }
          case "QUIT" -> {
            out.write("221 bye\r\n");
            out.flush();
            return;
          }
          case "XSTA" -> out.write("250 messages=" + MESSAGES.get() + " unique=" + IDS.size()
              + " duplicates=" + DUPLICATES.get() + " without_id=" + WITHOUT_ID.get()
              + " bytes=" + BYTES.get() + " connections=" + CONNECTIONS.get() + "\r\n");
          case "XRES" -> {
            IDS.clear();
            MESSAGES.set(0);
            DUPLICATES.set(0);
            WITHOUT_ID.set(0);
            BYTES.set(0);
            CONNECTIONS.set(0);
            out.write("250 reset\r\n");
          }
          case "XDUM" -> {
            List<String> sorted = new ArrayList<>(IDS);
            Collections.sort(sorted);
            Files.write(Path.of(line.substring(line.indexOf(' ') + 1).trim()), sorted);
            out.write("250 dumped " + sorted.size() + "\r\n");
          }
          default -> out.write("502 not implemented\r\n");
        }
        // Pipelined commands are answered together, like a real server's batch of replies.
        if (!in.ready()) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  static void data(BufferedReader in) throws IOException {
    String id = null;
    boolean headers = true, idFollows = false;
    long bytes = 0;
    String line;
    while ((line = in.readLine()) != null && !line.equals(".")) {
      bytes += line.length() + 2;
      if (headers) {
        if (line.isEmpty()) {
          headers = false;
        } else if (idFollows && (line.startsWith(" ") || line.startsWith("\t"))) {
          id = line.trim();
          idFollows = false;
        } else if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
          id = line.substring(11).trim();
          idFollows = id.isEmpty();
        }
      }
    }
    if (line == null) {
      return; // cut off before the final ".": not delivered (a client killed mid-message)
    }
    MESSAGES.incrementAndGet();
    BYTES.addAndGet(bytes);
    if (id == null || id.isEmpty()) {
      WITHOUT_ID.incrementAndGet();
    } else if (!IDS.add(id)) {
      DUPLICATES.incrementAndGet();
    }
  }
}
