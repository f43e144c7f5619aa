package com.valuationflow.app.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.Property;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.domain.usecase.GetLoanApplication;
import com.valuationflow.domain.usecase.SubmitLoanApplication;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The loan-application resource: {@code POST /loan-applications} starts processing an application,
 * {@code GET /loan-applications/{applicationReference}} reports how it stands.
 */
public final class LoanApplicationsHandler {

  public static final String PATH = "/loan-applications";

  private static final Map<String, String> FIELDS =
      Map.of(
          "applicationReference", "applicationReference",
          "nameOrNumber", "property.nameOrNumber",
          "postcode", "property.postcode");

  private final InFlightRequests inFlight;
  private final SubmitLoanApplication submitLoanApplication;
  private final GetLoanApplication getLoanApplication;
  private final ServiceMetrics metrics;

  public LoanApplicationsHandler(
      InFlightRequests inFlight,
      SubmitLoanApplication submitLoanApplication,
      GetLoanApplication getLoanApplication,
      ServiceMetrics metrics) {
    this.inFlight = inFlight;
    this.submitLoanApplication = submitLoanApplication;
    this.getLoanApplication = getLoanApplication;
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
  }

  /**
   * Reads {@code
   * {"applicationReference":"...","property":{"nameOrNumber":"...","postcode":"..."}}}.
   */
  public static LoanApplication parse(RequestBody body) {
    body.allowOnly("", Set.of("applicationReference", "property"))
        .allowOnly("property", Set.of("nameOrNumber", "postcode"));
    String reference = body.text("applicationReference");
    String nameOrNumber = body.text("property.nameOrNumber");
    String postcode = body.text("property.postcode");
    return body.build(
        FIELDS,
        () ->
            new LoanApplication(
                ApplicationReference.of(reference), Property.of(nameOrNumber, postcode)));
  }

  public void submit(RoutingContext ctx) {
    LoanApplication application = parse(RequestBody.parse(ctx.body().buffer()));
    inFlight
        .executeBlocking(() -> submitLoanApplication.submit(application))
        .onSuccess(
            outcome -> {
              metrics.applicationSubmitted(outcome.name().toLowerCase(Locale.ROOT));
              respondToSubmission(ctx, application, outcome);
            })
        .onFailure(ctx::fail);
  }

  private static void respondToSubmission(
      RoutingContext ctx, LoanApplication application, StartOutcome outcome) {
    String reference = application.applicationReference().value();
    if (outcome == StartOutcome.CONFLICTS_WITH_EXISTING) {
      Problem.of(
              409,
              "application-reference-in-use",
              "Application reference in use",
              "A different loan application with reference '"
                  + reference
                  + "' was submitted before")
          .send(ctx);
      return;
    }
    ctx.response()
        .setStatusCode(202)
        .putHeader("Location", PATH + "/" + reference)
        .putHeader("Content-Type", "application/json")
        .end(Json.toBuffer(Submission.of(reference, outcome)));
  }

  /**
   * The body of a {@code 202}. A new start's workflow is {@code RUNNING}; a repeat's may have ended
   * since, so it carries no status ({@code GET} tells).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Submission(String applicationReference, String status, boolean alreadySubmitted) {
    static Submission of(String applicationReference, StartOutcome outcome) {
      return outcome == StartOutcome.STARTED
          ? new Submission(applicationReference, "RUNNING", false)
          : new Submission(applicationReference, null, true);
    }
  }

  public void get(RoutingContext ctx) {
    String reference = ctx.pathParam("applicationReference");
    Optional<ApplicationReference> applicationReference = parseReference(reference);
    if (applicationReference.isEmpty()) {
      notFound(ctx, reference);
      return;
    }
    inFlight
        .executeBlocking(() -> getLoanApplication.get(applicationReference.get()))
        .map(execution -> execution.map(found -> Json.toBuffer(view(found))))
        .onSuccess(
            view -> {
              if (view.isPresent()) {
                ctx.response().putHeader("Content-Type", "application/json").end(view.get());
              } else {
                notFound(ctx, reference);
              }
            })
        .onFailure(ctx::fail);
  }

  private static Optional<ApplicationReference> parseReference(String reference) {
    try {
      return Optional.of(ApplicationReference.of(reference));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  private static void notFound(RoutingContext ctx, String reference) {
    Problem.of(
            404,
            "unknown-loan-application",
            "Unknown loan application",
            "No loan application with reference '" + reference + "'")
        .send(ctx);
  }

  private static Map<String, Object> view(WorkflowExecution execution) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("applicationReference", execution.applicationReference().value());
    view.put("status", execution.status().name());
    view.put("startDate", execution.startDate().toString());
    execution.stopDate().map(Instant::toString).ifPresent(stop -> view.put("stopDate", stop));
    view.put("input", Json.parseOrText(execution.input()));
    execution.output().map(Json::parseOrText).ifPresent(output -> view.put("output", output));
    execution.error().ifPresent(error -> view.put("error", error));
    execution.cause().ifPresent(cause -> view.put("cause", cause));
    view.put("history", execution.history().stream().map(LoanApplicationsHandler::view).toList());
    return view;
  }

  private static Map<String, Object> view(HistoryEvent event) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", event.id());
    view.put("previousEventId", event.previousEventId());
    view.put("timestamp", event.timestamp().toString());
    view.put("type", event.type());
    if (!event.details().isEmpty()) {
      view.put("details", new java.util.TreeMap<>(event.details()));
    }
    return view;
  }
}
