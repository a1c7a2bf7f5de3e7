package ai.codvid.store;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import de.bwaldvogel.mongo.wire.message.ClientRequest;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.wire.message.MongoReply;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB wire protocol on 127.0.0.1 in front of a {@link StoreEngine}, in place of
 * mongo-java-server's own server so that:
 *
 * <ul>
 *   <li>a connection must authenticate (SCRAM-SHA-256) before anything but the handshake,
 *       {@code ping} and the SASL conversation; anything else answers {@code Unauthorized} (13);</li>
 *   <li>a write is answered only after the group commit that makes it durable, without holding
 *       the connection's thread, so writes that arrive together share one commit;</li>
 *   <li>two operator commands exist: {@code codvidStatus} (writable or not, and why) and
 *       {@code codvidBackup} (a consistent copy of the store, written by the node).</li>
 * </ul>
 */
final class WireServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WireServer.class);
  private static final AttributeKey<Boolean> AUTHENTICATED = AttributeKey.valueOf("codvid.store.authenticated");
  private static final AttributeKey<ScramSha256.Conversation> CONVERSATION = AttributeKey.valueOf("codvid.store.sasl");
  static final int UNAUTHORIZED = 13;
  static final int AUTHENTICATION_FAILED = 18;
  private static final Set<String> OPEN = Set.of("ismaster", "hello", "saslstart", "saslcontinue", "ping");
  private static final Set<String> READS = Set.of("find", "getmore", "count", "aggregate", "distinct", "ismaster", "hello",
      "ping", "buildinfo", "getlasterror", "getlog", "listcollections", "listdatabases", "listindexes", "serverstatus", "dbstats",
      "collstats", "whatsmyuri", "connectionstatus", "endsessions", "killcursors", "getparameter", "getcmdlineopts", "hostinfo",
      "getfreemonitoringstatus", "replsetgetstatus");

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ChannelGroup clients;
  private final Channel channel;

  private WireServer(EventLoopGroup boss, EventLoopGroup workers, ChannelGroup clients, Channel channel) {
    this.boss = boss;
    this.workers = workers;
    this.clients = clients;
    this.channel = channel;
  }

  static WireServer start(StoreEngine engine, ScramSha256 scram, int port) {
    EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("codvid-store-accept", true));
    EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory("codvid-store-io", true));
    ChannelGroup clients = new DefaultChannelGroup("codvid-store", workers.next());
    try {
      Channel channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 128)
          .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              clients.add(ch);
              ch.pipeline().addLast(new MongoWireReplyEncoder());
              ch.pipeline().addLast(new MongoWireMessageEncoder());
              ch.pipeline().addLast(new MongoWireProtocolHandler());
              ch.pipeline().addLast(new Handler(engine, scram));
              ch.pipeline().addLast(new MongoExceptionHandler());
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
      return new WireServer(boss, workers, clients, channel);
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("Cannot listen on 127.0.0.1:" + port + " for the embedded store: " + e.getMessage(), e);
    }
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    clients.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Handler extends SimpleChannelInboundHandler<ClientRequest> {
    private final StoreEngine engine;
    private final ScramSha256 scram;
    private final AtomicInteger ids = new AtomicInteger();

    Handler(StoreEngine engine, ScramSha256 scram) {
      this.engine = engine;
      this.scram = scram;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      try {
        engine.read(backend -> {
          backend.handleClose(ctx.channel());
          return null;
        });
      } catch (RuntimeException ignored) {
        // the store is closing
      }
      super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientRequest request) {
      Channel ch = ctx.channel();
      if (request instanceof MongoQuery query) {
        MessageHeader header = new MessageHeader(ids.incrementAndGet(), query.getHeader().getRequestID());
        Consumer<Document> send = d -> ch.writeAndFlush(new MongoReply(header, d));
        if (!query.getCollectionName().startsWith("$cmd")) {
          send.accept(error(new MongoServerError(UNAUTHORIZED, "Unauthorized", "legacy queries are not supported")));
          return;
        }
        Document document = query.getQuery();
        String command = document.keySet().iterator().next();
        if ("$query".equals(command)) {
          document = (Document) document.get("$query");
          command = document.keySet().iterator().next();
        }
        handle(ch, query.getDatabaseName(), command, document, send);
      } else if (request instanceof MongoMessage message) {
        MessageHeader header = new MessageHeader(ids.incrementAndGet(), message.getHeader().getRequestID());
        Consumer<Document> send = d -> ch.writeAndFlush(new MongoMessage(ch, header, d));
        Document document = message.getDocument();
        handle(ch, message.getDatabaseName(), document.keySet().iterator().next(), document, send);
      }
    }

    private void handle(Channel ch, String database, String command, Document document, Consumer<Document> send) {
      String name = command.toLowerCase(Locale.ROOT);
      try {
        if (!OPEN.contains(name) && !Boolean.TRUE.equals(ch.attr(AUTHENTICATED).get())) {
          throw new MongoServerError(UNAUTHORIZED, "Unauthorized", "command " + command + " requires authentication");
        }
        switch (name) {
          case "ping" -> send.accept(ok(new Document()));
          case "ismaster", "hello" -> send.accept(hello(ch, database, command, document));
          case "saslstart" -> send.accept(saslStart(ch, document));
          case "saslcontinue" -> send.accept(saslContinue(ch, document));
          case "codvidstatus" -> send.accept(status());
          case "codvidbackup" -> backup(document, send);
          default -> {
            if (isRead(name, document)) {
              send.accept(engine.read(backend -> backend.handleCommand(ch, database, command, document)));
            } else {
              engine.write(backend -> backend.handleCommand(ch, database, command, document),
                  (reply, failure) -> send.accept(failure == null ? reply : error(failure)));
            }
          }
        }
      } catch (RuntimeException e) {
        send.accept(error(e));
      }
    }

    private static boolean isRead(String name, Document document) {
      if (name.equals("aggregate")) {
        Object pipeline = document.get("pipeline");
        return !(pipeline instanceof List<?> stages) || stages.stream()
            .noneMatch(s -> s instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge")));
      }
      return READS.contains(name);
    }

    private Document hello(Channel ch, String database, String command, Document document) {
      Document reply = engine.read(backend -> backend.handleCommand(ch, database, "ismaster", document));
      if (document.containsKey("saslSupportedMechs")) {
        reply.put("saslSupportedMechs", List.of(ScramSha256.MECHANISM));
      }
      return reply;
    }

    private Document saslStart(Channel ch, Document document) {
      if (!ScramSha256.MECHANISM.equals(document.get("mechanism"))) {
        throw new MongoServerError(AUTHENTICATION_FAILED, "AuthenticationFailed", "only " + ScramSha256.MECHANISM + " is supported");
      }
      ScramSha256.Conversation conversation = scram.conversation();
      try {
        byte[] serverFirst = conversation.start(payload(document));
        ch.attr(CONVERSATION).set(conversation);
        return ok(new Document("conversationId", 1).append("done", false).append("payload", new BinData(serverFirst)));
      } catch (RuntimeException e) {
        throw authenticationFailed(ch, e);
      }
    }

    private Document saslContinue(Channel ch, Document document) {
      ScramSha256.Conversation conversation = ch.attr(CONVERSATION).get();
      if (conversation == null) {
        throw authenticationFailed(ch, new IllegalStateException("no conversation"));
      }
      if (conversation.proven()) {
        ch.attr(CONVERSATION).set(null);
        return ok(new Document("conversationId", 1).append("done", true).append("payload", new BinData(new byte[0])));
      }
      try {
        byte[] serverFinal = conversation.finish(payload(document));
        ch.attr(AUTHENTICATED).set(true);
        Object options = document.get("options");
        boolean skipEmpty = options instanceof Document o && Boolean.TRUE.equals(o.get("skipEmptyExchange"));
        if (skipEmpty) {
          ch.attr(CONVERSATION).set(null);
        }
        return ok(new Document("conversationId", 1).append("done", skipEmpty).append("payload", new BinData(serverFinal)));
      } catch (RuntimeException e) {
        ch.attr(CONVERSATION).set(null);
        throw authenticationFailed(ch, e);
      }
    }

    private static byte[] payload(Document document) {
      Object payload = document.get("payload");
      if (payload instanceof BinData bin) {
        return bin.getData();
      }
      if (payload instanceof byte[] bytes) {
        return bytes;
      }
      throw new IllegalArgumentException("no payload");
    }

    private static MongoServerError authenticationFailed(Channel ch, Exception cause) {
      LOG.warn("Refused a store connection from {}: authentication failed ({})", ch.remoteAddress(), cause.getMessage());
      return new MongoServerError(AUTHENTICATION_FAILED, "AuthenticationFailed", "Authentication failed.");
    }

    private Document status() {
      StoreStatus status = engine.status();
      return ok(new Document("writable", status.writable())
          .append("reason", status.reason())
          .append("fileBytes", status.fileBytes())
          .append("version", status.version())
          .append("freeBytes", status.freeBytes()));
    }

    private void backup(Document document, Consumer<Document> send) {
      Object path = document.get("path");
      if (!(path instanceof String target) || !Path.of(target).isAbsolute()) {
        throw new MongoServerError(2, "BadValue", "codvidBackup needs an absolute path");
      }
      Thread worker = new Thread(() -> {
        try {
          Path written = engine.backup(Path.of(target));
          send.accept(ok(new Document("path", written.toString()).append("bytes", StoreVerifier.size(written))));
        } catch (Exception e) {
          send.accept(error(new MongoServerError(8000, "BackupFailed", StoreVerifier.oneLine(e.getMessage()))));
        }
      }, "codvid-store-backup");
      worker.setDaemon(true);
      worker.start();
    }

    private static Document ok(Document reply) {
      reply.put("ok", 1.0);
      return reply;
    }

    private static Document error(Throwable failure) {
      MongoServerException e = failure instanceof MongoServerException m ? m
          : new MongoServerException("Unknown error: " + failure.getMessage(), failure);
      if (!(failure instanceof MongoServerException)) {
        LOG.error("Store command failed", failure);
      }
      Document reply = new Document();
      reply.put("$err", e.getMessageWithoutErrorCode());
      reply.put("errmsg", e.getMessageWithoutErrorCode());
      if (e instanceof MongoServerError error) {
        reply.put("code", error.getCode());
        if (error.getCodeName() != null) {
          reply.put("codeName", error.getCodeName());
        }
      }
      reply.put("ok", 0);
      return reply;
    }
  }
}
