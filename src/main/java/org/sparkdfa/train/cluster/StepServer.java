package org.sparkdfa.train.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of a fit's epoch jobs on a cluster ({@link StreamSteps}): a plain socket
 * server on an ephemeral port of the driver's bind address
 * ({@code spark.driver.bindAddress}), advertised to the tasks as {@code spark.driver.host}.
 * Each accepted connection gets a thread that reads its {@link StepFrames#HELLO} — the fit's
 * random token, compared in constant time, the epoch and the partition — and then hands it to
 * the current epoch's {@link EpochLink}, which reads its shares on the same thread. A connection
 * with a wrong token, or for an epoch that is not the current one, is closed. Closing the server
 * closes every connection it accepted, so no thread of it outlives the fit.
 */
final class StepServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StepServer.class);

  private final ServerSocketChannel server;
  private final String host;
  private final byte[] token = new byte[StepFrames.TOKEN_BYTES];
  private final Set<SocketChannel> accepted = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile EpochLink current;
  private volatile boolean closed;

  private StepServer(ServerSocketChannel server, String host) {
    this.server = server;
    this.host = host;
    new SecureRandom().nextBytes(token);
    acceptor = new Thread(this::acceptLoop, "sparkdfa-step-server-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server bound to {@code bindAddress}, which tasks reach as {@code host}. */
  static StepServer open(String bindAddress, String host) {
    try {
      ServerSocketChannel s = ServerSocketChannel.open();
      try {
        s.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
      } catch (IOException e) {
        s.close();
        throw e;
      }
      return new StepServer(s, host);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the epoch jobs' step server on "
          + bindAddress + " (spark.driver.bindAddress / spark.driver.host): " + e, e);
    }
  }

  String host() {
    return host;
  }

  int port() {
    return server.socket().getLocalPort();
  }

  byte[] token() {
    return token.clone();
  }

  /** Connections from now on join {@code link} (null: none is taken). */
  void serve(EpochLink link) {
    current = link;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel ch = server.accept();
        ch.socket().setTcpNoDelay(true);
        accepted.add(ch);
        if (closed) ch.close(); // raced with close(): nothing may stay open
        Thread t = new Thread(() -> handle(ch), "sparkdfa-step-link");
        t.setDaemon(true);
        t.start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) LOG.warn("The epoch jobs' step server failed to accept a connection", e);
      }
    }
  }

  /** One connection's thread: its hello, then (through its epoch's link) its shares. */
  private void handle(SocketChannel ch) {
    try {
      StepFrames.Frame hello = StepFrames.read(ch, StepFrames.TOKEN_BYTES);
      EpochLink link = current;
      if (hello.kind() != StepFrames.HELLO || !MessageDigest.isEqual(token, hello.payload())) {
        LOG.warn("The epoch jobs' step server refused {}: not a task of this fit",
            StepFrames.peer(ch));
      } else if (link == null || !link.attach(hello.step(), hello.epoch(), ch)) {
        LOG.debug("a task of epoch {}, partition {} came after its epoch ended", hello.epoch(),
            hello.step());
      } else {
        link.readShares(hello.step(), ch);
      }
    } catch (IOException e) {
      LOG.debug("a step connection ended before its hello", e);
    } finally {
      close(ch);
    }
  }

  private void close(SocketChannel ch) {
    accepted.remove(ch);
    try {
      ch.close();
    } catch (IOException e) {
      LOG.debug("closing a step connection", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the step server", e);
    }
    for (SocketChannel ch : accepted) close(ch);
    try {
      acceptor.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
