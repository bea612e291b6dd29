package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.repository.DeliveryOutbox.Claimed;
import dev.tributary.notice.service.NoticeRenderer.Rendered;
import io.quarkus.mailer.Mail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Renders one claimed delivery for its recipient and hands it to its channel's provider: email
 * through {@link EmailSender} (primary, then secondary), text through {@link SmsSender}. Each
 * provider is paced by {@link ProviderPacer}.
 */
@ApplicationScoped
public class DeliverySender {

  /** What a message is rendered from: the notice and the recipient workspace's snapshot. */
  public record Source(Notice notice, NoticeRecipient recipient) {}

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
   * rendering error.
   */
  public Uni<Sent> send(Claimed delivery, Source source) {
    return Uni.createFrom()
        .deferred(
            () ->
                delivery.channel() == Channel.SMS
                    ? sendSms(delivery, source)
                    : sendEmail(delivery, source));
  }

  private Uni<Sent> sendEmail(Claimed delivery, Source source) {
    Rendered rendered = renderer.render(source.notice(), source.recipient(), delivery.reminder());
    String messageId = messageId(delivery.id());
    Mail mail =
        Mail.withText(delivery.address(), rendered.subject(), rendered.text())
            .setHtml(rendered.html())
            .addHeader("Message-ID", messageId);
    return email
        .send(mail)
        .map(accepted -> new Sent(accepted.provider(), messageId, rendered.sha256()));
  }

  private Uni<Sent> sendSms(Claimed delivery, Source source) {
    String body = renderer.renderSms(source.notice(), source.recipient(), delivery.reminder());
    return sms.send(delivery.address(), body)
        .map(providerId -> new Sent(SmsSender.PROVIDER, providerId, NoticeRenderer.sha256(body)));
  }

  /**
   * The Message-ID of a delivery's email: the same on every attempt, so a resend is recognisable.
   */
  public String messageId(UUID deliveryId) {
    return "<" + deliveryId + "@" + messageIdDomain + ">";
  }
}
