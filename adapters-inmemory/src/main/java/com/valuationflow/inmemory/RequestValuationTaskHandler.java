package com.valuationflow.inmemory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.RequestValuationErrors;
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
 * field and what is wrong with it. A store or workflow service it cannot reach now fails the task
 * with {@value #SERVICE_UNAVAILABLE} and a cause in our words, as the AWS function does, for the
 * workflow to retry; anything else that fails it fails the task with {@value #SERVICE_ERROR}. The
 * details go to the log, never into the workflow's history.
 */
public final class RequestValuationTaskHandler implements TaskHandler {

  /** The error a payload that is not a valid command fails the task with. */
  public static final String INVALID_LOAN_APPLICATION =
      RequestValuationErrors.INVALID_LOAN_APPLICATION;

  /** The error a service the use case cannot reach now fails the task with. */
  public static final String SERVICE_UNAVAILABLE = RequestValuationErrors.SERVICE_UNAVAILABLE;

  /** The error anything else that fails the use case fails the task with. */
  public static final String SERVICE_ERROR = RequestValuationErrors.SERVICE_ERROR;

  private static final System.Logger LOG =
      System.getLogger(RequestValuationTaskHandler.class.getName());

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
    RequestValuation.Command command = command(payload);
    RequestValuation.Result result;
    try {
      result = requestValuation.request(command);
    } catch (ServiceUnavailableException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Valuation request for application {0} failed, to be retried: {1}",
          command.loanApplication().applicationReference(),
          e.getMessage());
      throw new TaskFailedException(
          SERVICE_UNAVAILABLE, RequestValuationErrors.SERVICE_UNAVAILABLE_CAUSE);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "Valuation request for application "
              + command.loanApplication().applicationReference()
              + " failed unexpectedly",
          e);
      throw new TaskFailedException(SERVICE_ERROR, RequestValuationErrors.SERVICE_ERROR_CAUSE);
    }
    return MAPPER.valueToTree(RequestValuationPayload.describe(result));
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
