package com.valuationflow.app.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The app's HTTP servers: one per event loop wanted (by default one per core), all on one port and
 * one request handler, Vert.x spreading the connections over them, so that requests are parsed and
 * answered on every core rather than on one. The handler, and everything it reaches, must be safe
 * to call from several event loops at once.
 */
public final class HttpServers {

  /** Tries with another free port when one picked for port 0 was taken meanwhile. */
  private static final int FREE_PORT_ATTEMPTS = 3;

  private final List<HttpServer> servers;

  private HttpServers(List<HttpServer> servers) {
    this.servers = List.copyOf(servers);
  }

  /** One server per available processor. */
  public static int defaultInstances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Listens on the port ({@code 0}: a free one, the same for every instance) with {@code instances}
   * servers, each on an event loop of its own.
   */
  public static Future<HttpServers> listen(
      Vertx vertx,
      int port,
      int instances,
      Handler<HttpServerRequest> handler,
      Handler<HttpServerRequest> invalidRequestHandler) {
    return listen(vertx, new HttpServerOptions(), port, instances, handler, invalidRequestHandler);
  }

  /** As {@link #listen(Vertx, int, int, Handler, Handler)}, each server with these options. */
  public static Future<HttpServers> listen(
      Vertx vertx,
      HttpServerOptions options,
      int port,
      int instances,
      Handler<HttpServerRequest> handler,
      Handler<HttpServerRequest> invalidRequestHandler) {
    if (instances == 1) {
      return vertx
          .createHttpServer(options)
          .requestHandler(handler)
          .invalidRequestHandler(invalidRequestHandler)
          .listen(port)
          .map(server -> new HttpServers(List.of(server)));
    }
    return listen(
        vertx, options, port, instances, handler, invalidRequestHandler, FREE_PORT_ATTEMPTS);
  }

  private static Future<HttpServers> listen(
      Vertx vertx,
      HttpServerOptions options,
      int port,
      int instances,
      Handler<HttpServerRequest> handler,
      Handler<HttpServerRequest> invalidRequestHandler,
      int attempts) {
    // Vert.x shares a port between servers that ask for the same one; port 0 would give each its
    // own, so a free port is picked first.
    int actual = port == 0 ? freePort() : port;
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> new ServerVerticle(options, actual, handler, invalidRequestHandler, servers),
            new DeploymentOptions().setInstances(instances))
        .map(deployment -> new HttpServers(servers))
        .recover(
            failure ->
                port == 0 && attempts > 1 && isBindFailure(failure)
                    ? listen(
                        vertx,
                        options,
                        port,
                        instances,
                        handler,
                        invalidRequestHandler,
                        attempts - 1)
                    : Future.failedFuture(failure));
  }

  private static boolean isBindFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int actualPort() {
    return servers.get(0).actualPort();
  }

  /** Shuts every server down: see {@link HttpServer#shutdown(Duration)}. */
  public Future<Void> shutdown(Duration timeout) {
    return Future.all(servers.stream().map(server -> server.shutdown(timeout)).toList()).mapEmpty();
  }

  /** Closes every server at once. */
  public Future<Void> close() {
    return Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty();
  }

  /** One server on the event loop of its own deployment instance. */
  private static final class ServerVerticle extends VerticleBase {

    private final HttpServerOptions options;
    private final int port;
    private final Handler<HttpServerRequest> handler;
    private final Handler<HttpServerRequest> invalidRequestHandler;
    private final List<HttpServer> servers;

    ServerVerticle(
        HttpServerOptions options,
        int port,
        Handler<HttpServerRequest> handler,
        Handler<HttpServerRequest> invalidRequestHandler,
        List<HttpServer> servers) {
      this.options = options;
      this.port = port;
      this.handler = handler;
      this.invalidRequestHandler = invalidRequestHandler;
      this.servers = servers;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer(options)
          .requestHandler(handler)
          .invalidRequestHandler(invalidRequestHandler)
          .listen(port)
          .onSuccess(servers::add);
    }
  }
}
