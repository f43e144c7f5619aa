package com.valuationflow.inmemory.workflow;

import static com.valuationflow.inmemory.workflow.EngineTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {

  private final JsonNode doc =
      json(
          """
          {"a": {"b": 1, "with space": "s", "it's": "q", "n": null},
           "list": [10, {"x": "y"}], "Task": {"Token": "t"}}
          """);

  @Test
  void rootSelectsTheWholeDocument() {
    assertThat(JsonPath.parse("$").find(doc)).contains(doc);
  }

  @Test
  void selectsMembersAndIndexesInDotAndBracketNotation() {
    assertThat(JsonPath.parse("$.a.b").find(doc)).contains(json("1"));
    assertThat(JsonPath.parse("$['a']['with space']").find(doc)).contains(json("\"s\""));
    assertThat(JsonPath.parse("$[\"a\"].b").find(doc)).contains(json("1"));
    assertThat(JsonPath.parse("$.a['it\\'s']").find(doc)).contains(json("\"q\""));
    assertThat(JsonPath.parse("$.list[0]").find(doc)).contains(json("10"));
    assertThat(JsonPath.parse("$.list[1].x").find(doc)).contains(json("\"y\""));
  }

  @Test
  void aNullValueIsFoundWhileAMissingOneIsNot() {
    assertThat(JsonPath.parse("$.a.n").find(doc)).contains(NullNode.getInstance());
    assertThat(JsonPath.parse("$.a.missing").find(doc)).isEmpty();
    assertThat(JsonPath.parse("$.list[2]").find(doc)).isEmpty();
    assertThat(JsonPath.parse("$.list.x").find(doc)).isEmpty();
    assertThat(JsonPath.parse("$.a[0]").find(doc)).isEmpty();
  }

  @Test
  void doubleDollarMarksAContextObjectPath() {
    JsonPath path = JsonPath.parse("$$.Task.Token");
    assertThat(path.isContext()).isTrue();
    assertThat(path.find(doc)).contains(json("\"t\""));
    assertThat(JsonPath.parse("$.Task").isContext()).isFalse();
  }

  @Test
  void indefinitePathsSelectAnArrayOfMatches() {
    JsonNode items =
        json("{\"items\": [{\"id\": 1, \"a\": 7}, {\"id\": 2, \"a\": 3}, {\"id\": 3}]}");
    assertThat(JsonPath.parse("$.items[*].id").find(items)).contains(json("[1,2,3]"));
    assertThat(JsonPath.parse("$.items[0:2].id").find(items)).contains(json("[1,2]"));
    assertThat(JsonPath.parse("$.items[-1:].id").find(items)).contains(json("[3]"));
    assertThat(JsonPath.parse("$..a").find(items)).contains(json("[7,3]"));
    assertThat(JsonPath.parse("$.items[?(@.a >= 5)].id").find(items)).contains(json("[1]"));
    assertThat(JsonPath.parse("$.items[?(@.a)].id").find(items)).contains(json("[1,2]"));
    assertThat(JsonPath.parse("$.items[?(@.a < 5 || @.id == 3)].id").find(items))
        .contains(json("[2,3]"));
    assertThat(JsonPath.parse("$.items[0,2].id").find(items)).contains(json("[1,3]"));
    assertThat(JsonPath.parse("$.items[0]['id','a']").find(items)).contains(json("[1,7]"));
    assertThat(JsonPath.parse("$.items[*].nothing").find(items)).contains(json("[]"));
    assertThat(JsonPath.parse("$.items[-1].id").find(items)).contains(json("3"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"$.list[*]", "$..x", "$.*", "$.list[?(@.x)]", "$.list[0:1]", "$['a','b']"})
  void onlyMembersAndIndexesMakeAReferencePath(String text) {
    assertThat(JsonPath.parse(text).isSupported()).isFalse();
    assertThat(JsonPath.parse(text).unsupportedFeature()).isNotNull();
    assertThat(JsonPath.parse("$.list[-1]").isSupported()).isTrue();
  }

  @Test
  void functionsAreNotAllowed() {
    assertThatThrownBy(() -> JsonPath.parse("$.list.length()"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("functions");
  }

  @Test
  void aMissingPathIsExplainedAsJaywayDoes() {
    assertThat(JsonPath.parse("$.no").whyNotFound(doc)).isEqualTo("No results for path: $['no']");
    assertThat(JsonPath.parse("$.no.such.path").whyNotFound(doc))
        .isEqualTo("Missing property in path $['no']");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "a.b", "Task.Token", "$.", "$.a.", "$a", "$.a[", "$.a[b]", "$['a'", "$.a]"})
  void textThatIsNotJsonPathIsRejected(String text) {
    assertThatThrownBy(() -> JsonPath.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void setReplacesAnExistingFieldInACopy() {
    JsonNode out = JsonPath.parse("$.a.b").set(doc, json("2"));
    assertThat(out.at("/a/b")).isEqualTo(json("2"));
    assertThat(doc.at("/a/b")).isEqualTo(json("1"));
  }

  @Test
  void setCreatesMissingIntermediateObjects() {
    assertThat(JsonPath.parse("$.x.y.z").set(json("{\"k\":1}"), json("true")))
        .isEqualTo(json("{\"k\":1,\"x\":{\"y\":{\"z\":true}}}"));
  }

  @Test
  void setAtRootReplacesTheDocument() {
    assertThat(JsonPath.parse("$").set(doc, json("[1]"))).isEqualTo(json("[1]"));
  }

  @Test
  void setCanReplaceAnArrayElementButNotAppend() {
    assertThat(JsonPath.parse("$.list[0]").set(doc, json("11")).at("/list/0"))
        .isEqualTo(json("11"));
    assertThatThrownBy(() -> JsonPath.parse("$.list[5]").set(doc, json("1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setCannotGoThroughAScalar() {
    assertThatThrownBy(() -> JsonPath.parse("$.a.b.c").set(doc, json("1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$['a']['b']");
    assertThatThrownBy(() -> JsonPath.parse("$.x").set(json("\"text\""), json("1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void normalizedFormUsesBrackets() {
    assertThat(JsonPath.parse("$.a['b c'][2]").normalized()).isEqualTo("$['a']['b c'][2]");
  }
}
