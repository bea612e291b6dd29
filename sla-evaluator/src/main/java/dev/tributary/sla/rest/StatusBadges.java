package dev.tributary.sla.rest;

import java.util.Locale;

/**
 * The SVG badges (shields.io's flat look): a grey label and a coloured value, both as text, with a
 * {@code <title>} and an accessible name, so they read without their colours.
 */
final class StatusBadges {

  private StatusBadges() {}

  /** The month's availability, floored to 4 decimals; green while the target is met. */
  static String availability(String month, String percent, boolean met) {
    return badge(
        "availability " + month, percent + "%", met ? "#2e7d32" : "#c62828", "availability");
  }

  /** The page's status; its colour follows Statuspage's indicator. */
  static String status(String indicator, String description) {
    String colour =
        switch (indicator) {
          case "none" -> "#2e7d32";
          case "minor" -> "#a15c00";
          case "maintenance" -> "#1f5fa8";
          default -> "#c62828";
        };
    return badge("status", description.toLowerCase(Locale.ROOT), colour, "status");
  }

  private static String badge(String label, String value, String colour, String id) {
    int left = 10 + 7 * label.length();
    int right = 10 + 7 * value.length();
    int width = left + right;
    String title = escape(label + ": " + value);
    return """
        <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-labelledby="%s-title">
          <title id="%s-title">%s</title>
          <rect width="%d" height="20" fill="#555"/>
          <rect x="%d" width="%d" height="20" fill="%s"/>
          <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
            <text x="%d" y="14">%s</text>
            <text x="%d" y="14">%s</text>
          </g>
        </svg>
        """
        .formatted(
            width,
            id,
            id,
            title,
            width,
            left,
            right,
            colour,
            left / 2,
            escape(label),
            left + right / 2,
            escape(value));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
