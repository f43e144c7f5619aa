package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Executions AWS Step Functions recorded, with their event histories (base states, error handling,
 * callbacks, timeouts and heartbeats, the context object, Parallel and Map, Retry and Catch) or,
 * for the timestamp Choice operators, their outputs: each runs in the engine and must end as AWS's
 * did, with the same output, error and cause and the same sequence of history event types. Lambda
 * functions the recordings invoked are played by stand-ins that behave as theirs did; SQS and SNS
 * {@code .waitForTaskToken} tasks become Lambda ones, and what the recording shows the outside
 * world sent to the task ({@code SendTaskSuccess}, {@code SendTaskFailure}, or nothing) is sent
 * again. Values AWS's recordings mask ({@code <uuid:1>}, ARNs, Lambda's stack traces) match any
 * value. See {@code conformance/NOTICE}.
 */
class AwsRecordedScenariosTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String RESOURCE = "/conformance/aws-recorded-scenarios.json";
  private static final Duration SECOND = Duration.ofMillis(20);
  private static final Map<String, int[]> RESULTS = new TreeMap<>();
  private static final ExecutorService CALLERS = Executors.newCachedThreadPool();
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]+>");

  /** Values LocalStack's snapshot transformers put in place of recorded ones. */
  private static final java.util.Set<String> MASKED =
      java.util.Set.of(
          "date", "start-time", "entered-time", "timestamp", "snf_role_arn", "sqs_queue_url");

  record Case(String id, String category, JsonNode json) {
    @Override
    public String toString() {
      return id;
    }
  }

  static Stream<Case> cases() {
    try (InputStream in = AwsRecordedScenariosTest.class.getResourceAsStream(RESOURCE)) {
      JsonNode root = MAPPER.readTree(in);
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : root.get("cases")) {
        cases.add(new Case(c.get("id").textValue(), c.get("category").textValue(), c));
      }
      return cases.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void runsAsAwsRecorded(Case c) throws Exception {
    boolean passed = false;
    try {
      check(c.json());
      passed = true;
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(c.id() + ": " + e.getMessage(), e);
    } finally {
      synchronized (RESULTS) {
        int[] counts = RESULTS.computeIfAbsent(c.category(), k -> new int[2]);
        counts[passed ? 0 : 1]++;
      }
    }
  }

  @AfterAll
  static void report() {
    CALLERS.shutdownNow();
    RESULTS.forEach(
        (category, counts) ->
            System.out.printf(
                "AWS-recorded %s: %d of %d pass%n", category, counts[0], counts[0] + counts[1]));
  }

  private static void check(JsonNode c) throws Exception {
    JsonNode aws = c.get("aws");
    try (WorkflowEngine engine =
        WorkflowEngine.builder(
                StateMachineDefinition.parse(MAPPER.writeValueAsString(c.get("definition"))))
            .secondLength(SECOND)
            .region("us-east-1")
            .accountId("111111111111")
            .build()) {
      if (c.has("function")) {
        TaskHandler handler = function(c.get("function").textValue());
        for (String name :
            List.of(
                "lambda_function_name",
                "<lambda_function_name>",
                "lambda_function_1_name",
                "<lambda_function_1_name>")) {
          engine.registerFunction(name, handler);
        }
      }
      if (c.has("callbacks")) {
        Iterator<JsonNode> script = c.get("callbacks").iterator();
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        engine.registerFunction(
            "queue",
            payload -> {
              String token = findToken(payload);
              if (token != null) {
                tokens.add(token);
              }
              return JsonNodeFactory.instance
                  .objectNode()
                  .put("MessageId", UUID.randomUUID().toString());
            });
        engine.addHistoryListener(
            (execution, event) -> {
              if (event.type().equals("TaskSubmitted")) {
                String token = tokens.poll();
                JsonNode action;
                synchronized (script) {
                  action = script.hasNext() ? script.next() : null;
                }
                if (token != null && action != null) {
                  CALLERS.execute(() -> send(engine, TaskToken.of(token), action));
                }
              }
            });
      }
      engine.start("case", MAPPER.writeValueAsString(c.get("input")));
      ExecutionSnapshot result =
          engine.awaitCompletion("case").orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(result.status().name()).as("status").isEqualTo(aws.get("status").textValue());
      if (aws.has("output")) {
        assertMatches("output", aws.get("output"), result.output().orElse(null));
      }
      if (aws.has("error")) {
        assertThat(result.error().orElse(null)).as("error").isEqualTo(aws.get("error").textValue());
      }
      if (aws.has("cause")) {
        assertMatches("cause", aws.get("cause"), result.cause().orElse(null));
      } else if (result.status().name().equals("FAILED")) {
        assertThat(result.cause()).as("cause").isEmpty();
      }
      if (aws.has("events")) {
        assertEvents(aws, result.history());
      }
    }
  }

  private static void send(WorkflowEngine engine, TaskToken token, JsonNode action) {
    switch (action.get("send").textValue()) {
      case "success" -> {
        JsonNode output = action.get("output");
        engine.sendTaskSuccess(token, output.isTextual() ? output.textValue() : output.toString());
      }
      case "failure" ->
          engine.sendTaskFailure(
              token,
              action.path("error").isTextual() ? action.get("error").textValue() : null,
              action.path("cause").isTextual() ? action.get("cause").textValue() : null);
      default -> {}
    }
  }

  private static String findToken(JsonNode payload) {
    if (payload.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().toLowerCase().contains("token") && field.getValue().isTextual()) {
          return field.getValue().textValue();
        }
        String inner = findToken(field.getValue());
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  /** Stand-ins for the Lambda functions the recordings invoked. */
  private static TaskHandler function(String behaviour) {
    return switch (behaviour) {
      case "id" -> payload -> payload;
      case "echo" -> payload -> JsonNodeFactory.instance.objectNode().put("Return", "HelloWorld");
      case "raise_exception" ->
          payload -> {
            throw lambdaError("Exception", "Some exception was raised.");
          };
      case "raise_custom_exception" ->
          payload -> {
            throw lambdaError("CustomException", "");
          };
      case "large_output_string" ->
          payload -> JsonNodeFactory.instance.textNode("a".repeat(257 * 1024));
      case "wait_60_seconds" ->
          payload -> {
            try {
              Thread.sleep(SECOND.toMillis() * 60 * 10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return payload;
          };
      default -> throw new IllegalArgumentException("No stand-in for " + behaviour);
    };
  }

  private static TaskFailedException lambdaError(String type, String message) {
    ObjectNode cause = JsonNodeFactory.instance.objectNode();
    cause.put("errorMessage", message);
    cause.put("errorType", type);
    cause.put("requestId", UUID.randomUUID().toString());
    cause.putArray("stackTrace");
    return new TaskFailedException(type, cause.toString());
  }

  private static void assertEvents(JsonNode aws, List<HistoryEvent> history) {
    List<String> expected = new ArrayList<>();
    aws.get("events").forEach(type -> expected.add(type.textValue()));
    List<String> actual = new ArrayList<>(history.stream().map(HistoryEvent::type).toList());
    if (!expected.contains("ParallelStateSucceeded")) {
      // LocalStack's snapshots of Parallel states leave ParallelStateSucceeded out.
      actual.removeIf(type -> type.equals("ParallelStateSucceeded"));
    }
    List<Integer> unordered = new ArrayList<>();
    aws.get("unordered").forEach(index -> unordered.add(index.intValue()));
    if (!unordered.isEmpty()) {
      // Branch events interleave in no fixed order, and the recording masks their ids: compare
      // that stretch as a multiset.
      int from = unordered.get(0);
      int to = unordered.get(unordered.size() - 1) + 1;
      if (actual.size() == expected.size()) {
        List<String> expectedStretch = new ArrayList<>(expected.subList(from, to));
        List<String> actualStretch = new ArrayList<>(actual.subList(from, to));
        expectedStretch.sort(null);
        actualStretch.sort(null);
        assertThat(actualStretch).as("branch events").isEqualTo(expectedStretch);
        for (int i = from; i < to; i++) {
          actual.set(i, expected.get(i));
        }
      }
    }
    assertThat(actual).as("history event types").isEqualTo(expected);
  }

  private static void assertMatches(String what, JsonNode expected, String actualText) {
    JsonNode actual = actualText == null ? null : parseOrText(actualText);
    assertThat(matches(expected, actual))
        .as("%s: expected %s but was %s", what, expected, actualText)
        .isTrue();
  }

  private static JsonNode parseOrText(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      return JsonNodeFactory.instance.textNode(text);
    }
  }

  /** Whether the actual value is what AWS recorded, masked values matching anything. */
  static boolean matches(JsonNode expected, JsonNode actual) {
    if (actual == null) {
      return expected == null || expected.isNull();
    }
    if (expected.isTextual()) {
      String text = expected.textValue();
      if (text.contains("stackTrace") || MASKED.contains(text)) {
        return true;
      }
      JsonNode parsedText = tryParse(text);
      if (parsedText != null && matches(parsedText, actual)) {
        return true;
      }
      if (actual.isTextual()) {
        if (text.equals(actual.textValue()) || placeholderMatch(text, actual.textValue())) {
          return true;
        }
        JsonNode parsedExpected = tryParse(text);
        JsonNode parsedActual = tryParse(actual.textValue());
        return parsedExpected != null
            && parsedActual != null
            && (parsedExpected.isContainerNode() || parsedActual.isContainerNode())
            && matches(parsedExpected, parsedActual);
      }
      JsonNode parsed = tryParse(text);
      return parsed != null && matches(parsed, actual);
    }
    if (expected.isObject()) {
      if (expected.has("stackTrace")) {
        return true;
      }
      if (actual.isTextual()) {
        JsonNode parsed = tryParse(actual.textValue());
        return parsed != null && parsed.isObject() && matches(expected, parsed);
      }
      if (!actual.isObject()) {
        return false;
      }
      List<String> expectedKeys = keys(expected);
      List<String> actualKeys = keys(actual);
      if (!expectedKeys.equals(actualKeys)) {
        return false;
      }
      for (String key : expectedKeys) {
        if (!matches(expected.get(key), actual.get(key))) {
          return false;
        }
      }
      return true;
    }
    if (expected.isArray()) {
      if (actual.isTextual()) {
        JsonNode parsed = tryParse(actual.textValue());
        return parsed != null && parsed.isArray() && matches(expected, parsed);
      }
      if (!actual.isArray() || actual.size() != expected.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (!matches(expected.get(i), actual.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (expected.isNumber() && actual.isNumber()) {
      return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return expected.equals(actual);
  }

  private static List<String> keys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    object
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!key.equals("SdkHttpMetadata") && !key.equals("SdkResponseMetadata")) {
                keys.add(key);
              }
            });
    keys.sort(null);
    return keys;
  }

  private static boolean placeholderMatch(String expected, String actual) {
    if (!PLACEHOLDER.matcher(expected).find()) {
      return false;
    }
    StringBuilder regex = new StringBuilder();
    int last = 0;
    var matcher = PLACEHOLDER.matcher(expected);
    while (matcher.find()) {
      regex.append(Pattern.quote(expected.substring(last, matcher.start()))).append(".*");
      last = matcher.end();
    }
    regex.append(Pattern.quote(expected.substring(last)));
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual).matches();
  }

  private static JsonNode tryParse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }
}
