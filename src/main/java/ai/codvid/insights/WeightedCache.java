package ai.codvid.insights;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used map bounded by the total weight of its values (points, comments), not
 * by their number. Thread-safe; every HTTP event loop of the node shares one.
 */
final class WeightedCache<K, V> {

  private record Entry<V>(V value, int weight) {
  }

  private final long maxWeight;
  private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long weight;

  WeightedCache(long maxWeight) {
    this.maxWeight = maxWeight;
  }

  synchronized V get(K key) {
    Entry<V> entry = entries.get(key);
    return entry == null ? null : entry.value();
  }

  synchronized void put(K key, V value, int valueWeight) {
    if (valueWeight > maxWeight) {
      remove(key);
      return;
    }
    Entry<V> old = entries.put(key, new Entry<>(value, valueWeight));
    weight += valueWeight - (old == null ? 0 : old.weight());
    Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
    while (weight > maxWeight && eldest.hasNext()) {
      Map.Entry<K, Entry<V>> e = eldest.next();
      weight -= e.getValue().weight();
      eldest.remove();
    }
  }

  synchronized void remove(K key) {
    Entry<V> old = entries.remove(key);
    if (old != null) {
      weight -= old.weight();
    }
  }

  synchronized long weight() {
    return weight;
  }

  synchronized int size() {
    return entries.size();
  }
}
