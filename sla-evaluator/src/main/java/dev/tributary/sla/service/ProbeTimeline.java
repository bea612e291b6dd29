package dev.tributary.sla.service;

import dev.tributary.sla.evaluation.ProbeGap;
import dev.tributary.sla.evaluation.ProbeMinute;
import dev.tributary.sla.repository.EvidenceRepository;
import dev.tributary.sla.repository.EvidenceRepository.ProbeState;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The platform's probe evidence, minute by minute, in memory: the same for every workspace, so it
 * is read once and kept (two bytes a minute, under 300 KB for the {@link #KEPT} days), not read
 * again for each workspace's month.
 *
 * <p>Days are read from PostgreSQL the first time they are needed; then each {@link #sync()} adds
 * the results stored since the last one (by id, re-reading the last {@link #SYNC_OVERLAP} ids so a
 * transaction that committed late is not missed: adding a result twice changes nothing). Results
 * posted by external probers and by other replicas arrive the same way.
 */
@ApplicationScoped
public class ProbeTimeline {

  /** The probe evidence of a range: the minutes in which some endpoint failed, and the gaps. */
  public record ProbeFacts(List<ProbeMinute> failed, List<ProbeGap> gaps) {}

  /** What one minute's probes say (for the platform's minute counters). */
  public enum MinuteState {
    NO_DATA,
    AVAILABLE,
    UNAVAILABLE
  }

  static final int SYNC_OVERLAP = 1_000;
  static final Duration KEPT = Duration.ofDays(100);
  static final Duration IDLE = Duration.ofMinutes(10);
  private static final int MINUTES_PER_DAY = 1_440;
  private static final int ENDPOINTS = Prober.ENDPOINTS.size();
  private static final int ALL_ENDPOINTS = (1 << ENDPOINTS) - 1;

  private final EvidenceRepository evidence;
  private final Clock clock;

  /**
   * Per UTC day (epoch day), per minute: bits 0-5 the endpoints with results, bits 8-13 those with
   * an ok result, in {@link Prober#ENDPOINTS} order.
   */
  private final Map<Long, short[]> days = new ConcurrentHashMap<>();

  /** When each day in memory was last asked for (clock millis). */
  private final Map<Long, Long> lastAsked = new ConcurrentHashMap<>();

  private volatile long highestId = -1;

  ProbeTimeline(EvidenceRepository evidence, Clock clock) {
    this.evidence = evidence;
    this.clock = clock;
  }

  /**
   * The probe evidence of {@code [from, to)}; gaps only before {@code judgedUntil} (later minutes
   * are pending), each with its recorded cause when there is one.
   */
  public Uni<ProbeFacts> facts(Instant from, Instant to, Instant judgedUntil) {
    Instant until = judgedUntil.isBefore(to) ? judgedUntil : to;
    return load(from, to)
        .flatMap(ignored -> sync())
        .flatMap(ignored -> evidence.probeGapReasons(from, until))
        .map(reasons -> scan(from, to, until, reasons));
  }

  /** What the probes say about each minute of {@code [from, to)}, in order. */
  public Uni<List<MinuteState>> states(Instant from, Instant to) {
    return load(from, to)
        .flatMap(ignored -> sync())
        .map(
            ignored -> {
              List<MinuteState> states = new ArrayList<>();
              for (long m = epochMinute(from); m < epochMinute(to); m++) {
                short state = state(m);
                int seen = state & ALL_ENDPOINTS;
                int ok = (state >> 8) & ALL_ENDPOINTS;
                states.add(
                    seen == 0
                        ? MinuteState.NO_DATA
                        : (seen & ~ok) == 0 ? MinuteState.AVAILABLE : MinuteState.UNAVAILABLE);
              }
              return states;
            });
  }

  /** Adds the results stored since the last call. */
  public Uni<Void> sync() {
    Uni<Long> start = highestId >= 0 ? Uni.createFrom().item(highestId) : evidence.highestProbeId();
    return start
        .flatMap(from -> evidence.probeStatesSince(Math.max(0, from - SYNC_OVERLAP), this::merge))
        .invoke(highest -> highestId = Math.max(highestId, highest))
        .replaceWithVoid();
  }

  /** Forgets everything (tests truncate the tables underneath). */
  public void clear() {
    days.clear();
    lastAsked.clear();
    highestId = -1;
  }

  /**
   * Reads the days of {@code [from, to)} not in memory yet, one day per query, and forgets the days
   * older than {@link #KEPT} that nobody asked for in the last {@link #IDLE}.
   */
  private Uni<Void> load(Instant from, Instant to) {
    long nowMillis = clock.millis();
    long forgetBefore = clock.instant().minus(KEPT).getEpochSecond() / 86_400;
    lastAsked
        .entrySet()
        .removeIf(
            e -> {
              boolean forget =
                  e.getKey() < forgetBefore && nowMillis - e.getValue() > IDLE.toMillis();
              if (forget) {
                days.remove(e.getKey());
              }
              return forget;
            });
    // The watermark first: results stored while a day is read are picked up by the next sync.
    Uni<Void> watermark =
        highestId >= 0
            ? Uni.createFrom().voidItem()
            : evidence
                .highestProbeId()
                .invoke(id -> highestId = Math.max(highestId, id))
                .replaceWithVoid();
    List<Long> missing = new ArrayList<>();
    long today = clock.instant().getEpochSecond() / 86_400;
    for (long day = Math.floorDiv(from.getEpochSecond(), 86_400);
        day <= Math.floorDiv(to.minusSeconds(1).getEpochSecond(), 86_400) && day <= today;
        day++) {
      lastAsked.put(day, nowMillis);
      if (!days.containsKey(day)) {
        missing.add(day);
      }
    }
    return watermark.flatMap(
        ignored ->
            Multi.createFrom()
                .iterable(missing)
                .onItem()
                .transformToUniAndConcatenate(this::loadDay)
                .collect()
                .last()
                .replaceWithVoid());
  }

  private Uni<Void> loadDay(long day) {
    Instant start = Instant.ofEpochSecond(day * 86_400);
    return evidence
        .probeStates(start, start.plus(Duration.ofDays(1)))
        .invoke(
            states -> {
              short[] minutes = new short[MINUTES_PER_DAY];
              for (ProbeState s : states) {
                minutes[(int) (epochMinute(s.minute()) - day * MINUTES_PER_DAY)] |= bits(s);
              }
              short[] known = days.putIfAbsent(day, minutes);
              if (known != null) {
                synchronized (known) {
                  for (int i = 0; i < MINUTES_PER_DAY; i++) {
                    known[i] |= minutes[i];
                  }
                }
              }
            })
        .replaceWithVoid();
  }

  private void merge(ProbeState s) {
    long minute = epochMinute(s.minute());
    short[] day = days.get(Math.floorDiv(minute, MINUTES_PER_DAY));
    if (day != null) { // a day not read yet gets this result when it is read
      synchronized (day) {
        day[(int) Math.floorMod(minute, MINUTES_PER_DAY)] |= bits(s);
      }
    }
  }

  private short state(long epochMinute) {
    short[] day = days.get(Math.floorDiv(epochMinute, MINUTES_PER_DAY));
    return day == null ? 0 : day[(int) Math.floorMod(epochMinute, MINUTES_PER_DAY)];
  }

  private ProbeFacts scan(Instant from, Instant to, Instant until, List<ProbeGap> reasons) {
    List<ProbeMinute> failed = new ArrayList<>();
    List<ProbeGap> gaps = new ArrayList<>();
    long gapStart = -1;
    long end = epochMinute(to);
    long judgedEnd = Math.min(end, epochMinute(until));
    for (long m = epochMinute(from); m < end; m++) {
      short state = state(m);
      int seen = state & ALL_ENDPOINTS;
      if (seen == 0) {
        if (gapStart < 0 && m < judgedEnd) {
          gapStart = m;
        }
        continue;
      }
      if (gapStart >= 0) {
        addGap(gaps, gapStart, Math.min(m, judgedEnd), reasons);
        gapStart = -1;
      }
      int failedMask = seen & ~((state >> 8) & ALL_ENDPOINTS);
      if (failedMask != 0) {
        Set<String> endpoints = new TreeSet<>();
        for (int e = 0; e < ENDPOINTS; e++) {
          if ((failedMask & (1 << e)) != 0) {
            endpoints.add(Prober.ENDPOINTS.get(e));
          }
        }
        failed.add(new ProbeMinute(Instant.ofEpochSecond(m * 60), endpoints));
      }
    }
    if (gapStart >= 0) {
      addGap(gaps, gapStart, judgedEnd, reasons);
    }
    return new ProbeFacts(failed, gaps);
  }

  /** The gap [start, end) in epoch minutes, cut where a recorded cause begins or ends. */
  private static void addGap(List<ProbeGap> gaps, long start, long end, List<ProbeGap> reasons) {
    long at = start;
    for (ProbeGap reason : reasons) {
      long from = Math.max(at, epochMinute(reason.start()));
      long to = Math.min(end, ceilMinute(reason.end()));
      if (to <= from) {
        continue;
      }
      if (from > at) {
        gaps.add(gap(at, from, null));
      }
      gaps.add(gap(from, to, reason.reason()));
      at = to;
    }
    if (end > at) {
      gaps.add(gap(at, end, null));
    }
  }

  private static ProbeGap gap(long start, long end, String reason) {
    return new ProbeGap(Instant.ofEpochSecond(start * 60), Instant.ofEpochSecond(end * 60), reason);
  }

  private static short bits(ProbeState s) {
    int e = Prober.ENDPOINTS.indexOf(s.endpoint());
    if (e < 0) {
      return 0;
    }
    return (short) ((1 << e) | (s.anyOk() ? 1 << (e + 8) : 0));
  }

  static long epochMinute(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), 60);
  }

  private static long ceilMinute(Instant t) {
    return -Math.floorDiv(-t.truncatedTo(ChronoUnit.SECONDS).getEpochSecond(), 60);
  }
}
