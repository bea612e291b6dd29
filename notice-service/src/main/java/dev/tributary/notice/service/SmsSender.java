package dev.tributary.notice.service;

import dev.tributary.notice.client.SmsApi;
import dev.tributary.notice.config.SmsConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Sends text messages through the configured SMS provider ({@link SmsConfig}), paced by {@link
 * ProviderPacer}.
 */
@ApplicationScoped
public class SmsSender {

  public static final String PROVIDER = "sms";

  /** The provider refused the message or could not be reached. */
  public static class SmsFailed extends RuntimeException {
    public SmsFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final SmsConfig config;
  private final ProviderPacer pacer;
  private final SmsApi api;

  public SmsSender(SmsConfig config, ProviderPacer pacer) {
    this.config = config;
    this.pacer = pacer;
    this.api =
        config.configured()
            ? QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.baseUrl().orElseThrow())
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(10, TimeUnit.SECONDS)
                .build(SmsApi.class)
            : null;
  }

  /** Without a configured provider, SMS deliveries are left PENDING (not claimed). */
  public boolean configured() {
    return api != null;
  }

  /** Sends {@code body} to {@code to} at the provider's pace; answers the provider's message id. */
  public Uni<String> send(String to, String body) {
    if (api == null) {
      return Uni.createFrom().failure(new SmsFailed("no SMS provider configured", null));
    }
    String sid = config.accountSid().orElseThrow();
    String credentials = sid + ":" + config.authToken().orElseThrow();
    String basic =
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    return Uni.createFrom()
        .completionStage(() -> pacer.acquire(PROVIDER).toCompletionStage())
        .chain(() -> api.send(sid, basic, to, config.from().orElseThrow(), body))
        .map(
            message -> {
              if (message == null || message.sid() == null || message.sid().isBlank()) {
                throw new SmsFailed("the SMS provider answered no message sid", null);
              }
              return message.sid();
            })
        .onFailure(failure -> !(failure instanceof SmsFailed))
        // The exception's message names the status, never the credentials.
        .transform(failure -> new SmsFailed("sms: " + EmailSender.brief(failure), failure));
  }
}
