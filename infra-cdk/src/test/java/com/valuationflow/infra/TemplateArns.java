package com.valuationflow.infra;

import java.util.List;
import java.util.Map;

/** ARNs as CDK synthesizes them when it builds one from a name rather than a resource. */
final class TemplateArns {

  private TemplateArns() {}

  /**
   * {@code arn:${Partition}:states:${Region}:${AccountId}:<resource>} as an {@code Fn::Join}.
   *
   * @param resource such as {@code stateMachine:LoanProcessor} or {@code execution:MockValuer:*}
   */
  static Map<String, Object> states(String resource) {
    return Map.of(
        "Fn::Join",
        List.of(
            "",
            List.of(
                "arn:",
                Map.of("Ref", "AWS::Partition"),
                ":states:",
                Map.of("Ref", "AWS::Region"),
                ":",
                Map.of("Ref", "AWS::AccountId"),
                ":" + resource)));
  }
}
