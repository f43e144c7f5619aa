import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.valuationflow.aws.AwsClients;
import com.valuationflow.aws.DynamoDbLocal;
import com.valuationflow.aws.DynamoDbTaskTokenStore;
import com.valuationflow.aws.JdkHttpValuer;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.aws.StepFunctionsWorkflowResumer;
import com.valuationflow.aws.TaskTokenTable;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.RequestValuationErrors;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Lambda's entry point fails the invocation under the error names the workflow knows, with messages
 * in our words: its token store here is a table DynamoDB Local does not have.
 */
class RequestValuationHandlerTest {

  private static final String MISSING_TABLE = "no-such-task-token-table";
  private static final String TABLE = "request-valuation-handler-tokens";

  private static DynamoDbClient dynamoDb;
  private static SfnClient sfn;
  private static RequestValuationHandler handler;

  @BeforeAll
  static void start() {
    AwsClients aws = DynamoDbLocal.clients();
    dynamoDb = aws.newDynamoDbClient();
    // never called: the store fails first
    sfn = aws.newSfnClient();
    Clock clock = Clock.systemUTC();
    handler =
        new RequestValuationHandler(
            new RequestValuationFunction(
                new RequestValuation(
                    new JdkHttpValuer(
                        URI.create("http://127.0.0.1:9/valuations"),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1)),
                    new DynamoDbTaskTokenStore(dynamoDb, MISSING_TABLE, clock, Duration.ofDays(1)),
                    new StepFunctionsWorkflowResumer(sfn),
                    URI.create("https://valuationflow.example/webhooks/valuations"),
                    clock)));
  }

  @AfterAll
  static void stop() {
    dynamoDb.close();
    sfn.close();
  }

  @Test
  void theErrorNamesStepFunctionsSeesAreTheWorkflowsErrorNames() {
    // Lambda's Java runtime reports a function error under the exception's class name
    assertThat(ValuationServiceUnavailable.class.getName())
        .isEqualTo(RequestValuationErrors.SERVICE_UNAVAILABLE);
    assertThat(InvalidLoanApplication.class.getName())
        .isEqualTo(RequestValuationErrors.INVALID_LOAN_APPLICATION);
  }

  @Test
  void aStoreItCannotReachFailsWithValuationServiceUnavailableInOurWords() {
    ValuationServiceUnavailable failure =
        catchThrowableOfType(
            ValuationServiceUnavailable.class, () -> handler.handleRequest(payload(), null));

    assertThat(failure).hasMessage(RequestValuationErrors.SERVICE_UNAVAILABLE_CAUSE).hasNoCause();
    assertThat(failure.getMessage()).doesNotContain(MISSING_TABLE, "Exception", "DynamoDB");
    assertThat(failure.getStackTrace()).isEmpty();
  }

  @Test
  void anythingElseFailsWithValuationServiceErrorInOurWords() {
    TaskTokenTable.create(dynamoDb, TABLE);
    Clock clock = Clock.systemUTC();
    RequestValuationHandler failing =
        new RequestValuationHandler(
            new RequestValuationFunction(
                new RequestValuation(
                    request -> {
                      throw new IllegalStateException("a bug in com.example.Valuer");
                    },
                    new DynamoDbTaskTokenStore(dynamoDb, TABLE, clock, Duration.ofDays(1)),
                    new StepFunctionsWorkflowResumer(sfn),
                    URI.create("https://valuationflow.example/webhooks/valuations"),
                    clock)));

    ValuationServiceError failure =
        catchThrowableOfType(
            ValuationServiceError.class, () -> failing.handleRequest(payload(), null));

    assertThat(failure).hasMessage(RequestValuationErrors.SERVICE_ERROR_CAUSE).hasNoCause();
    assertThat(failure.getStackTrace()).isEmpty();
    assertThat(ValuationServiceError.class.getName())
        .isEqualTo(RequestValuationErrors.SERVICE_ERROR);
  }

  @Test
  void aPayloadItCannotReadFailsWithInvalidLoanApplicationNamingTheField() {
    InvalidLoanApplication failure =
        catchThrowableOfType(InvalidLoanApplication.class, () -> handler.handleRequest(null, null));

    assertThat(failure).hasMessage("'payload' must be a JSON object").hasNoCause();
    assertThat(failure.getStackTrace()).isEmpty();
  }

  private static Map<String, Object> payload() {
    return Map.of(
        "taskToken",
        "AQtoken-of-a-waiting-task",
        "loanApplication",
        Map.of(
            "applicationReference",
            "app-1",
            "property",
            Map.of("nameOrNumber", "12", "postcode", "PO1 1CE"),
            "valuationTimeoutSeconds",
            3600));
  }
}
