package ai.codvid.ai;

import io.vertx.core.json.JsonObject;

/** Where the chunks of an answer go (the streamed HTTP response). */
public interface ChunkSink {

  /** Writes one line; ignored once the client is gone. */
  void send(JsonObject chunk);

  /** False once the client disconnected. */
  boolean isOpen();

  /** Ends the stream, with a last {@code {"result": false, "message": ...}} line when {@code failure} is not null. */
  void end(String failure);
}
