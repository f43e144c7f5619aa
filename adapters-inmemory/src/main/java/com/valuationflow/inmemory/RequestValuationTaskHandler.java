package com.valuationflow.inmemory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.RequestValuationPayload;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.TaskHandler;
import java.util.Map;
import java.util.Objects;

/**
 * The loan processor's RequestValuation function for the in-memory engine: reads the task's payload
 * ({@link RequestValuationPayload}) and runs the {@link RequestValuation} use case.
 *
 * <p>A payload it cannot read fails the task with {@value #INVALID_LOAN_APPLICATION}, naming the
 * field and what is wrong with it.
 */
public final class RequestValuationTaskHandler implements TaskHandler {

  /** The error a payload that is not a valid command fails the task with. */
  public static final String INVALID_LOAN_APPLICATION = "InvalidLoanApplication";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final RequestValuation requestValuation;

  public RequestValuationTaskHandler(RequestValuation requestValuation) {
    this.requestValuation =
        Objects.requireNonNull(requestValuation, "'requestValuation' must not be null");
  }

  /**
   * @return what the request came to, such as {@code
   *     {"outcome":"ValuationRequested","valuationReference":"..."}}
   */
  @Override
  public JsonNode invoke(JsonNode payload) {
    return MAPPER.valueToTree(
        RequestValuationPayload.describe(requestValuation.request(command(payload))));
  }

  static RequestValuation.Command command(JsonNode payload) {
    if (payload == null || !payload.isObject()) {
      throw new TaskFailedException(INVALID_LOAN_APPLICATION, "'payload' must be a JSON object");
    }
    try {
      return RequestValuationPayload.parse(MAPPER.convertValue(payload, MAP));
    } catch (InvalidValueException e) {
      throw new TaskFailedException(INVALID_LOAN_APPLICATION, e.getMessage());
    }
  }
}
