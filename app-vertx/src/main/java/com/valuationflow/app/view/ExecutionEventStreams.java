package com.valuationflow.app.view;

import com.valuationflow.app.http.Json;
import com.valuationflow.app.http.Problem;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.port.WorkflowExecutions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An execution's history as Server-Sent Events: each history event once, in order, its SSE id the
 * history event's id, from after the {@code Last-Event-ID} header (a reconnecting browser sends it)
 * or the {@code lastEventId} query parameter (the page's first connection). The history is polled
 * through the port, the same in memory and on Step Functions; an {@code end} event closes the
 * stream once the execution has stopped. Streams are bounded in number and all closed when the app
 * begins to stop, so that none holds up the drain.
 */
final class ExecutionEventStreams {

  /** How long a browser waits before it reconnects, in milliseconds. */
  static final int RETRY_MILLIS = 1000;

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final WorkflowExecutions executions;
  private final Duration pollInterval;
  private final int maxStreams;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ExecutionEventStreams(
      Vertx vertx, WorkflowExecutions executions, Duration pollInterval, int maxStreams) {
    this.vertx = vertx;
    this.executions = executions;
    this.pollInterval = pollInterval;
    this.maxStreams = maxStreams;
  }

  void handle(RoutingContext ctx, ApplicationReference reference) {
    if (closed || open.size() >= maxStreams) {
      ctx.response().putHeader("Retry-After", "5");
      Problem.of(503, "too-many-streams", "Too many streams", "Try again in a moment").send(ctx);
      return;
    }
    long after =
        lastEventId(ctx.request().getHeader("Last-Event-ID"))
            .or(() -> lastEventId(ctx.request().getParam("lastEventId")))
            .orElse(0L);
    HttpServerResponse response =
        ctx.response()
            .setChunked(true)
            .putHeader("Content-Type", "text/event-stream; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .putHeader("X-Accel-Buffering", "no");
    Stream stream = new Stream(reference, response, after, vertx.getOrCreateContext());
    open.add(stream);
    // Not the response's close handler: the router's own, which ends the request, must stay.
    ctx.addEndHandler(ended -> stream.close());
    response.write("retry: " + RETRY_MILLIS + "\n\n");
    stream.poll();
  }

  /** Ends every stream; browsers reconnect, to this app or another instance. */
  void closeAll() {
    closed = true;
    open.forEach(stream -> stream.context.runOnContext(ignored -> stream.end()));
  }

  int openStreams() {
    return open.size();
  }

  private static Optional<Long> lastEventId(String text) {
    if (text == null || !text.strip().matches("\\d{1,18}")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text.strip()));
  }

  /** One browser's stream, driven on its connection's event loop. */
  private final class Stream {
    private final ApplicationReference reference;
    private final HttpServerResponse response;
    private final Context context;
    private long lastSent;
    private long timer = -1;
    private long quietSince = System.nanoTime();
    private boolean polling;
    private boolean ended;

    Stream(
        ApplicationReference reference,
        HttpServerResponse response,
        long lastSent,
        Context context) {
      this.reference = reference;
      this.response = response;
      this.lastSent = lastSent;
      this.context = context;
    }

    void poll() {
      if (ended || polling) {
        return;
      }
      polling = true;
      vertx
          .executeBlocking(() -> executions.find(reference), false)
          .onComplete(
              found -> {
                polling = false;
                if (ended) {
                  return;
                }
                if (found.failed()) {
                  schedule();
                  return;
                }
                Optional<WorkflowExecution> execution = found.result();
                if (execution.isEmpty()) {
                  send("gone", null, "{}");
                  end();
                  return;
                }
                deliver(execution.get());
              });
    }

    private void deliver(WorkflowExecution execution) {
      for (HistoryEvent event : execution.history()) {
        if (event.id() > lastSent) {
          send("history", event.id(), Json.toBuffer(view(event)).toString());
          lastSent = event.id();
        }
      }
      if (execution.status().isTerminal()) {
        send("end", null, "{\"status\":\"" + execution.status().name() + "\"}");
        end();
        return;
      }
      if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
        write(": keep-alive\n\n");
      }
      schedule();
    }

    private void schedule() {
      timer = vertx.setTimer(Math.max(1, pollInterval.toMillis()), fired -> poll());
    }

    private void send(String type, Long id, String data) {
      StringBuilder message = new StringBuilder();
      if (id != null) {
        message.append("id: ").append(id).append('\n');
      }
      message.append("event: ").append(type).append('\n').append("data: ").append(data);
      write(message.append("\n\n").toString());
    }

    private void write(String text) {
      quietSince = System.nanoTime();
      if (!response.closed() && !response.ended()) {
        response.write(text);
      }
    }

    void end() {
      close();
      if (!response.closed() && !response.ended()) {
        response.end();
      }
    }

    void close() {
      ended = true;
      open.remove(this);
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }

  static Map<String, Object> view(HistoryEvent event) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", event.id());
    view.put("previousEventId", event.previousEventId());
    view.put("timestamp", event.timestamp().toString());
    view.put("time", Texts.time(event.timestamp()));
    view.put("type", event.type());
    Map<String, String> details = new TreeMap<>();
    event.details().forEach((key, value) -> details.put(key, Texts.pretty(value)));
    view.put("details", details);
    return view;
  }
}
