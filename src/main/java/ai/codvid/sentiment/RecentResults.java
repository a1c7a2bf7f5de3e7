package ai.codvid.sentiment;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded least-recently-used map of text → result; synchronized, so it may be shared. */
final class RecentResults {

  private final Map<String, Sentiment> entries;
  private final int capacity;

  RecentResults(int capacity) {
    this.capacity = Math.max(0, capacity);
    this.entries = new LinkedHashMap<>(Math.min(this.capacity, 1 << 16) + 1, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Sentiment> eldest) {
        return size() > RecentResults.this.capacity;
      }
    };
  }

  synchronized Sentiment get(String text) {
    return capacity == 0 ? null : entries.get(text);
  }

  synchronized void put(String text, Sentiment result) {
    if (capacity > 0) {
      entries.put(text, result);
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
