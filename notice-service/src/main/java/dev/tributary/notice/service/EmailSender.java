package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import io.quarkus.logging.Log;
import io.quarkus.mailer.MailerName;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends an email through the primary SMTP server (the default mailer, {@code quarkus.mailer.*})
 * and, when that fails or does not answer within {@code send-timeout}, through the secondary one
 * ({@code quarkus.mailer.secondary.*}) in the same attempt. Each server is paced by {@link
 * ProviderPacer}; the clients keep their SMTP connections open between messages ({@code
 * quarkus.mailer.keep-alive}, at most {@code max-pool-size} of them).
 *
 * <p>It drives the Vert.x mail clients Quarkus configures from those settings directly, with Vert.x
 * futures: a fan-out sends thousands of messages a second on one event loop, and the Quarkus
 * mailer's per-message work (copying each {@code Mail} into a {@code MailMessage}, checking
 * attachments, firing a CDI event) was a tenth of it. The sender address ({@code from}) and the
 * bounce address are taken from the same settings, as the Quarkus mailer does.
 */
@ApplicationScoped
public class EmailSender {

  public static final String PRIMARY = "smtp-primary";
  public static final String SECONDARY = "smtp-secondary";

  /** A message to one recipient; {@code messageId} is its {@code Message-ID} header. */
  public record Email(String to, String subject, String text, String html, String messageId) {}

  /** Which server accepted the message. */
  public record Accepted(String provider) {}

  /** Both servers refused or were unreachable. */
  public static class SendFailed extends RuntimeException {
    public SendFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One SMTP server: its client and the addresses its messages go out with. */
  private record Server(
      String provider, MailClient client, String from, Optional<String> bounceAddress) {

    MailMessage message(Email email) {
      MailMessage message =
          new MailMessage()
              .setFrom(from)
              .setTo(email.to())
              .setSubject(email.subject())
              .setText(email.text())
              .setHtml(email.html());
      bounceAddress.ifPresent(message::setBounceAddress);
      message.addHeader("Message-ID", email.messageId());
      return message;
    }
  }

  private final Server primary;
  private final Server secondary;
  private final Accepted byPrimary = new Accepted(PRIMARY);
  private final Accepted bySecondary = new Accepted(SECONDARY);
  private final ProviderPacer pacer;
  private final Vertx vertx;
  private final Duration timeout;

  public EmailSender(
      MailClient primary,
      @MailerName("secondary") MailClient secondary,
      @ConfigProperty(name = "quarkus.mailer.from") String primaryFrom,
      @ConfigProperty(name = "quarkus.mailer.bounce-address") Optional<String> primaryBounce,
      @ConfigProperty(name = "quarkus.mailer.secondary.from") String secondaryFrom,
      @ConfigProperty(name = "quarkus.mailer.secondary.bounce-address")
          Optional<String> secondaryBounce,
      ProviderPacer pacer,
      Vertx vertx,
      DeliveryConfig config) {
    this.primary = new Server(PRIMARY, primary, primaryFrom, primaryBounce);
    this.secondary = new Server(SECONDARY, secondary, secondaryFrom, secondaryBounce);
    this.pacer = pacer;
    this.vertx = vertx;
    this.timeout = config.sendTimeout();
  }

  public Future<Accepted> send(Email email) {
    return send(primary, email)
        .map(byPrimary)
        .recover(
            primaryFailure -> {
              Log.warnf(
                  "primary SMTP server failed (%s), trying the secondary", brief(primaryFailure));
              return send(secondary, email)
                  .transform(
                      secondaryResult ->
                          secondaryResult.succeeded()
                              ? Future.succeededFuture(bySecondary)
                              : Future.failedFuture(
                                  new SendFailed(
                                      "smtp-primary: "
                                          + brief(primaryFailure)
                                          + "; smtp-secondary: "
                                          + brief(secondaryResult.cause()),
                                      secondaryResult.cause())));
            });
  }

  private Future<?> send(Server server, Email email) {
    return pacer
        .acquire(server.provider())
        .compose(ignored -> withinTimeout(server.client().sendMail(server.message(email))));
  }

  /**
   * {@code send}, failing with a {@link TimeoutException} when it has not answered within {@code
   * send-timeout}. A Vert.x timer, cancelled as soon as the server answers: thousands of sends a
   * second leave no timer behind.
   */
  private <T> Future<T> withinTimeout(Future<T> send) {
    Promise<T> answer = Promise.promise();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            ignored ->
                answer.tryFail(
                    new TimeoutException("no answer within " + timeout.toSeconds() + " s")));
    send.onComplete(
        result -> {
          vertx.cancelTimer(timer);
          if (result.succeeded()) {
            answer.tryComplete(result.result());
          } else {
            answer.tryFail(result.cause());
          }
        });
    return answer.future();
  }

  static String brief(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
