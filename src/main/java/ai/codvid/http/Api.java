package ai.codvid.http;

/** Paths of the public API. */
public final class Api {

  public static final String PREFIX = "/codvid-ai";

  public static String path(String suffix) {
    return PREFIX + suffix;
  }

  private Api() {
  }
}
