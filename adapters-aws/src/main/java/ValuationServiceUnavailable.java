import com.valuationflow.domain.usecase.RequestValuationErrors;

/**
 * The RequestValuation function could not reach its token store or Step Functions now. Step
 * Functions sees the task fail with this class's name, {@value
 * RequestValuationErrors#SERVICE_UNAVAILABLE}, which is why it has no package (see {@link
 * RequestValuationHandler}). The message is in our words; it carries no stack trace and no cause.
 */
public final class ValuationServiceUnavailable extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ValuationServiceUnavailable(String message) {
    super(message, null, false, false);
  }
}
