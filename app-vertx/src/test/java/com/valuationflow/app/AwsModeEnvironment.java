package com.valuationflow.app;

import com.valuationflow.aws.DynamoDbLocal;
import com.valuationflow.aws.LocalStepFunctions;
import java.net.URI;
import java.util.Map;

/**
 * The environment of an app in {@code MODE=aws} against DynamoDB Local and the local Step Functions
 * endpoint, with the scripted valuer's webhook secret and the tests' API key.
 */
public final class AwsModeEnvironment {

  private AwsModeEnvironment() {}

  public static Map<String, String> of(String table, URI stepFunctionsEndpoint) {
    return Map.of(
        "MODE",
        "aws",
        "AWS_REGION",
        LocalStepFunctions.REGION,
        "TASK_TOKEN_TABLE",
        table,
        "STATE_MACHINE_ARN",
        LocalStepFunctions.STATE_MACHINE.value(),
        "AWS_ENDPOINT_URL_DYNAMODB",
        DynamoDbLocal.endpoint().toString(),
        "AWS_ENDPOINT_URL_SFN",
        stepFunctionsEndpoint.toString(),
        "WEBHOOK_SECRET",
        ScriptedValuer.SECRET_TEXT,
        "API_KEYS",
        TestApiKey.API_KEYS);
  }
}
