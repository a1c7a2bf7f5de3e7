package ai.codvid.insights;

import java.util.ArrayList;
import java.util.List;

/**
 * Which snapshots a task keeps: at most {@code maxSnapshots} (0 = no limit), none older than
 * {@code maxDays} (0 = no limit). The newest snapshot is always kept.
 */
record Retention(int maxSnapshots, int maxDays) {

  /** The points (oldest first) to drop as of {@code nowMs}. */
  List<ScrapePoint> dropped(List<ScrapePoint> oldestFirst, long nowMs) {
    List<ScrapePoint> drop = new ArrayList<>();
    int size = oldestFirst.size();
    long cutoff = maxDays > 0 ? nowMs - maxDays * 86_400_000L : Long.MIN_VALUE;
    for (int i = 0; i < size - 1; i++) {
      ScrapePoint p = oldestFirst.get(i);
      boolean tooMany = maxSnapshots > 0 && size - i > maxSnapshots;
      if (tooMany || p.scrapedAtMs() < cutoff) {
        drop.add(p);
      }
    }
    return drop;
  }
}
