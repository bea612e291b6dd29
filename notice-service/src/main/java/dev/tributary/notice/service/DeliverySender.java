package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.repository.DeliveryOutbox.Claimed;
import dev.tributary.notice.service.NoticeRenderer.Rendered;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Renders one claimed delivery for its recipient and hands it to its channel's provider: email
 * through {@link EmailSender} (primary, then secondary), text through {@link SmsSender}. Each
 * provider is paced by {@link ProviderPacer}.
 */
@ApplicationScoped
public class DeliverySender {

  /**
   * What a message is rendered from: the notice and the recipient workspace's snapshot. The
   * deliveries of one workspace in a claimed batch share one source, so its email (the same for
   * every contact of the workspace) is rendered and hashed once, not once per contact.
   */
  public static final class Source {

    private final Notice notice;
    private final NoticeRecipient recipient;

    /** The rendered email and its content hash: [0] the notice, [1] its reminder. */
    private final AtomicReferenceArray<Email> emails = new AtomicReferenceArray<>(2);

    public Source(Notice notice, NoticeRecipient recipient) {
      this.notice = notice;
      this.recipient = recipient;
    }

    public Notice notice() {
      return notice;
    }

    public NoticeRecipient recipient() {
      return recipient;
    }

    /**
     * The email, rendered on first use. Two deliveries racing for it may both render: rendering is
     * deterministic, so either result is the same message.
     */
    Email email(NoticeRenderer renderer, boolean reminder) {
      int slot = reminder ? 1 : 0;
      Email email = emails.get(slot);
      if (email == null) {
        Rendered rendered = renderer.render(notice, recipient, reminder);
        email = new Email(rendered, rendered.sha256());
        emails.set(slot, email);
      }
      return email;
    }
  }

  /** A rendered email and its content evidence ({@link Rendered#sha256()}). */
  record Email(Rendered rendered, String sha256) {}

  /** A provider accepted the message. */
  public record Sent(String provider, String providerMessageId, String contentSha256) {}

  private final NoticeRenderer renderer;
  private final EmailSender email;
  private final SmsSender sms;
  private final String messageIdDomain;

  public DeliverySender(
      NoticeRenderer renderer, EmailSender email, SmsSender sms, DeliveryConfig config) {
    this.renderer = renderer;
    this.email = email;
    this.sms = sms;
    this.messageIdDomain = config.messageIdDomain();
  }

  /**
   * Sends the delivery; fails with {@link EmailSender.SendFailed}, {@link SmsSender.SmsFailed} or a
   * rendering error. A Vert.x future: the fan-out's hot path has no Mutiny operator.
   */
  public Future<Sent> send(Claimed delivery, Source source) {
    try {
      return delivery.channel() == Channel.SMS
          ? sendSms(delivery, source)
          : sendEmail(delivery, source);
    } catch (RuntimeException renderingFailed) {
      return Future.failedFuture(renderingFailed);
    }
  }

  private Future<Sent> sendEmail(Claimed delivery, Source source) {
    Email rendered = source.email(renderer, delivery.reminder());
    String messageId = messageId(delivery.id());
    return email
        .send(
            new EmailSender.Email(
                delivery.address(),
                rendered.rendered().subject(),
                rendered.rendered().text(),
                rendered.rendered().html(),
                messageId))
        .map(accepted -> new Sent(accepted.provider(), messageId, rendered.sha256()));
  }

  private Future<Sent> sendSms(Claimed delivery, Source source) {
    String body = renderer.renderSms(source.notice(), source.recipient(), delivery.reminder());
    return Future.fromCompletionStage(
            sms.send(delivery.address(), body).subscribeAsCompletionStage())
        .map(providerId -> new Sent(SmsSender.PROVIDER, providerId, NoticeRenderer.sha256(body)));
  }

  /**
   * The Message-ID of a delivery's email: the same on every attempt, so a resend is recognisable.
   */
  public String messageId(UUID deliveryId) {
    return "<" + deliveryId + "@" + messageIdDomain + ">";
  }
}
