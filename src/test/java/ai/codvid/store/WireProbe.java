package ai.codvid.store;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What any local process can try against the embedded store, with the JDK only (so it can run
 * as another OS user): read the credentials in the data directory, and send a hand-built
 * {@code find users} over the MongoDB wire protocol without authenticating.
 *
 * <p>Usage: {@code java ai.codvid.store.WireProbe <port> <data dir>}; prints
 * {@code credentials: readable|denied} and {@code find: ok|code <n>}.
 */
public final class WireProbe {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    String credentials;
    try {
      Files.readString(dir.resolve("store-credentials"));
      credentials = "readable";
    } catch (IOException e) {
      credentials = "denied";
    }
    System.out.println("credentials: " + credentials);
    System.out.println("find: " + find(port));
  }

  /** Sends {@code {find: "users", $db: "codvid"}} as OP_MSG; answers "ok" or "code N". */
  static String find(int port) throws IOException {
    byte[] body = document("find", "users", "$db", "codvid");
    ByteBuffer message = ByteBuffer.allocate(16 + 4 + 1 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    message.putInt(message.capacity()).putInt(1).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(body);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(message.array());
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] lengthBytes = new byte[4];
      in.readFully(lengthBytes);
      int length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
      byte[] rest = new byte[length - 4];
      in.readFully(rest);
      ByteBuffer reply = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
      reply.position(12 + 4 + 1);
      return summary(reply);
    }
  }

  private static byte[] document(String... pairs) {
    ByteBuffer doc = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    doc.putInt(0);
    for (int i = 0; i < pairs.length; i += 2) {
      byte[] value = pairs[i + 1].getBytes(StandardCharsets.UTF_8);
      doc.put((byte) 0x02).put(pairs[i].getBytes(StandardCharsets.UTF_8)).put((byte) 0).putInt(value.length + 1).put(value).put((byte) 0);
    }
    doc.put((byte) 0);
    doc.putInt(0, doc.position());
    byte[] bytes = new byte[doc.position()];
    doc.flip();
    doc.get(bytes);
    return bytes;
  }

  /** Reads the top-level "ok" and "code" of a BSON document. */
  private static String summary(ByteBuffer doc) {
    int start = doc.position();
    int end = start + doc.getInt();
    double ok = -1;
    Integer code = null;
    while (doc.position() < end - 1) {
      byte type = doc.get();
      StringBuilder name = new StringBuilder();
      for (byte b; (b = doc.get()) != 0; ) {
        name.append((char) b);
      }
      switch (type) {
        case 0x01 -> {
          double v = doc.getDouble();
          if (name.toString().equals("ok")) {
            ok = v;
          }
        }
        case 0x10 -> {
          int v = doc.getInt();
          if (name.toString().equals("code")) {
            code = v;
          } else if (name.toString().equals("ok")) {
            ok = v;
          }
        }
        case 0x12, 0x09, 0x11 -> doc.getLong();
        case 0x08 -> doc.get();
        case 0x02 -> {
          int length = doc.getInt();
          doc.position(doc.position() + length);
        }
        case 0x03, 0x04 -> doc.position(doc.position() + doc.getInt(doc.position()));
        case 0x05 -> {
          int length = doc.getInt();
          doc.position(doc.position() + length + 1);
        }
        case 0x0A -> { }
        default -> throw new IllegalStateException("unexpected BSON type " + type);
      }
    }
    return ok == 1 ? "ok" : "code " + code;
  }

  private WireProbe() {
  }
}
