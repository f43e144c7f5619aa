package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In memory, more submissions than the valuer can take: once the valuation requests waiting for one
 * of the engine's workers have waited longer than a second, a new submission is refused at once,
 * {@code 503} with {@code Retry-After}, and starts nothing; the applications started go on, and
 * once the valuer catches up submissions are taken again.
 */
@ExtendWith(VertxExtension.class)
class EngineBacklogEndToEndTest {

  private static final int WORKERS = WorkflowEngine.DEFAULT_MAX_CONCURRENT_INVOCATIONS;

  private final Promise<Void> valuerCatchesUp = Promise.promise();
  private ScriptedValuer valuer;
  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    valuer = ScriptedValuer.start(vertx).beforeAnswering(request -> valuerCatchesUp.future());
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                .withValuerUrl(valuer.url()));
  }

  @AfterEach
  void stop() {
    valuerCatchesUp.tryComplete();
    app.close();
    valuer.close();
  }

  @Test
  void submissionsBeyondWhatTheValuerTakesAreRefusedAtOnceAndTakenAgainOnceItCatchesUp()
      throws Exception {
    for (int i = 0; i < WORKERS + 5; i++) {
      assertThat(submit("app-" + i).status()).isEqualTo(202);
    }
    TimeUnit.MILLISECONDS.sleep(WorkflowEngine.DEFAULT_MAX_INVOCATION_WAIT.toMillis() + 300);
    assertThat(valuer.requestCount()).as("requests the valuer holds").isEqualTo(WORKERS);

    RunningApp.Response refused = submit("refused");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.headers().get("Retry-After")).isEqualTo("1");
    assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().path("type").asText()).endsWith("/problems/service-unavailable");
    assertThat(app.get("/loan-applications/refused").status()).as("nothing started").isEqualTo(404);
    assertThat(submit("app-0").status())
        .as("a repeat of a started application is answered as ever")
        .isEqualTo(202);

    valuerCatchesUp.complete();
    awaitValuationRequested("app-" + (WORKERS + 4));
    assertThat(submit("refused").status()).isEqualTo(202);
    awaitValuationRequested("refused");
    assertThat(valuer.requestCount()).isEqualTo(WORKERS + 6);
  }

  private void awaitValuationRequested(String reference) {
    app.awaitApplication(
        reference,
        status -> status.equals("RUNNING"),
        execution -> execution.toString().contains("TaskSubmitted"));
  }

  private RunningApp.Response submit(String reference) {
    return app.post(
        "/loan-applications",
        "{\"applicationReference\":\""
            + reference
            + "\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}");
  }
}
