package dev.tributary.notice.service;

import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a notice for one recipient workspace from {@code templates/notices/{KIND}.txt} and {@code
 * .html}. Dates are shown in the workspace's time zone; maintenance windows also in Pacific Time,
 * the zone the agreement's business days are counted in.
 */
@ApplicationScoped
public class NoticeRenderer {

  /** The subject prefix of a maintenance reminder. */
  public static final String REMINDER_PREFIX = "Reminder: ";

  static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("EEEE d MMMM uuuu, HH:mm zzz", Locale.ENGLISH);

  /**
   * A rendered message.
   *
   * @param subject the email subject
   * @param text the plain-text part, exactly as sent
   * @param html the HTML part, exactly as sent
   */
  public record Rendered(String subject, String text, String html) {

    /**
     * The content evidence: lowercase hex SHA-256 of the UTF-8 bytes of {@link #subject}, a NUL
     * byte, the UTF-8 bytes of {@link #text}, a NUL byte, and the UTF-8 bytes of {@link #html} —
     * the strings handed to the mailer, before any transfer encoding (which SMTP servers may
     * change, e.g. line endings), so it can be recomputed from the notice and the templates.
     */
    public String sha256() {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(subject.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(html.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Engine engine;

  public NoticeRenderer(Engine engine) {
    this.engine = engine;
  }

  public Rendered render(Notice notice, NoticeRecipient recipient) {
    return render(notice, recipient, false);
  }

  /**
   * A notice's message, or its reminder ({@code reminder}: a maintenance reminder sent the lead
   * time before the window): the subject then starts with {@value #REMINDER_PREFIX} and the
   * templates see {@code reminder} true.
   */
  public Rendered render(Notice notice, NoticeRecipient recipient, boolean reminder) {
    Map<String, Object> data = data(notice, recipient, reminder);
    String subject = (reminder ? REMINDER_PREFIX : "") + subject(notice);
    return new Rendered(subject, render(notice, "txt", data), render(notice, "html", data));
  }

  /**
   * The text message of an SMS delivery ({@code notices/{KIND}.sms.txt}, for the kinds SMS is
   * allowed for). Its content evidence is {@link #sha256(String)} of exactly this string.
   */
  public String renderSms(Notice notice, NoticeRecipient recipient) {
    return renderSms(notice, recipient, false);
  }

  /** The text message of an SMS delivery or its reminder (prefixed {@value #REMINDER_PREFIX}). */
  public String renderSms(Notice notice, NoticeRecipient recipient, boolean reminder) {
    String text = render(notice, "sms.txt", data(notice, recipient, reminder)).strip();
    return reminder ? REMINDER_PREFIX + text : text;
  }

  /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code content}. */
  public static String sha256(String content) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String render(Notice notice, String suffix, Map<String, Object> data) {
    Template template = engine.getTemplate("notices/" + notice.kind + "." + suffix);
    if (template == null) {
      throw new IllegalStateException("no template notices/" + notice.kind + "." + suffix);
    }
    var instance = template.instance();
    data.forEach(instance::data);
    return instance.render();
  }

  static String subject(Notice notice) {
    return switch (notice.kind) {
      case TERMS_UPDATE -> "Update to the " + notice.document + " (version " + notice.version + ")";
      case API_CHANGE -> "Upcoming change to the Tributary API";
      case MAINTENANCE -> "Scheduled maintenance of the Tributary service";
      case MAINTENANCE_RESCHEDULED -> "Rescheduled: maintenance of the Tributary service";
      case MAINTENANCE_CANCELLED -> "Cancelled: maintenance of the Tributary service";
      case SLA_MISS -> "Service level not met in " + notice.month;
      case TERMINATION_RIGHT -> "Your right to terminate the agreement (" + notice.month + ")";
      case SUSPENSION -> "Suspension of your Tributary workspace";
      case SUSPENSION_LIFTED -> "Your Tributary workspace is no longer suspended";
      case CLOSURE -> "Closure of your Tributary account";
      case GENERAL -> notice.subject;
    };
  }

  private static Map<String, Object> data(
      Notice notice, NoticeRecipient recipient, boolean reminder) {
    ZoneId zone = zone(recipient.timeZone);
    Map<String, Object> data = new HashMap<>();
    data.put("reminder", reminder);
    data.put("workspaceName", recipient.workspaceName);
    data.put("zone", zone.getId());
    data.put("document", orEmpty(notice.document));
    data.put("version", orEmpty(notice.version));
    data.put("url", orEmpty(notice.url));
    data.put("summary", orEmpty(notice.summary));
    data.put("effectiveAt", format(notice.effectiveAt, zone));
    data.put("windowStart", format(notice.windowStart, zone));
    data.put("windowEnd", format(notice.windowEnd, zone));
    data.put("windowStartPacific", format(notice.windowStart, PACIFIC));
    data.put("windowEndPacific", format(notice.windowEnd, PACIFIC));
    data.put("description", orEmpty(notice.description));
    data.put("month", orEmpty(notice.month));
    data.put("details", notice.extra == null ? "" : notice.extra.toString());
    data.put("subject", orEmpty(notice.subject));
    data.put("body", orEmpty(notice.body));
    return data;
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException | NullPointerException e) {
      return ZoneId.of("UTC");
    }
  }

  private static String format(Instant instant, ZoneId zone) {
    return instant == null ? "" : DATE_TIME.format(instant.atZone(zone));
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
