package com.valuationflow.app.valuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.Valuer;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Valuer} over HTTP: {@code POST {"property":{...},"callbackUrl":"..."}} with an {@code
 * Idempotency-Key} header to the valuer's URL, expecting a 2xx reply {@code
 * {"valuationReference":"..."}}. Blocks the calling thread, so it must not be called on an event
 * loop.
 */
public final class HttpValuer implements Valuer {

  private final WebClient webClient;
  private final URI valuerUrl;
  private final Duration timeout;

  public HttpValuer(WebClient webClient, URI valuerUrl, Duration timeout) {
    this.webClient = webClient;
    this.valuerUrl = valuerUrl;
    this.timeout = timeout;
  }

  @Override
  public ValuerReply requestValuation(ValuationRequest request) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("HttpValuer blocks; call it on a worker thread");
    }
    HttpResponse<Buffer> response;
    try {
      response =
          webClient
              .postAbs(valuerUrl.toString())
              .timeout(timeout.toMillis())
              .putHeader("Content-Type", "application/json")
              .putHeader(ValuationRequest.IDEMPOTENCY_KEY_HEADER, request.idempotencyKey().value())
              .sendBuffer(Buffer.buffer(request.json()))
              .toCompletionStage()
              .toCompletableFuture()
              .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unavailable("interrupted while waiting for the valuer");
    } catch (ExecutionException e) {
      // Our words only: an exception's own message may name its class, and the reason is the
      // cause the task fails with.
      return new Unavailable(
          e.getCause() instanceof TimeoutException
              ? "valuer did not answer within " + timeout.toMillis() + " ms"
              : "valuer unreachable at " + valuerUrl.getAuthority());
    } catch (TimeoutException e) {
      return new Unavailable("valuer did not answer within " + timeout.toMillis() + " ms");
    }
    return readReply(response);
  }

  private static ValuerReply readReply(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 != 2) {
      return new Unavailable("valuer answered HTTP " + response.statusCode());
    }
    Buffer body = response.bodyAsBuffer();
    if (body == null || body.length() == 0) {
      return new Unavailable("valuer reply is empty");
    }
    try {
      JsonNode reference = Json.parse(body).path("valuationReference");
      if (!reference.isTextual()) {
        return new Unavailable("valuer reply has no valuationReference");
      }
      return new Accepted(ValuationReference.of(reference.textValue()));
    } catch (IOException e) {
      return new Unavailable("valuer reply is not JSON");
    } catch (InvalidValueException e) {
      return new Unavailable("valuer reply has an unusable valuationReference: " + e.getMessage());
    }
  }
}
