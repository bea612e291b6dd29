package dev.tributary.ingestion.rest;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;

/** The headers every Tracking API call reads. */
public class TrackingHeaders {

  @HeaderParam(HttpHeaders.CONTENT_TYPE)
  String contentType;

  @HeaderParam(HttpHeaders.CONTENT_ENCODING)
  String contentEncoding;

  /** {@code Basic base64(writeKey:)}; the write key may also come in the body. */
  @HeaderParam(HttpHeaders.AUTHORIZATION)
  String authorization;

  /** The page's origin, sent by browsers only; checked against the source's allowed origins. */
  @HeaderParam("Origin")
  String origin;
}
