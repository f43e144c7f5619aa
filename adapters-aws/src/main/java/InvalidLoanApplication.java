import com.valuationflow.domain.usecase.RequestValuationErrors;

/**
 * The RequestValuation function's payload is not a valid loan application. Step Functions sees the
 * task fail with this class's name, {@value RequestValuationErrors#INVALID_LOAN_APPLICATION}, which
 * is why it has no package (see {@link RequestValuationHandler}). The message names the field by
 * its path in the payload and what is wrong with it, never a field's value; it carries no stack
 * trace.
 */
public final class InvalidLoanApplication extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InvalidLoanApplication(String message) {
    super(message, null, false, false);
  }
}
