import com.valuationflow.domain.usecase.RequestValuationErrors;

/**
 * The RequestValuation function failed in a way nobody expected. Step Functions sees the task fail
 * with this class's name, {@value RequestValuationErrors#SERVICE_ERROR}, which is why it has no
 * package (see {@link RequestValuationHandler}). The message is in our words; it carries no stack
 * trace and no cause: those go to the function's log.
 */
public final class ValuationServiceError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ValuationServiceError(String message) {
    super(message, null, false, false);
  }
}
