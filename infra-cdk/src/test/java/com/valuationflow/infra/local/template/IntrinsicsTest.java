package com.valuationflow.infra.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final StackResources resources =
      new StackResources(
          "Stack",
          "eu-west-2",
          "000000000000",
          Map.of(
              "Table", json("{\"Type\":\"AWS::DynamoDB::Table\"}"),
              "Machine",
                  json(
                      "{\"Type\":\"AWS::StepFunctions::StateMachine\","
                          + "\"Properties\":{\"StateMachineName\":\"LoanProcessor\"}}"),
              "Fn", json("{\"Type\":\"AWS::Lambda::Function\"}"),
              "Url",
                  json(
                      "{\"Type\":\"AWS::Lambda::Url\","
                          + "\"Properties\":{\"TargetFunctionArn\":{\"Fn::GetAtt\":[\"Fn\",\"Arn\"]}}}")));

  private final Intrinsics intrinsics =
      new Intrinsics(
          Map.of(
              "AWS::Region",
              "eu-west-2",
              "AWS::AccountId",
              "000000000000",
              "AWS::Partition",
              "aws"),
          resources,
          Map.of("Other:Url", "http://127.0.0.1:1234/"));

  @Test
  void resolvesTheFunctionsCdkSynthesizes() {
    assertThat(intrinsics.text(json("{\"Ref\":\"Table\"}"))).isEqualTo("Stack-Table");
    assertThat(intrinsics.text(json("{\"Fn::GetAtt\":[\"Table\",\"Arn\"]}")))
        .isEqualTo("arn:aws:dynamodb:eu-west-2:000000000000:table/Stack-Table");
    assertThat(intrinsics.text(json("{\"Ref\":\"Machine\"}")))
        .isEqualTo("arn:aws:states:eu-west-2:000000000000:stateMachine:LoanProcessor");
    assertThat(
            intrinsics.text(
                json(
                    "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":states:::\","
                        + "{\"Fn::Select\":[6,{\"Fn::Split\":[\":\",{\"Ref\":\"Machine\"}]}]}]]}")))
        .isEqualTo("arn:aws:states:::LoanProcessor");
    assertThat(intrinsics.text(json("{\"Fn::Sub\":\"${AWS::Region}/${Table.Arn}/${!Literal}\"}")))
        .isEqualTo(
            "eu-west-2/arn:aws:dynamodb:eu-west-2:000000000000:table/Stack-Table/${Literal}");
    assertThat(intrinsics.text(json("{\"Fn::ImportValue\":\"Other:Url\"}")))
        .isEqualTo("http://127.0.0.1:1234/");
    assertThat(intrinsics.text(json("{\"Ref\":\"Url\"}")))
        .isEqualTo("arn:aws:lambda:eu-west-2:000000000000:function:Stack-Fn");
  }

  @Test
  void resolvesInsideObjectsAndArrays() {
    JsonNode resolved =
        intrinsics.resolve(
            json("{\"a\":[{\"Ref\":\"Fn\"},\"x\"],\"b\":{\"Ref\":\"AWS::Region\"}}"));
    assertThat(resolved).isEqualTo(json("{\"a\":[\"Stack-Fn\",\"x\"],\"b\":\"eu-west-2\"}"));
  }

  @Test
  void aFunctionUrlIsKnownOnceItRuns() {
    resources.setAttribute("Url", "FunctionUrl", "http://127.0.0.1:9/");
    assertThat(intrinsics.text(json("{\"Fn::GetAtt\":[\"Url\",\"FunctionUrl\"]}")))
        .isEqualTo("http://127.0.0.1:9/");
  }

  @Test
  void refusesWhatItCannotResolveRatherThanGuess() {
    assertThatThrownBy(() -> intrinsics.resolve(json("{\"Fn::If\":[\"C\",1,2]}")))
        .hasMessageContaining("Fn::If");
    assertThatThrownBy(() -> intrinsics.resolve(json("{\"Ref\":\"Nope\"}")))
        .hasMessageContaining("Nope");
    assertThatThrownBy(() -> intrinsics.resolve(json("{\"Fn::ImportValue\":\"Missing\"}")))
        .hasMessageContaining("Missing");
    assertThatThrownBy(() -> intrinsics.resolve(json("{\"Fn::GetAtt\":[\"Table\",\"StreamArn\"]}")))
        .hasMessageContaining("StreamArn");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
