package com.valuationflow.infra.local.lambda;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A JDK HTTP server on a free port of 127.0.0.1, each exchange on its own daemon thread. */
final class LoopbackServer implements AutoCloseable {

  /**
   * The JDK server writes a response's headers and body apart; without TCP_NODELAY the body waits
   * for the client's delayed ACK, 40 ms on every answer. The JDK reads this property once, when the
   * JVM makes its first HttpServer: set it on the command line, or make a {@link LocalLambda}
   * before any other HttpServer.
   */
  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService threads;

  LoopbackServer(String name, HttpHandler handler) {
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, name);
              thread.setDaemon(true);
              return thread;
            });
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      threads.shutdown();
      throw new UncheckedIOException("Cannot start the " + name + " server", e);
    }
    server.setExecutor(threads);
    server.createContext("/", handler);
    server.start();
  }

  /** Sets {@link #NO_DELAY} unless it is set, by loading this class. */
  static void preferNoDelay() {}

  int port() {
    return server.getAddress().getPort();
  }

  /** Stops at once; exchanges still waiting (long polls) are interrupted. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
