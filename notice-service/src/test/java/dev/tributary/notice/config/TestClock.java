package dev.tributary.notice.config;

import dev.tributary.testsupport.SettableClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/** The settable clock of every test; replaces the system clock of {@code ClockProducer}. */
@Singleton
@Alternative
@Priority(1)
public class TestClock extends SettableClock {}
