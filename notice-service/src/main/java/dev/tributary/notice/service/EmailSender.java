package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailerName;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Sends an email through the primary SMTP server (the default mailer) and, when that fails or does
 * not answer within {@code send-timeout}, through the secondary one ({@code
 * quarkus.mailer.secondary.*}) in the same attempt. Each server is paced by {@link ProviderPacer};
 * the mailers keep their SMTP connections open between messages ({@code quarkus.mailer.keep-alive},
 * at most {@code max-pool-size} of them).
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
  private final ProviderPacer pacer;
  private final Vertx vertx;
  private final Duration timeout;

  public EmailSender(
      ReactiveMailer primary,
      @MailerName("secondary") ReactiveMailer secondary,
      ProviderPacer pacer,
      Vertx vertx,
      DeliveryConfig config) {
    this.primary = primary;
    this.secondary = secondary;
    this.pacer = pacer;
    this.vertx = vertx;
    this.timeout = config.sendTimeout();
  }

  public Uni<Accepted> send(Mail mail) {
    return send(PRIMARY, primary, mail)
        .onFailure()
        .recoverWithUni(
            primaryFailure -> {
              Log.warnf(
                  "primary SMTP server failed (%s), trying the secondary", brief(primaryFailure));
              return send(SECONDARY, secondary, mail)
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

  private Uni<Accepted> send(String provider, ReactiveMailer mailer, Mail mail) {
    return pacer
        .acquire(provider)
        .chain(() -> withinTimeout(mailer.send(mail)))
        .map(ignored -> new Accepted(provider));
  }

  /**
   * {@code send}, failing with a {@link TimeoutException} when it has not answered within {@code
   * send-timeout}. A Vert.x timer, cancelled as soon as the server answers: thousands of sends a
   * second leave no timer behind.
   */
  private Uni<Void> withinTimeout(Uni<Void> send) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              long timer =
                  vertx.setTimer(
                      timeout.toMillis(),
                      ignored ->
                          emitter.fail(
                              new TimeoutException(
                                  "no answer within " + timeout.toSeconds() + " s")));
              emitter.onTermination(() -> vertx.cancelTimer(timer));
              send.subscribe()
                  .with(
                      done -> {
                        if (vertx.cancelTimer(timer)) {
                          emitter.complete(null);
                        }
                      },
                      failure -> {
                        if (vertx.cancelTimer(timer)) {
                          emitter.fail(failure);
                        }
                      });
            });
  }

  static String brief(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
