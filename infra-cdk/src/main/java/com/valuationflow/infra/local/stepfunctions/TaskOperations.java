package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.infra.local.AwsJson;
import com.valuationflow.infra.local.AwsServiceError;

/**
 * {@code SendTaskSuccess}, {@code SendTaskFailure} and {@code SendTaskHeartbeat}: each token goes
 * to the engine that issued it. No answer or error message quotes the token.
 *
 * <p>A token no engine issued is {@code InvalidToken}, as the engine answers for one it never
 * issued; {@code TaskTimedOut} answers a token whose task no longer waits (it completed, timed out
 * or its execution ended); {@code TaskDoesNotExist} answers when the engine says so.
 */
final class TaskOperations {

  private final StateMachines machines;

  TaskOperations(StateMachines machines) {
    this.machines = machines;
  }

  /**
   * The state machine whose engine issued the request's {@code taskToken}.
   *
   * @throws AwsServiceError {@code InvalidToken} if none did, {@code ValidationException} if there
   *     is no token or it is longer than 2,048 characters
   */
  LocalStateMachine issuer(JsonNode request) {
    TaskToken token = token(request);
    return machines
        .issuerOf(token)
        .orElseThrow(() -> AwsServiceError.of("InvalidToken", "Invalid Token: 'Invalid token'"));
  }

  JsonNode success(JsonNode request) {
    LocalStateMachine machine = issuer(request);
    String output = AwsJson.requiredString(request, "output");
    ResumeOutcome outcome;
    try {
      outcome = machine.engine().sendTaskSuccess(token(request), output);
    } catch (IllegalArgumentException e) {
      throw AwsServiceError.of("InvalidOutput", "Invalid Output: '" + e.getMessage() + "'");
    }
    return answer(outcome);
  }

  JsonNode failure(JsonNode request) {
    LocalStateMachine machine = issuer(request);
    String error = AwsJson.optionalString(request, "error", 256).orElse(null);
    String cause = AwsJson.optionalString(request, "cause", 32_768).orElse(null);
    return answer(machine.engine().sendTaskFailure(token(request), error, cause));
  }

  JsonNode heartbeat(JsonNode request) {
    LocalStateMachine machine = issuer(request);
    return answer(machine.engine().sendTaskHeartbeat(token(request)));
  }

  private static TaskToken token(JsonNode request) {
    String value = AwsJson.requiredString(request, "taskToken");
    if (value.isEmpty() || value.length() > TaskToken.MAX_LENGTH) {
      throw AwsJson.validation(
          "taskToken",
          "<" + value.length() + " characters>",
          "Member must have length between 1 and " + TaskToken.MAX_LENGTH);
    }
    if (value.isBlank() || value.chars().anyMatch(Character::isISOControl)) {
      throw AwsServiceError.of("InvalidToken", "Invalid Token: 'Invalid token'");
    }
    return TaskToken.of(value);
  }

  private static JsonNode answer(ResumeOutcome outcome) {
    return switch (outcome) {
      case RESUMED -> AwsJson.object();
      case TASK_TIMED_OUT ->
          throw AwsServiceError.of(
              "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
      case TASK_DOES_NOT_EXIST ->
          throw AwsServiceError.of(
              "TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
      case INVALID_TOKEN ->
          throw AwsServiceError.of("InvalidToken", "Invalid Token: 'Invalid token'");
    };
  }
}
