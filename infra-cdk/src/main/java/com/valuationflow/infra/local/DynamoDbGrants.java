package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The IAM actions and resources a DynamoDB request needs, as IAM evaluates them: {@code
 * dynamodb:<Operation>} on the table ARN ({@code .../table/<name>/index/<index>} for a Query or
 * Scan of an index); for {@code BatchGetItem} and {@code BatchWriteItem}, on each table; for {@code
 * TransactWriteItems} and {@code TransactGetItems}, the action underlying each item ({@code
 * PutItem}, {@code UpdateItem}, {@code DeleteItem}, {@code ConditionCheckItem}, {@code GetItem}) on
 * its table; {@code *} for operations on no table, such as {@code ListTables}.
 */
final class DynamoDbGrants {

  /** One action on one resource. */
  record Grant(String action, String resource) {}

  private static final Map<String, String> TRANSACT_ACTIONS =
      Map.of(
          "Put", "PutItem",
          "Update", "UpdateItem",
          "Delete", "DeleteItem",
          "ConditionCheck", "ConditionCheckItem",
          "Get", "GetItem");

  private final String tableArnPrefix;

  DynamoDbGrants(String region, String accountId) {
    this.tableArnPrefix = "arn:aws:dynamodb:" + region + ":" + accountId + ":table/";
  }

  String tableArn(String tableName) {
    return tableName.startsWith("arn:") ? tableName : tableArnPrefix + tableName;
  }

  List<Grant> of(String operation, JsonNode request) {
    List<Grant> grants = new ArrayList<>();
    switch (operation) {
      case "BatchGetItem", "BatchWriteItem" -> {
        Iterator<String> tables = request.path("RequestItems").fieldNames();
        tables.forEachRemaining(table -> grants.add(grant(operation, tableArn(table))));
      }
      case "TransactWriteItems", "TransactGetItems" -> {
        for (JsonNode item : request.path("TransactItems")) {
          for (Map.Entry<String, JsonNode> entry : item.properties()) {
            String action = TRANSACT_ACTIONS.get(entry.getKey());
            JsonNode table = entry.getValue().path("TableName");
            if (action != null && table.isTextual()) {
              grants.add(grant(action, tableArn(table.textValue())));
            }
          }
        }
      }
      case "TagResource", "UntagResource", "ListTagsOfResource" ->
          grants.add(grant(operation, text(request, "ResourceArn", "*")));
      default -> {
        JsonNode table = request.path("TableName");
        String resource = table.isTextual() ? tableArn(table.textValue()) : "*";
        JsonNode index = request.path("IndexName");
        if (table.isTextual() && index.isTextual()) {
          resource += "/index/" + index.textValue();
        }
        grants.add(grant(operation, resource));
      }
    }
    if (grants.isEmpty()) {
      grants.add(grant(operation, "*"));
    }
    return grants;
  }

  private static Grant grant(String operation, String resource) {
    return new Grant("dynamodb:" + operation, resource);
  }

  private static String text(JsonNode request, String member, String otherwise) {
    JsonNode value = request.path(member);
    return value.isTextual() ? value.textValue() : otherwise;
  }
}
