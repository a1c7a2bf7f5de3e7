package ai.codvid.store;

/**
 * Whether the store takes writes, and why not.
 *
 * @param writable false while writes are refused (full disk, failed commit)
 * @param reason why writes are refused, for the log and operators (null when writable)
 * @param fileBytes size of the data file (-1 unknown: a store this node does not run)
 * @param version newest committed version (-1 unknown)
 * @param freeBytes free space on the disk of the data directory (-1 unknown)
 */
public record StoreStatus(boolean writable, String reason, long fileBytes, long version, long freeBytes) {

  /** A reachable store that says nothing about itself (a real MongoDB). */
  public static StoreStatus writableRemote() {
    return new StoreStatus(true, null, -1, -1, -1);
  }
}
