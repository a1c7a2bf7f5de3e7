package ai.codvid;

import java.util.Arrays;

/**
 * The failure codes used on the event bus ({@code message.fail(code, text)}) and by
 * {@link CodvidException}. Each code is the HTTP status the failure handler answers with.
 */
public enum FailureCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  NOT_FOUND(404),
  CONFLICT(409),
  PAYLOAD_TOO_LARGE(413),
  TOO_MANY_REQUESTS(429),
  INTERNAL(500),
  UPSTREAM(502),
  UNAVAILABLE(503),
  UPSTREAM_TIMEOUT(504);

  private final int status;

  FailureCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The code for an HTTP status or event-bus failure code; unknown values are {@link #INTERNAL}. */
  public static FailureCode of(int code) {
    return Arrays.stream(values()).filter(c -> c.status == code).findFirst().orElse(INTERNAL);
  }
}
