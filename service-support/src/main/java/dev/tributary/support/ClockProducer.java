package dev.tributary.support;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one source of "now" (notice periods and lead times count from it): tests replace it. */
public class ClockProducer {

  // A singleton: "now" is read on every request, and an application-scoped clock would be a client
  // proxy that looks the instance up on each call.
  @Produces
  @DefaultBean
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
