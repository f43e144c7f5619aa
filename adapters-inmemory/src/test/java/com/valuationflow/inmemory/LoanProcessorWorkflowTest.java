package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.ResumeStrandedCallbacks;
import com.valuationflow.domain.usecase.ResumeStrandedCallbacks.Run;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loan-processor definition on the in-memory engine, through the domain's ports. */
class LoanProcessorWorkflowTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String FUNCTION = "request-valuation";
  private static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  private static final LoanApplication APPLICATION = LoanApplication.of("APP-1", "12", "PO1 1CE");
  private static final Duration HOUR = Duration.ofHours(1);

  private final WorkflowEngine engine =
      WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load(FUNCTION)))
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .secondLength(Duration.ofMillis(2))
          .stateMachineName("LoanProcessor")
          .build();
  private final InMemoryWorkflowStarter starter = new InMemoryWorkflowStarter(engine);
  private final InMemoryWorkflowResumer resumer = new InMemoryWorkflowResumer(engine);
  private final InMemoryWorkflowExecutions executions = new InMemoryWorkflowExecutions(engine);
  private final BlockingQueue<JsonNode> payloads = new LinkedBlockingQueue<>();

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void theValuationResumesTheWorkflowWhichSucceedsWithTheValuationAdded() throws Exception {
    engine.registerFunction(FUNCTION, payload -> capture(payload));

    assertThat(starter.start(new WorkflowInput(APPLICATION, HOUR))).isEqualTo(StartOutcome.STARTED);
    JsonNode payload = nextPayload();
    String input = new WorkflowInput(APPLICATION, HOUR).json();
    assertThat(payload.get("loanApplication")).isEqualTo(MAPPER.readTree(input));
    TaskToken token = TaskToken.of(payload.get("taskToken").textValue());

    ResumeOutcome outcome =
        resumer.succeed(token, ValuationResult.of("VAL-1", 250_000).toTaskOutput());

    assertThat(outcome).isEqualTo(ResumeOutcome.RESUMED);
    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(MAPPER.readTree(done.output().orElseThrow()))
        .isEqualTo(
            MAPPER.readTree(
                """
                {"applicationReference": "APP-1",
                 "property": {"nameOrNumber": "12", "postcode": "PO1 1CE"},
                 "valuationTimeoutSeconds": 3600,
                 "valuation": {"valuationReference": "VAL-1", "propertyValue": 250000}}
                """));
    assertThat(resumer.succeed(token, new TaskOutput("{}")))
        .isEqualTo(ResumeOutcome.TASK_TIMED_OUT);

    WorkflowExecution execution = executions.find(ApplicationReference.of("APP-1")).orElseThrow();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.input()).isEqualTo(input);
    assertThat(execution.output()).isEqualTo(done.output());
    assertThat(execution.startDate()).isEqualTo(NOW);
    assertThat(execution.stopDate()).contains(NOW);
    assertThat(execution.history().stream().map(HistoryEvent::type))
        .containsSubsequence(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded");
    assertThat(execution.history())
        .allSatisfy(
            event ->
                assertThat(event.details().values()).noneMatch(v -> v.contains(token.value())));
  }

  @Test
  void theUseCasesDriveTheWorkflowFromRequestToCallback() {
    InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(Clock.fixed(NOW, ZoneOffset.UTC));
    CompletableFuture<ValuationRequest> asked = new CompletableFuture<>();
    wireRequestValuation(
        request -> {
          asked.complete(request);
          return new Valuer.Accepted(ValuationReference.of("VAL-9"));
        },
        store);
    CompletableFuture<Void> submitted = eventSeen("APP-1", "TaskSubmitted");

    starter.start(new WorkflowInput(APPLICATION, HOUR));
    submitted.orTimeout(10, TimeUnit.SECONDS).join();
    CorrelationKey key = new CorrelationKey(asked.join().callbackUrl().getQuery().split("=")[1]);

    HandleValuationCallback.Outcome outcome =
        new HandleValuationCallback(store, resumer, Clock.fixed(NOW, ZoneOffset.UTC))
            .handle(key, ValuationResult.of("VAL-9", 310_000));

    assertThat(outcome).isEqualTo(HandleValuationCallback.Outcome.RESUMED);
    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output().orElseThrow()).contains("\"propertyValue\":310000");
    assertThat(done.history().get(4).type()).isEqualTo("TaskSubmitted");
    assertThat(done.history().get(4).details().get("output"))
        .contains("ValuationRequested", "VAL-9");
  }

  /**
   * The send resumes the workflow but recording it fails; the valuer's retry, once the callback is
   * stuck, gets TaskTimedOut from the engine, whose history shows the task succeeded with this
   * callback's output: resumed, not late.
   */
  @Test
  void aRetryAfterTheResumeWasNotRecordedIsResumedNotLate() {
    MutableClock clock = new MutableClock(NOW);
    TaskTokenStore store = new ForgetfulStore(new InMemoryTaskTokenStore(clock));
    CompletableFuture<ValuationRequest> asked = new CompletableFuture<>();
    wireRequestValuation(
        request -> {
          asked.complete(request);
          return new Valuer.Accepted(ValuationReference.of("VAL-7"));
        },
        store);
    CompletableFuture<Void> submitted = eventSeen("APP-1", "TaskSubmitted");
    starter.start(new WorkflowInput(APPLICATION, HOUR));
    submitted.orTimeout(10, TimeUnit.SECONDS).join();
    CorrelationKey key = new CorrelationKey(asked.join().callbackUrl().getQuery().split("=")[1]);
    HandleValuationCallback handleCallback = new HandleValuationCallback(store, resumer, clock);
    ValuationResult valuation = ValuationResult.of("VAL-7", 420_000);

    assertThatThrownBy(() -> handleCallback.handle(key, valuation))
        .hasMessageContaining("markResumed");
    assertThat(completion().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    clock.advance(HandleValuationCallback.STUCK_AFTER.plusSeconds(1));

    assertThat(handleCallback.handle(key, valuation))
        .isEqualTo(HandleValuationCallback.Outcome.RESUMED);
    assertThat(handleCallback.handle(key, valuation))
        .isEqualTo(HandleValuationCallback.Outcome.DUPLICATE);
  }

  /**
   * The process accepted the callback and died before resuming: the valuer, answered already, never
   * calls again. A run of ResumeStrandedCallbacks over the same store resumes the task, once.
   */
  @Test
  void aCallbackAcceptedButNeverAppliedIsAppliedWithoutTheValuer() {
    MutableClock clock = new MutableClock(NOW);
    InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(clock);
    CorrelationKey key = parkedAndReplied(store, "VAL-3");
    ValuationResult valuation = ValuationResult.of("VAL-3", 515_000);
    assertThat(store.acceptCallback(key, valuation).outcome())
        .isEqualTo(TaskTokenStore.CallbackOutcome.ACCEPTED);
    ResumeStrandedCallbacks resumeStranded =
        new ResumeStrandedCallbacks(store, resumer, clock, HandleValuationCallback.STUCK_AFTER);

    assertThat(resumeStranded.resumeAll()).as("not stranded yet").isEqualTo(new Run(0, 0, 0));
    clock.advance(HandleValuationCallback.STUCK_AFTER.plusSeconds(1));

    assertThat(resumeStranded.resumeAll()).isEqualTo(new Run(1, 0, 0));
    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output().orElseThrow()).contains("\"propertyValue\":515000");
    assertThat(done.eventTypes().stream().filter("TaskSucceeded"::equals)).hasSize(1);
    assertThat(resumeStranded.resumeAll()).as("nothing left").isEqualTo(new Run(0, 0, 0));
    assertThat(new HandleValuationCallback(store, resumer, clock).handle(key, valuation))
        .isEqualTo(HandleValuationCallback.Outcome.DUPLICATE);
  }

  /** The dead process had sent the answer, but not recorded it: the engine's history tells. */
  @Test
  void aStrandedCallbackWhoseSendWentThroughIsRecordedResumedNotLate() {
    MutableClock clock = new MutableClock(NOW);
    InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(clock);
    CorrelationKey key = parkedAndReplied(store, "VAL-4");
    ValuationResult valuation = ValuationResult.of("VAL-4", 99_000);
    ParkedTask accepted = store.acceptCallback(key, valuation).task().orElseThrow();
    assertThat(resumer.succeed(accepted.token(), valuation.toTaskOutput()))
        .isEqualTo(ResumeOutcome.RESUMED);
    clock.advance(HandleValuationCallback.STUCK_AFTER.plusSeconds(1));

    Run run =
        new ResumeStrandedCallbacks(store, resumer, clock, HandleValuationCallback.STUCK_AFTER)
            .resumeAll();

    assertThat(run).isEqualTo(new Run(1, 0, 0));
    assertThat(completion().eventTypes().stream().filter("TaskSucceeded"::equals)).hasSize(1);
    assertThat(new HandleValuationCallback(store, resumer, clock).handle(key, valuation))
        .isEqualTo(HandleValuationCallback.Outcome.DUPLICATE);
  }

  /** Several instances at once, each sure the callback is stranded: the task resumes once. */
  @Test
  void concurrentRunsResumeAStrandedCallbackOnce() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(clock);
    CorrelationKey key = parkedAndReplied(store, "VAL-6");
    store.acceptCallback(key, ValuationResult.of("VAL-6", 123_000));
    clock.advance(HandleValuationCallback.STUCK_AFTER.plusSeconds(1));
    List<CompletableFuture<Run>> runs = new java.util.ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < 8; i++) {
      ResumeStrandedCallbacks instance =
          new ResumeStrandedCallbacks(store, resumer, clock, HandleValuationCallback.STUCK_AFTER);
      runs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return instance.resumeAll();
              }));
    }
    start.countDown();

    List<Run> done = runs.stream().map(run -> run.orTimeout(10, TimeUnit.SECONDS).join()).toList();

    assertThat(done).allSatisfy(run -> assertThat(run.late() + run.failed()).isZero());
    assertThat(done.stream().mapToInt(Run::resumed).sum()).isPositive();
    ExecutionSnapshot snapshot = completion();
    assertThat(snapshot.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(snapshot.eventTypes().stream().filter("TaskSucceeded"::equals)).hasSize(1);
    assertThat(store.tokensHeld()).isZero();
  }

  /** APP-1 started, its token parked, the valuer's reply recorded; the key. */
  private CorrelationKey parkedAndReplied(TaskTokenStore store, String reference) {
    CompletableFuture<ValuationRequest> asked = new CompletableFuture<>();
    wireRequestValuation(
        request -> {
          asked.complete(request);
          return new Valuer.Accepted(ValuationReference.of(reference));
        },
        store);
    CompletableFuture<Void> submitted = eventSeen("APP-1", "TaskSubmitted");
    starter.start(new WorkflowInput(APPLICATION, HOUR));
    submitted.orTimeout(10, TimeUnit.SECONDS).join();
    return new CorrelationKey(asked.join().callbackUrl().getQuery().split("=")[1]);
  }

  @Test
  void aValuationThatDoesNotArriveInTimeTimesTheTaskOutAndTheHookExpiresTheToken() {
    // One ASL second lasts 20 ms, so the 10 s valuation timeout is 200 ms.
    WorkflowEngine slowEngine =
        WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load(FUNCTION)))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .secondLength(Duration.ofMillis(20))
            .build();
    try {
      InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(Clock.fixed(NOW, ZoneOffset.UTC));
      slowEngine.addTaskTokenListener(
          closed -> store.expire(ApplicationReference.of(closed.executionName()), closed.token()));
      InMemoryWorkflowResumer slowResumer = new InMemoryWorkflowResumer(slowEngine);
      CompletableFuture<ValuationRequest> asked = new CompletableFuture<>();
      slowEngine.registerFunction(
          FUNCTION,
          new RequestValuationTaskHandler(
              new RequestValuation(
                  request -> {
                    asked.complete(request);
                    return new Valuer.Accepted(ValuationReference.of("VAL-5"));
                  },
                  store,
                  slowResumer,
                  URI.create("https://loans.example/valuations"),
                  Clock.fixed(NOW, ZoneOffset.UTC))));

      new InMemoryWorkflowStarter(slowEngine)
          .start(new WorkflowInput(APPLICATION, Duration.ofSeconds(10)));
      CorrelationKey key =
          new CorrelationKey(
              asked.orTimeout(10, TimeUnit.SECONDS).join().callbackUrl().getQuery().split("=")[1]);
      ExecutionSnapshot done =
          slowEngine.awaitCompletion("APP-1").orTimeout(10, TimeUnit.SECONDS).join();

      assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(done.error()).contains("ValuationServiceTimedOut");
      assertThat(done.eventTypes()).contains("TaskTimedOut");
      assertThat(
              new HandleValuationCallback(store, slowResumer, Clock.fixed(NOW, ZoneOffset.UTC))
                  .handle(key, ValuationResult.of("VAL-5", 1)))
          .isEqualTo(HandleValuationCallback.Outcome.LATE);
    } finally {
      slowEngine.close();
    }
  }

  @Test
  void anUnavailableValuerFailsTheWorkflow() {
    wireRequestValuation(
        request -> new Valuer.Unavailable("connection refused"),
        new InMemoryTaskTokenStore(Clock.fixed(NOW, ZoneOffset.UTC)));

    starter.start(new WorkflowInput(APPLICATION, HOUR));

    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains(RequestValuation.VALUER_UNAVAILABLE);
    assertThat(done.cause()).contains("connection refused");
    WorkflowExecution execution = executions.find(ApplicationReference.of("APP-1")).orElseThrow();
    assertThat(execution.error()).contains(RequestValuation.VALUER_UNAVAILABLE);
  }

  @Test
  void anInputTheHandlerCannotReadFailsTheWorkflowWithInvalidLoanApplication() {
    wireRequestValuation(
        request -> new Valuer.Accepted(ValuationReference.of("VAL-1")),
        new InMemoryTaskTokenStore(Clock.fixed(NOW, ZoneOffset.UTC)));

    engine.start(
        "APP-2",
        "{\"applicationReference\": \"APP-2\", \"valuationTimeoutSeconds\": 60,"
            + " \"property\": {\"nameOrNumber\": \"1\", \"postcode\": \"?\"}}");

    ExecutionSnapshot done = engine.awaitCompletion("APP-2").orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(done.error()).contains(RequestValuationTaskHandler.INVALID_LOAN_APPLICATION);
    assertThat(done.cause()).contains("The valuation request could not read the loan application");
    assertThat(done.history())
        .as("the task's failure names the field")
        .anySatisfy(
            event -> {
              assertThat(event.type()).isEqualTo("TaskFailed");
              assertThat(event.details().get("cause"))
                  .contains("'loanApplication.property.postcode'");
            });
  }

  @Test
  void startingTheSameApplicationTwiceIsHarmlessButADifferentOneConflicts() {
    engine.registerFunction(FUNCTION, payload -> capture(payload));

    assertThat(starter.start(new WorkflowInput(APPLICATION, HOUR))).isEqualTo(StartOutcome.STARTED);
    assertThat(starter.start(new WorkflowInput(LoanApplication.of("APP-1", "12", "PO1 1CE"), HOUR)))
        .isEqualTo(StartOutcome.ALREADY_STARTED);
    assertThat(starter.start(new WorkflowInput(LoanApplication.of("APP-1", "14", "PO1 1CE"), HOUR)))
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
    assertThat(starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(2))))
        .as("the same application after the timeout setting changed")
        .isEqualTo(StartOutcome.ALREADY_STARTED);
  }

  @Test
  void theResumerAnswersForTokensItCannotUse() {
    engine.registerFunction(FUNCTION, payload -> capture(payload));
    starter.start(new WorkflowInput(APPLICATION, HOUR));
    TaskToken token = TaskToken.of(nextPayload().get("taskToken").textValue());

    assertThat(resumer.succeed(TaskToken.of("forged"), new TaskOutput("{}")))
        .isEqualTo(ResumeOutcome.INVALID_TOKEN);
    assertThatThrownBy(() -> resumer.succeed(token, new TaskOutput("not json")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(resumer.heartbeat(token)).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(resumer.fail(token, TaskFailure.of("ValuationRefused", "no access")))
        .isEqualTo(ResumeOutcome.RESUMED);
    ExecutionSnapshot done = completion();
    assertThat(done.error())
        .as("an error the definition does not know")
        .contains("ValuationServiceError");
    assertThat(done.history())
        .anySatisfy(
            event -> assertThat(event.details().get("error")).isEqualTo("ValuationRefused"));
  }

  @Test
  void findReportsNothingForAnUnknownApplication() {
    assertThat(executions.find(ApplicationReference.of("NOPE"))).isEmpty();
  }

  private void wireRequestValuation(Valuer valuer, TaskTokenStore store) {
    RequestValuation requestValuation =
        new RequestValuation(
            valuer,
            store,
            resumer,
            URI.create("https://loans.example/valuations"),
            Clock.fixed(NOW, ZoneOffset.UTC));
    engine.registerFunction(FUNCTION, new RequestValuationTaskHandler(requestValuation));
  }

  private CompletableFuture<Void> eventSeen(String execution, String type) {
    CompletableFuture<Void> seen = new CompletableFuture<>();
    engine.addHistoryListener(
        (name, event) -> {
          if (name.equals(execution) && event.type().equals(type)) {
            seen.complete(null);
          }
        });
    return seen;
  }

  private JsonNode capture(JsonNode payload) {
    payloads.add(payload);
    return MAPPER.createObjectNode();
  }

  private JsonNode nextPayload() {
    try {
      JsonNode payload = payloads.poll(10, TimeUnit.SECONDS);
      assertThat(payload).as("a payload within 10 s").isNotNull();
      return payload;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ExecutionSnapshot completion() {
    return engine.awaitCompletion("APP-1").orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** A store whose first {@code markResumed} fails, as when the write after the send is lost. */
  private static final class ForgetfulStore implements TaskTokenStore {
    private final TaskTokenStore store;
    private boolean failed;

    ForgetfulStore(TaskTokenStore store) {
      this.store = store;
    }

    @Override
    public CorrelationKey valuationKeyFor(
        ApplicationReference application, CorrelationKey proposed, Instant expiresAt) {
      return store.valuationKeyFor(application, proposed, expiresAt);
    }

    @Override
    public ParkOutcome park(ParkedTask task) {
      return store.park(task);
    }

    @Override
    public Optional<ParkedTask> waitingTask(CorrelationKey key) {
      return store.waitingTask(key);
    }

    @Override
    public Optional<ParkedTask> recordReference(CorrelationKey key, ValuationReference reference) {
      return store.recordReference(key, reference);
    }

    @Override
    public CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback) {
      return store.acceptCallback(key, callback);
    }

    @Override
    public void discardCallback(CorrelationKey key, ValuerCallback callback) {
      store.discardCallback(key, callback);
    }

    @Override
    public synchronized void markResumed(CorrelationKey key, TaskToken token) {
      if (!failed) {
        failed = true;
        throw new ServiceUnavailableException("markResumed lost", null);
      }
      store.markResumed(key, token);
    }

    @Override
    public void expire(CorrelationKey key, TaskToken token) {
      store.expire(key, token);
    }

    @Override
    public List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit) {
      return store.strandedCallbacks(acceptedBefore, limit);
    }
  }
}
