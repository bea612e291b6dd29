package dev.tributary.notice;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two real SMTP servers (GreenMail) in the test JVM on free ports: the primary (the default mailer)
 * and the secondary ({@code quarkus.mailer.secondary.*}). Tests stop and start them to make a
 * server unreachable.
 */
public class SmtpServers implements QuarkusTestResourceLifecycleManager {

  /** Injects the {@link SmtpServers} into a test's field. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectSmtpServers {}

  private ServerSetup primarySetup;
  private ServerSetup secondarySetup;
  private volatile GreenMail primary;
  private volatile GreenMail secondary;

  @Override
  public Map<String, String> start() {
    primarySetup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    secondarySetup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    startPrimary();
    startSecondary();
    return Map.of(
        "quarkus.mailer.host",
        "127.0.0.1",
        "quarkus.mailer.port",
        String.valueOf(primarySetup.getPort()),
        "quarkus.mailer.secondary.host",
        "127.0.0.1",
        "quarkus.mailer.secondary.port",
        String.valueOf(secondarySetup.getPort()));
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        this, new TestInjector.AnnotatedAndMatchesType(InjectSmtpServers.class, SmtpServers.class));
  }

  @Override
  public void stop() {
    stopPrimary();
    stopSecondary();
  }

  public synchronized void startPrimary() {
    if (primary == null) {
      primary = new GreenMail(primarySetup);
      primary.start();
    }
  }

  public synchronized void stopPrimary() {
    if (primary != null) {
      primary.stop();
      primary = null;
    }
  }

  public synchronized void startSecondary() {
    if (secondary == null) {
      secondary = new GreenMail(secondarySetup);
      secondary.start();
    }
  }

  public synchronized void stopSecondary() {
    if (secondary != null) {
      secondary.stop();
      secondary = null;
    }
  }

  /** Messages the primary received since it was last (re)started or purged. */
  public List<MimeMessage> primaryMessages() {
    return primary == null ? List.of() : List.of(primary.getReceivedMessages());
  }

  public List<MimeMessage> secondaryMessages() {
    return secondary == null ? List.of() : List.of(secondary.getReceivedMessages());
  }

  public List<MimeMessage> allMessages() {
    List<MimeMessage> all = new ArrayList<>(primaryMessages());
    all.addAll(secondaryMessages());
    return all;
  }

  public void purge() {
    try {
      if (primary != null) {
        primary.purgeEmailFromAllMailboxes();
      }
      if (secondary != null) {
        secondary.purgeEmailFromAllMailboxes();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
