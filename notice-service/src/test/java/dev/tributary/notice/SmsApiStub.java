package dev.tributary.notice;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The SMS provider faked at the HTTP level (Twilio's Messages shape): {@code POST
 * /2010-04-01/Accounts/ACtest/Messages.json} with the right basic auth answers 201 and a message
 * sid, anything else 401.
 */
public class SmsApiStub implements QuarkusTestResourceLifecycleManager {

  /** Injects the {@link WireMockServer} into a test's field. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectSmsApi {}

  public static final String ACCOUNT_SID = "ACtest";
  public static final String AUTH_TOKEN = "test-sms-token";
  public static final String FROM = "+15005550006";
  public static final String MESSAGES_PATH = "/2010-04-01/Accounts/ACtest/Messages.json";
  public static final String MESSAGE_SID = "SM0123456789abcdef0123456789abcdef";

  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    stubDefaults(server);
    return Map.of(
        "tributary.notice.sms.base-url", server.baseUrl(),
        "tributary.notice.sms.account-sid", ACCOUNT_SID,
        "tributary.notice.sms.auth-token", AUTH_TOKEN,
        "tributary.notice.sms.from", FROM);
  }

  public static void stubDefaults(WireMockServer server) {
    server.stubFor(
        post(urlEqualTo(MESSAGES_PATH)).atPriority(10).willReturn(aResponse().withStatus(401)));
    String basic =
        Base64.getEncoder()
            .encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    server.stubFor(
        post(urlEqualTo(MESSAGES_PATH))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Basic " + basic))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"sid\": \"" + MESSAGE_SID + "\", \"status\": \"queued\"}")));
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server, new TestInjector.AnnotatedAndMatchesType(InjectSmsApi.class, WireMockServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
