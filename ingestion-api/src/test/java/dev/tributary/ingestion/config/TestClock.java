package dev.tributary.ingestion.config;

import dev.tributary.testsupport.SettableClock;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * A settable clock in place of the system clock, only for the tests whose profile selects it
 * ({@link SettableClockProfile}); every other test runs on the system clock.
 */
@Singleton
@Alternative
public class TestClock extends SettableClock {}
