package dev.tributary.support;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A configured token without surrounding whitespace: a token kept in a file or a Secret made with
 * {@code echo} ends with a newline that no client sends, and would otherwise lock its API with a
 * 401 for every caller. Blank is unset.
 */
public class TokenConverter implements Converter<String> {

  @Override
  public String convert(String value) {
    String token = value.strip();
    return token.isEmpty() ? null : token;
  }
}
