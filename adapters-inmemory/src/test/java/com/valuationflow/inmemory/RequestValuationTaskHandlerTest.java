package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestValuationTaskHandlerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "vfwt1.secret-token-value-0123456789abcdefghijklmnopq";
  private static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");

  private final FakeValuer valuer = new FakeValuer();
  private final FakeTaskTokenStore store = new FakeTaskTokenStore();
  private final RecordingResumer resumer = new RecordingResumer();
  private final RequestValuationTaskHandler handler =
      new RequestValuationTaskHandler(
          new RequestValuation(
              valuer,
              store,
              resumer,
              URI.create("https://loans.example/valuations"),
              Clock.fixed(NOW, ZoneOffset.UTC)));

  @Test
  void parksTheTokenThenAsksTheValuer() {
    valuer.reply = new Valuer.Accepted(ValuationReference.of("VAL-77"));

    JsonNode result = handler.invoke(payload(TOKEN, "APP-1", "12", "PO1 1CE", 3600));

    assertThat(result)
        .isEqualTo(json("{\"outcome\":\"ValuationRequested\",\"valuationReference\":\"VAL-77\"}"));
    CorrelationKey key = store.parked.keySet().iterator().next();
    assertThat(valuer.requests)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.property().postcode()).isEqualTo("PO1 1CE");
              assertThat(request.callbackUrl().getQuery())
                  .isEqualTo("correlationId=" + key.value());
            });
    ParkedTask parked = store.parked.get(key);
    assertThat(parked.token()).isEqualTo(TaskToken.of(TOKEN));
    assertThat(parked.applicationReference().value()).isEqualTo("APP-1");
    assertThat(parked.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(parked.valuationReference()).contains(ValuationReference.of("VAL-77"));
    assertThat(resumer.failures).isEmpty();
  }

  @Test
  void whenTheValuerIsUnavailableTheUseCaseFailsTheTask() {
    valuer.reply = new Valuer.Unavailable("503 from valuer");

    JsonNode result = handler.invoke(payload(TOKEN, "APP-1", "12", "PO1 1CE", 3600));

    assertThat(result)
        .isEqualTo(json("{\"outcome\":\"ValuerUnavailable\",\"reason\":\"503 from valuer\"}"));
    assertThat(resumer.failures)
        .containsExactly(TaskFailure.of("ValuerUnavailable", "503 from valuer"));
  }

  @Test
  void aTaskDeliveredTwiceIsRequestedOnce() {
    JsonNode payload = payload(TOKEN, "APP-1", "12", "PO1 1CE", 3600);
    handler.invoke(payload);

    assertThat(handler.invoke(payload).get("outcome").textValue()).isEqualTo("AlreadyRequested");
    assertThat(valuer.requests).hasSize(1);
  }

  static Stream<Arguments> invalidPayloads() {
    return Stream.of(
        Arguments.of(json("[]"), "'payload' must be a JSON object"),
        Arguments.of(json("{\"taskToken\": \"t\"}"), "'loanApplication' must be a JSON object"),
        Arguments.of(
            json("{\"taskToken\": \"t\", \"loanApplication\": {\"applicationReference\": \"A\"}}"),
            "'loanApplication.property' must be a JSON object"),
        Arguments.of(payload(null, "APP-1", "12", "PO1 1CE", 60), "'taskToken' is missing"),
        Arguments.of(payload("  ", "APP-1", "12", "PO1 1CE", 60), "'taskToken' must not be blank"),
        Arguments.of(
            payload(TOKEN, null, "12", "PO1 1CE", 60),
            "'loanApplication.applicationReference' is missing"),
        Arguments.of(
            payload(TOKEN, "has spaces", "12", "PO1 1CE", 60),
            "'loanApplication.applicationReference' must be 1 to 80 letters"),
        Arguments.of(
            payload(TOKEN, "APP-1", null, "PO1 1CE", 60),
            "'loanApplication.property.nameOrNumber' is missing"),
        Arguments.of(
            payload(TOKEN, "APP-1", "12", "nowhere", 60),
            "'loanApplication.property.postcode' must be a UK postcode"),
        Arguments.of(
            payload(TOKEN, "APP-1", "12", "PO1 1CE", null),
            "'loanApplication.valuationTimeoutSeconds' is missing"),
        Arguments.of(
            payload(TOKEN, "APP-1", "12", "PO1 1CE", 0),
            "'loanApplication.valuationTimeoutSeconds' must be a positive whole number of seconds"),
        Arguments.of(
            json(
                "{\"taskToken\": 7, \"loanApplication\": {\"applicationReference\": \"A\","
                    + " \"valuationTimeoutSeconds\": 60,"
                    + " \"property\": {\"nameOrNumber\": \"1\", \"postcode\": \"PO1 1CE\"}}}"),
            "'taskToken' must be a string"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidPayloads")
  void anInvalidPayloadFailsTheTaskNamingTheField(JsonNode payload, String cause) {
    TaskFailedException failure =
        catchThrowableOfType(TaskFailedException.class, () -> handler.invoke(payload));

    assertThat(failure.error()).isEqualTo("InvalidLoanApplication");
    assertThat(failure.errorCause()).contains(cause).doesNotContain(TOKEN);
    assertThat(valuer.requests).isEmpty();
    assertThat(store.parked).isEmpty();
  }

  private static JsonNode payload(
      String token, String reference, String nameOrNumber, String postcode, Integer timeout) {
    ObjectNode payload = MAPPER.createObjectNode();
    payload.put("taskToken", token);
    ObjectNode application = payload.putObject("loanApplication");
    application.put("applicationReference", reference);
    application.putObject("property").put("nameOrNumber", nameOrNumber).put("postcode", postcode);
    application.put("valuationTimeoutSeconds", timeout);
    return payload;
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final class FakeValuer implements Valuer {
    Valuer.ValuerReply reply = new Valuer.Accepted(ValuationReference.of("VAL-1"));
    final List<ValuationRequest> requests = new ArrayList<>();

    @Override
    public ValuerReply requestValuation(ValuationRequest request) {
      requests.add(request);
      return reply;
    }
  }

  /** Parks and records references; no callbacks arrive in these tests. */
  private static final class FakeTaskTokenStore implements TaskTokenStore {
    final Map<CorrelationKey, ParkedTask> parked = new HashMap<>();
    final Map<ApplicationReference, CorrelationKey> keys = new HashMap<>();

    @Override
    public CorrelationKey valuationKeyFor(
        ApplicationReference application, CorrelationKey proposed, Instant expiresAt) {
      return keys.computeIfAbsent(application, a -> proposed);
    }

    @Override
    public Optional<ParkedTask> waitingTask(CorrelationKey key) {
      return Optional.ofNullable(parked.get(key));
    }

    @Override
    public ParkOutcome park(ParkedTask task) {
      return parked.putIfAbsent(task.key(), task) == null
          ? ParkOutcome.PARKED
          : ParkOutcome.KEY_ALREADY_IN_USE;
    }

    @Override
    public Optional<ParkedTask> recordReference(CorrelationKey key, ValuationReference reference) {
      return Optional.ofNullable(
          parked.computeIfPresent(key, (k, task) -> task.withValuationReference(reference)));
    }

    @Override
    public CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback) {
      return CallbackResult.of(CallbackOutcome.UNKNOWN);
    }

    @Override
    public void discardCallback(CorrelationKey key, ValuerCallback callback) {}

    @Override
    public void markResumed(CorrelationKey key, TaskToken token) {}

    @Override
    public void expire(CorrelationKey key, TaskToken token) {}

    @Override
    public List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit) {
      return List.of();
    }
  }

  private static final class RecordingResumer implements WorkflowResumer {
    final List<TaskFailure> failures = new ArrayList<>();

    @Override
    public ResumeOutcome succeed(TaskToken token, TaskOutput output) {
      return ResumeOutcome.RESUMED;
    }

    @Override
    public ResumeOutcome fail(TaskToken token, TaskFailure failure) {
      failures.add(failure);
      return ResumeOutcome.RESUMED;
    }

    @Override
    public ResumeOutcome heartbeat(TaskToken token) {
      return ResumeOutcome.RESUMED;
    }

    @Override
    public TaskClosure closureOf(
        ApplicationReference application, TaskToken token, TaskAnswer answer) {
      return TaskClosure.OTHERWISE;
    }
  }
}
