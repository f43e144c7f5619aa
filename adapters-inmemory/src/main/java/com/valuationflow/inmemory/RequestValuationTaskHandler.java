package com.valuationflow.inmemory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.Property;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.TaskHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The in-memory RequestValuation function: turns the waiting task's payload, {@code
 * {"taskToken":"...","loanApplication":{"applicationReference":"...","property":{"nameOrNumber":
 * "...","postcode":"..."},"valuationTimeoutSeconds":3600}}}, into a {@link
 * RequestValuation.Command} and runs the use case.
 *
 * <p>A payload it cannot read fails the task with {@value #INVALID_LOAN_APPLICATION}, naming the
 * field and what is wrong with it.
 */
public final class RequestValuationTaskHandler implements TaskHandler {

  /** The error a payload that is not a valid command fails the task with. */
  public static final String INVALID_LOAN_APPLICATION = "InvalidLoanApplication";

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
    return describe(requestValuation.request(command(payload)));
  }

  static RequestValuation.Command command(JsonNode payload) {
    JsonNode application = object(payload, "loanApplication", "payload");
    JsonNode property = object(application, "property", "loanApplication");
    String token = text(payload, "taskToken", "");
    String reference = text(application, "applicationReference", "loanApplication.");
    String nameOrNumber = text(property, "nameOrNumber", "loanApplication.property.");
    String postcode = text(property, "postcode", "loanApplication.property.");
    Duration valuationTimeout =
        seconds(application, WorkflowInput.VALUATION_TIMEOUT_FIELD, "loanApplication.");
    return new RequestValuation.Command(
        valid("", () -> TaskToken.of(token)),
        new LoanApplication(
            valid("loanApplication.", () -> ApplicationReference.of(reference)),
            valid("loanApplication.property.", () -> Property.of(nameOrNumber, postcode))),
        valuationTimeout);
  }

  private static JsonNode describe(RequestValuation.Result result) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("outcome", result.getClass().getSimpleName());
    if (result instanceof RequestValuation.ValuationRequested requested) {
      out.put("valuationReference", requested.valuationReference().value());
    } else if (result instanceof RequestValuation.ValuerUnavailable unavailable) {
      out.put("reason", unavailable.reason());
    }
    return out;
  }

  private static JsonNode object(JsonNode parent, String field, String parentName) {
    if (parent == null || !parent.isObject()) {
      throw invalid("'" + parentName + "' must be a JSON object");
    }
    JsonNode child = parent.get(field);
    String path = parentName.equals("payload") ? field : parentName + "." + field;
    if (child == null || !child.isObject()) {
      throw invalid("'" + path + "' must be a JSON object");
    }
    return child;
  }

  private static String text(JsonNode parent, String field, String prefix) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      throw invalid("'" + prefix + field + "' is missing");
    }
    if (!value.isTextual()) {
      throw invalid("'" + prefix + field + "' must be a string");
    }
    return value.textValue();
  }

  private static Duration seconds(JsonNode parent, String field, String prefix) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      throw invalid("'" + prefix + field + "' is missing");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
      throw invalid("'" + prefix + field + "' must be a positive whole number of seconds");
    }
    return Duration.ofSeconds(value.longValue());
  }

  /**
   * Runs a domain constructor, turning its complaint, which starts with the quoted field name, into
   * the task's failure naming the field by its path in the payload.
   */
  private static <T> T valid(String prefix, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw invalid(message.startsWith("'") ? "'" + prefix + message.substring(1) : message);
    }
  }

  private static TaskFailedException invalid(String cause) {
    return new TaskFailedException(INVALID_LOAN_APPLICATION, cause);
  }
}
