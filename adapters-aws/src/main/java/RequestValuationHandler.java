import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.valuationflow.aws.InvalidLoanApplicationException;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.usecase.RequestValuationErrors;
import java.util.Map;
import java.util.Objects;

/**
 * The RequestValuation Lambda function's entry point, {@code
 * RequestValuationHandler::handleRequest}: runs {@link RequestValuationFunction} and fails the
 * invocation with the errors the loan processor's definition knows, under the names the in-memory
 * engine uses too. A payload that is not a valid loan application fails with {@link
 * InvalidLoanApplication}, naming the field; a store or Step Functions it cannot reach now fails
 * with {@link ValuationServiceUnavailable} and a message in our words, which the definition retries
 * with backoff; anything else fails it with {@link ValuationServiceError}. The details go to the
 * function's log only, never into the workflow's history.
 *
 * <p>Those exceptions live in the unnamed package because Lambda's Java runtime names a function
 * error after the thrown exception's fully qualified class name: only a class without a package
 * gives Step Functions a plain error name such as {@code ValuationServiceUnavailable}. This class
 * lives there too, as only classes of the unnamed package can refer to them.
 */
public final class RequestValuationHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final System.Logger LOG =
      System.getLogger(RequestValuationHandler.class.getName());

  private final RequestValuationFunction function;

  /**
   * Lambda's constructor: the function configured from the environment, see {@link
   * RequestValuationFunction#RequestValuationFunction()}, and {@linkplain
   * RequestValuationFunction#prime() primed}, so that Lambda's initialization (with SnapStart, the
   * snapshot) includes what the first invocation would otherwise pay for.
   */
  public RequestValuationHandler() {
    this(new RequestValuationFunction());
    function.prime();
  }

  public RequestValuationHandler(RequestValuationFunction function) {
    this.function = Objects.requireNonNull(function, "'function' must not be null");
  }

  /**
   * @return what the request came to, such as {@code
   *     {"outcome":"ValuationRequested","valuationReference":"..."}}
   * @throws InvalidLoanApplication if the payload is not a valid loan application
   * @throws ValuationServiceUnavailable if the token store or Step Functions cannot be reached now
   * @throws ValuationServiceError if the request failed in any other way
   */
  @Override
  public Map<String, Object> handleRequest(Map<String, Object> payload, Context context) {
    try {
      return function.request(payload);
    } catch (InvalidLoanApplicationException e) {
      throw new InvalidLoanApplication(e.getMessage());
    } catch (ServiceUnavailableException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "The valuation request failed, for the workflow to retry: {0}",
          e.getMessage());
      throw new ValuationServiceUnavailable(RequestValuationErrors.SERVICE_UNAVAILABLE_CAUSE);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "The valuation request failed unexpectedly", e);
      throw new ValuationServiceError(RequestValuationErrors.SERVICE_ERROR_CAUSE);
    }
  }
}
