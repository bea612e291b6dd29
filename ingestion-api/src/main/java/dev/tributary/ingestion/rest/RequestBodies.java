package dev.tributary.ingestion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Decodes a Tracking API body: the media types the libraries send, optional gzip, with the size
 * limit measured after decompression.
 */
final class RequestBodies {

  /** The body could not be decoded; carries the Segment-style status and code. */
  static final class BodyException extends Exception {
    final int status;
    final String code;

    BodyException(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private RequestBodies() {}

  /**
   * Whether a body of this Content-Type is read as JSON. The official libraries send {@code
   * application/json} (with or without parameters), {@code text/plain} (the browser libraries and
   * Kotlin: a "simple" request needs no CORS preflight) or no Content-Type at all (C#), always with
   * a JSON body.
   */
  static boolean isReadableAsJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json")
        || mediaType.endsWith("+json")
        || mediaType.equals("text/plain");
  }

  /**
   * The decoded body, at most {@code maxBytes} long. A gzip bomb is stopped as soon as its output
   * passes the limit: nothing past {@code maxBytes + 1} bytes is ever inflated.
   */
  static byte[] decode(byte[] raw, String contentEncoding, int maxBytes) throws BodyException {
    String encoding =
        contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    switch (encoding) {
      case "", "identity" -> {
        if (raw.length > maxBytes) {
          throw tooLarge(maxBytes);
        }
        return raw;
      }
      case "gzip", "x-gzip" -> {
        return gunzip(raw, maxBytes);
      }
      default ->
          throw new BodyException(
              415,
              "unsupported_encoding",
              "Content-Encoding " + encoding + " is not supported; use gzip or none");
    }
  }

  /**
   * The decoded body as a JSON tree. Jackson's stream-read limits (nesting depth, number and string
   * length) apply; whatever it refuses, or cannot read in the charset it detects (UTF-8, -16 or
   * -32), is {@code invalid_json}.
   */
  static JsonNode parseJson(byte[] body, ObjectMapper mapper) throws BodyException {
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BodyException(400, "invalid_json", "the body is not valid JSON");
    } catch (IOException e) {
      throw new BodyException(400, "invalid_json", "the body could not be read");
    }
  }

  private static byte[] gunzip(byte[] raw, int maxBytes) throws BodyException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, raw.length * 4 + 64));
    byte[] buffer = new byte[8192];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 8192)) {
      int read;
      while ((read = in.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - out.size()))) > 0) {
        out.write(buffer, 0, read);
        if (out.size() > maxBytes) {
          throw tooLarge(maxBytes);
        }
      }
    } catch (IOException e) {
      throw new BodyException(400, "invalid_gzip", "the body is not valid gzip");
    }
    return out.toByteArray();
  }

  private static BodyException tooLarge(int maxBytes) {
    return new BodyException(
        413,
        "request_too_large",
        "a request may be at most " + maxBytes + " bytes (after decompression)");
  }
}
