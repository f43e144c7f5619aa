package com.valuationflow.infra.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.local.AwsServiceError;
import org.junit.jupiter.api.Test;

class LocalIamTest {

  private static final String ROLE = "arn:aws:iam::000000000000:role/fn";
  private static final String TABLE = "arn:aws:dynamodb:eu-west-2:000000000000:table/t";

  private final LocalIam iam = new LocalIam();

  @Test
  void allowsWhatAStatementGrantsAndRecordsIt() throws Exception {
    iam.attach(
        ROLE,
        new ObjectMapper()
            .readTree(
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:PutItem\",\"dynamodb:Get*\"],"
                    + "\"Resource\":\""
                    + TABLE
                    + "\"}]}"),
        "FnPolicy");

    iam.authorize(ROLE, "dynamodb:PutItem", TABLE);
    iam.authorize(ROLE, "DynamoDB:GetItem", TABLE);

    assertThat(iam.records()).hasSize(2).allMatch(AccessRecord::allowed);
    assertThat(iam.unusedGrants()).isEmpty();
  }

  @Test
  void deniesWhatNothingGrantsOrADenyForbids() throws Exception {
    iam.attach(
        ROLE,
        new ObjectMapper()
            .readTree(
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:DeleteItem\",\"Resource\":\"*\"}]}"),
        "FnPolicy");

    assertThatThrownBy(() -> iam.authorize(ROLE, "dynamodb:DeleteItem", TABLE))
        .isInstanceOf(AwsServiceError.class)
        .hasMessageContaining("not authorized to perform: dynamodb:DeleteItem");
    assertThatThrownBy(() -> iam.authorize(ROLE, "states:StartExecution", "arn:aws:states:x"))
        .isInstanceOf(AwsServiceError.class);
    assertThatThrownBy(
            () -> iam.authorize("arn:aws:iam::000000000000:role/other", "dynamodb:GetItem", TABLE))
        .isInstanceOf(AwsServiceError.class);
    assertThat(iam.records()).noneMatch(AccessRecord::allowed);
  }

  @Test
  void reportsWhatIsGrantedButNeverUsed() throws Exception {
    iam.attach(
        ROLE,
        new ObjectMapper()
            .readTree(
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:PutItem\",\"dynamodb:Scan\"],"
                    + "\"Resource\":\""
                    + TABLE
                    + "\"}}"),
        "FnPolicy");
    iam.authorize(ROLE, "dynamodb:PutItem", TABLE);

    assertThat(iam.unusedGrants())
        .containsExactly(
            java.util.Map.entry(
                ROLE, java.util.List.of("dynamodb:Scan on " + TABLE + " (FnPolicy)")));
    assertThat(iam.report())
        .contains("allowed " + ROLE + " dynamodb:PutItem")
        .contains("dynamodb:Scan");
  }

  @Test
  void knowsTheAwsManagedPolicyOfLambdaFunctions() {
    iam.attachAwsManaged(ROLE, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    iam.authorize(ROLE, "logs:PutLogEvents", "arn:aws:logs:eu-west-2:000000000000:log-group:g:*");
    assertThatThrownBy(
            () -> iam.attachAwsManaged(ROLE, "arn:aws:iam::aws:policy/AdministratorAccess"))
        .hasMessageContaining("AdministratorAccess");
  }
}
