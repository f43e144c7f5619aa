package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.HistoryEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 553 flat cases (intrinsic functions, every Choice operator) whose outcome AWS Step Functions
 * recorded: each runs in the engine and must end as AWS's did, with the same output and the same
 * states entered. See {@code conformance/NOTICE} for where the recordings come from.
 */
class AwsRecordedCasesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String RESOURCE = "/conformance/aws-recorded-cases.json";
  private static final List<String> PASSED = new ArrayList<>();
  private static final List<String> FAILED = new ArrayList<>();

  record Case(String id, String group, JsonNode definition, JsonNode input, JsonNode aws) {
    @Override
    public String toString() {
      return id;
    }
  }

  static Stream<Case> cases() {
    try (InputStream in = AwsRecordedCasesTest.class.getResourceAsStream(RESOURCE)) {
      JsonNode root = MAPPER.readTree(in);
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : root.get("cases")) {
        cases.add(
            new Case(
                c.get("id").textValue(),
                c.get("group").textValue(),
                c.get("definition"),
                c.get("input"),
                c.get("aws")));
      }
      return cases.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void allFlatCasesAreThere() {
    assertThat(cases().count()).isEqualTo(553);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void runsAsAwsRecorded(Case c) throws Exception {
    boolean passed = false;
    try (WorkflowEngine engine =
        WorkflowEngine.builder(
                StateMachineDefinition.parse(MAPPER.writeValueAsString(c.definition())))
            .clock(Clock.fixed(Instant.parse("2023-09-02T09:58:24.192Z"), ZoneOffset.UTC))
            .secondLength(Duration.ofMillis(1))
            .build()) {
      engine.start("case", MAPPER.writeValueAsString(c.input()));
      ExecutionSnapshot result =
          engine.awaitCompletion("case").orTimeout(10, TimeUnit.SECONDS).join();
      JsonNode aws = c.aws();
      assertThat(result.status().name()).as("status").isEqualTo(aws.get("status").textValue());
      if (aws.has("output")) {
        assertThat(MAPPER.readTree(result.output().orElse("null")))
            .as("output")
            .isEqualTo(aws.get("output"));
      }
      if (aws.has("error")) {
        assertThat(result.error().orElse(null)).as("error").isEqualTo(aws.get("error").asText());
      }
      if (aws.has("states")) {
        List<String> expected = new ArrayList<>();
        aws.get("states").forEach(s -> expected.add(s.textValue()));
        assertThat(statesEntered(result.history())).as("states entered").isEqualTo(expected);
      }
      passed = true;
    } finally {
      synchronized (PASSED) {
        (passed ? PASSED : FAILED).add(c.group() + " " + c.id());
      }
    }
  }

  @AfterAll
  static void report() {
    System.out.printf(
        "AWS-recorded flat cases: %d of %d pass%n", PASSED.size(), PASSED.size() + FAILED.size());
  }

  static List<String> statesEntered(List<HistoryEvent> history) {
    return history.stream()
        .filter(event -> event.type().endsWith("StateEntered"))
        .map(event -> event.details().get("name"))
        .toList();
  }
}
