package ai.codvid.ai;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a server-sent event stream as it arrives and hands the {@code data} of each event to a
 * consumer (several {@code data:} lines of one event are joined with newlines; comments and
 * other fields are skipped). Bytes are split into lines before decoding, so a UTF-8 character
 * cut between two network chunks stays whole. The first bytes are also kept (up to
 * {@value #KEPT_BYTES}) so a non-stream error body can be read.
 */
final class SseParser implements WriteStream<Buffer> {

  static final int KEPT_BYTES = 8192;

  private final Consumer<String> onData;
  private Buffer pending = Buffer.buffer();
  private final Buffer kept = Buffer.buffer();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private boolean stopped;

  SseParser(Consumer<String> onData) {
    this.onData = onData;
  }

  /** Ignores everything written from now on. */
  void stop() {
    stopped = true;
  }

  /** The first bytes received, as text. */
  String kept() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  @Override
  public Future<Void> write(Buffer chunk) {
    if (kept.length() < KEPT_BYTES) {
      kept.appendBuffer(chunk, 0, Math.min(chunk.length(), KEPT_BYTES - kept.length()));
    }
    pending.appendBuffer(chunk);
    int start = 0;
    for (int i = 0; i < pending.length() && !stopped; i++) {
      if (pending.getByte(i) == '\n') {
        int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
        line(pending.getString(start, end, "UTF-8"));
        start = i + 1;
      }
    }
    pending = stopped ? Buffer.buffer() : pending.getBuffer(start, pending.length());
    return Future.succeededFuture();
  }

  private void line(String line) {
    if (line.isEmpty()) {
      dispatch();
    } else if (line.startsWith("data:")) {
      String value = line.substring(5);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    }
  }

  private void dispatch() {
    if (hasData && !stopped) {
      String event = data.toString();
      data.setLength(0);
      hasData = false;
      onData.accept(event);
    }
  }

  @Override
  public Future<Void> end() {
    if (!stopped) {
      dispatch();
    }
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
