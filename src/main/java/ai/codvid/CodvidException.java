package ai.codvid;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * A domain failure whose message is safe to show to a client. Carried by failed futures; the
 * HTTP failure handler turns it into a status and the envelope, the event bus into
 * {@code message.fail(code, text)}.
 */
public class CodvidException extends RuntimeException {

  private final FailureCode code;

  public CodvidException(FailureCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public FailureCode code() {
    return code;
  }

  public static CodvidException badRequest(String message) {
    return new CodvidException(FailureCode.BAD_REQUEST, message);
  }

  public static CodvidException notFound(String message) {
    return new CodvidException(FailureCode.NOT_FOUND, message);
  }

  public static CodvidException conflict(String message) {
    return new CodvidException(FailureCode.CONFLICT, message);
  }

  public static CodvidException unauthorized(String message) {
    return new CodvidException(FailureCode.UNAUTHORIZED, message);
  }

  /** The domain view of any failure that came back over the event bus. */
  public static Throwable fromBus(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureCode() >= 400) {
      return new CodvidException(FailureCode.of(reply.failureCode()), reply.getMessage());
    }
    return failure;
  }

  /** Answers a bus message with this failure, or with a generic internal error for anything else. */
  public static void replyFailure(Message<?> message, Throwable failure) {
    if (failure instanceof CodvidException e) {
      message.fail(e.code().status(), e.getMessage());
    } else {
      message.fail(FailureCode.INTERNAL.status(), "Internal error");
    }
  }
}
