package dev.tributary.notice.service;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailerName;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends an email through the primary SMTP server (the default mailer) and, when that fails, through
 * the secondary one ({@code quarkus.mailer.secondary.*}) in the same attempt.
 */
@ApplicationScoped
public class EmailSender {

  public static final String PRIMARY = "smtp-primary";
  public static final String SECONDARY = "smtp-secondary";

  /** Which server accepted the message. */
  public record Accepted(String provider) {}

  /** Both servers refused or were unreachable. */
  public static class SendFailed extends RuntimeException {
    public SendFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ReactiveMailer primary;
  private final ReactiveMailer secondary;

  public EmailSender(ReactiveMailer primary, @MailerName("secondary") ReactiveMailer secondary) {
    this.primary = primary;
    this.secondary = secondary;
  }

  public Uni<Accepted> send(Mail mail) {
    return primary
        .send(mail)
        .map(ignored -> new Accepted(PRIMARY))
        .onFailure()
        .recoverWithUni(
            primaryFailure -> {
              Log.warnf(
                  "primary SMTP server failed (%s), trying the secondary", brief(primaryFailure));
              return secondary
                  .send(mail)
                  .map(ignored -> new Accepted(SECONDARY))
                  .onFailure()
                  .transform(
                      secondaryFailure ->
                          new SendFailed(
                              "smtp-primary: "
                                  + brief(primaryFailure)
                                  + "; smtp-secondary: "
                                  + brief(secondaryFailure),
                              secondaryFailure));
            });
  }

  static String brief(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
