package com.valuationflow.aws;

import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.Valuer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * A {@link Valuer} over HTTP with the JDK's client: {@code POST
 * {"property":{"nameOrNumber":"...","postcode":"..."},"callbackUrl":"..."}} with an {@code
 * Idempotency-Key} header to the valuer's URL, expecting a 2xx reply {@code
 * {"valuationReference":"..."}}.
 *
 * <p>Everything that keeps the valuer from taking the request (no connection, no complete reply
 * within the request timeout, an error status, a reply without a usable reference, or one larger
 * than {@value #MAX_REPLY_BYTES} bytes) is {@link Valuer.Unavailable}; it never throws for those.
 * Thread-safe; blocks the calling thread.
 */
public final class JdkHttpValuer implements Valuer {

  /** The largest reply read; a valuer's reply is a few hundred bytes. */
  public static final int MAX_REPLY_BYTES = 64 * 1024;

  private static final JsonNodeParser JSON =
      JsonNodeParser.builder().removeErrorLocations(true).build();

  private final HttpClient http;
  private final URI valuerUrl;
  private final Duration requestTimeout;

  /**
   * @param valuerUrl absolute {@code http} or {@code https} URL the requests are posted to
   * @param connectTimeout limit on opening a connection
   * @param requestTimeout limit on a whole request, from sending it to the end of the reply
   */
  public JdkHttpValuer(URI valuerUrl, Duration connectTimeout, Duration requestTimeout) {
    this.valuerUrl = requireHttpUrl(valuerUrl);
    requirePositive(connectTimeout, "connectTimeout");
    this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
    // Plain HTTP/1.1: no h2c upgrade attempt on cleartext connections, one request per call.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public ValuerReply requestValuation(ValuationRequest request) {
    Objects.requireNonNull(request, "'request' must not be null");
    HttpRequest post =
        HttpRequest.newBuilder(valuerUrl)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header(ValuationRequest.IDEMPOTENCY_KEY_HEADER, request.idempotencyKey().value())
            .POST(HttpRequest.BodyPublishers.ofString(request.json(), StandardCharsets.UTF_8))
            .build();
    CompletableFuture<HttpResponse<Optional<byte[]>>> reply =
        http.sendAsync(post, info -> replyBody(info.statusCode()));
    try {
      HttpResponse<Optional<byte[]>> response =
          reply.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return readReply(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      reply.cancel(true);
      Thread.currentThread().interrupt();
      return new Unavailable("interrupted while waiting for the valuer");
    } catch (TimeoutException e) {
      reply.cancel(true);
      return tooSlow();
    } catch (ExecutionException e) {
      return failed(e.getCause());
    }
  }

  /** The body of a 2xx reply, up to the limit; nothing for any other status. */
  private static BodySubscriber<Optional<byte[]>> replyBody(int status) {
    if (status / 100 != 2) {
      return BodySubscribers.replacing(Optional.empty());
    }
    return BodySubscribers.mapping(new LimitedBody(MAX_REPLY_BYTES), Optional::of);
  }

  private ValuerReply readReply(int status, Optional<byte[]> body) {
    if (status / 100 != 2) {
      return new Unavailable("valuer answered HTTP " + status);
    }
    byte[] bytes = body.orElse(new byte[0]);
    if (bytes.length == 0) {
      return new Unavailable("valuer reply is empty");
    }
    JsonNode reply;
    try {
      reply = JSON.parse(bytes);
    } catch (RuntimeException e) {
      return new Unavailable("valuer reply is not JSON");
    }
    if (reply == null || !reply.isObject()) {
      return new Unavailable("valuer reply is not a JSON object");
    }
    Optional<JsonNode> reference = reply.field("valuationReference");
    if (reference.isEmpty() || !reference.get().isString()) {
      return new Unavailable("valuer reply has no valuationReference");
    }
    try {
      return new Accepted(ValuationReference.of(reference.get().asString()));
    } catch (IllegalArgumentException e) {
      return new Unavailable("valuer reply has an unusable valuationReference: " + e.getMessage());
    }
  }

  private ValuerReply failed(Throwable cause) {
    if (causedBy(cause, HttpConnectTimeoutException.class)) {
      return new Unavailable(
          "valuer did not accept a connection at " + valuerUrl.getAuthority() + " in time");
    }
    if (causedBy(cause, HttpTimeoutException.class)) {
      return tooSlow();
    }
    if (causedBy(cause, ReplyTooLargeException.class)) {
      return new Unavailable("valuer reply is larger than " + MAX_REPLY_BYTES + " bytes");
    }
    // Our words only: an exception's own message may name its class, and the reason is the cause
    // the task fails with.
    if (causedBy(cause, ConnectException.class)) {
      return new Unavailable("valuer unreachable at " + valuerUrl.getAuthority());
    }
    return new Unavailable(
        "valuer at " + valuerUrl.getAuthority() + " broke off the request before replying");
  }

  private static boolean causedBy(Throwable throwable, Class<? extends Throwable> type) {
    for (Throwable t = throwable; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private ValuerReply tooSlow() {
    return new Unavailable("valuer did not answer within " + requestTimeout.toMillis() + " ms");
  }

  private static URI requireHttpUrl(URI url) {
    Objects.requireNonNull(url, "'valuerUrl' must not be null");
    if (!isHttpUrl(url)) {
      throw new IllegalArgumentException(
          "'valuerUrl' must be an absolute http(s) URL, was '" + url + "'");
    }
    return url;
  }

  static boolean isHttpUrl(URI url) {
    String scheme = url.getScheme();
    return url.isAbsolute()
        && url.getHost() != null
        && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
  }

  private static Duration requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, () -> "'" + name + "' must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + name + "' must be positive, was " + duration);
    }
    return duration;
  }

  /** Collects a body of at most {@code limit} bytes; a longer one fails the request. */
  private static final class LimitedBody implements BodySubscriber<byte[]> {

    private final BodySubscriber<byte[]> bytes = BodySubscribers.ofByteArray();
    private final int limit;
    private Flow.Subscription subscription;
    private long received;
    private boolean done;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return bytes.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      bytes.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (done) {
        return;
      }
      for (ByteBuffer item : items) {
        received += item.remaining();
      }
      if (received > limit) {
        done = true;
        subscription.cancel();
        bytes.onError(new ReplyTooLargeException());
        return;
      }
      bytes.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
      if (!done) {
        done = true;
        bytes.onError(throwable);
      }
    }

    @Override
    public void onComplete() {
      if (!done) {
        done = true;
        bytes.onComplete();
      }
    }
  }

  private static final class ReplyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    ReplyTooLargeException() {
      super("reply too large", null);
    }
  }
}
