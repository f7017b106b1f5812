// Parser: every documented form, the AST it builds, limits, and the diagnostics for mistakes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::documented_examples;
using ecsq::testing::parsed;

namespace {

Comparison only_comparison(const Ast& ast) {
  REQUIRE(ast.comparisons.size() == 1);
  REQUIRE(ast.node(ast.root).kind == NodeKind::comparison);
  return ast.comparison(ast.node(ast.root));
}


}  // namespace

TEST_CASE("every documented AWS example parses without error", "[parse]") {
  const auto examples = documented_examples();
  REQUIRE(examples.size() == 20);
  for (const std::string& example : examples) {
    INFO(example);
    const ParseResult result = parse(example);
    CHECK(result.ok());
    CHECK_FALSE(has_error(result.diagnostics));
    for (const Diagnostic& d : result.diagnostics) CHECK(d.severity == Severity::warning);
  }
}

TEST_CASE("the seed's constraint string with a bare attribute", "[parse]") {
  const ParseResult result = parse("memberOf(ecs.os-type=='windows')");
  REQUIRE(result.ok());
  const Ast& ast = *result.ast;
  CHECK(ast.form == ConstraintForm::member_of);
  const Comparison& c = only_comparison(ast);
  CHECK(c.subject.kind == SubjectKind::attribute);
  CHECK(c.subject.name == "ecs.os-type");
  CHECK(c.subject.shorthand);
  CHECK(c.subject.span == Span{9, 20});
  CHECK(c.op == Op::eq);
  CHECK(c.op_span == Span{20, 22});
  REQUIRE(c.values.size() == 1);
  CHECK(c.values[0].text == "windows");
  CHECK(c.values[0].quote == '\'');
  CHECK(c.values[0].span == Span{22, 31});
  REQUIRE(result.diagnostics.size() == 1);
  const Diagnostic& w = result.diagnostics[0];
  CHECK(w.severity == Severity::warning);
  CHECK(w.code == "W0101");
  REQUIRE(w.fixits.size() == 1);
  CHECK(w.fixits[0].span == Span{9, 9});
  CHECK(w.fixits[0].replacement == "attribute:");
  CHECK(to_string(ast) == "memberOf(attribute:ecs.os-type == windows)");
}

TEST_CASE("distinctInstance and empty constraints", "[parse]") {
  CHECK(parsed("distinctInstance").form == ConstraintForm::distinct_instance);
  CHECK(parsed("  distinctInstance  ").empty());
  const Ast empty_member = parsed("memberOf( )");
  CHECK(empty_member.form == ConstraintForm::member_of);
  CHECK(empty_member.empty());
  CHECK(parsed("").empty());
  CHECK(parsed(" \t\n").empty());
  ParseOptions plain;
  plain.allow_constraint_forms = false;
  CHECK_FALSE(parse("memberOf(attribute:a == b)", plain).ok());
  CHECK(parse("attribute:a == b", plain).ok());
}

struct SubjectCase {
  const char* text;
  SubjectKind kind;
  const char* name;
};

TEST_CASE("all seven subjects", "[parse]") {
  const SubjectCase cases[] = {
      {"agentConnected", SubjectKind::agent_connected, ""},
      {"agentVersion", SubjectKind::agent_version, ""},
      {"ec2InstanceId", SubjectKind::ec2_instance_id, ""},
      {"registeredAt", SubjectKind::registered_at, ""},
      {"runningTasksCount", SubjectKind::running_tasks_count, ""},
      {"task:group", SubjectKind::task_group, ""},
      {"attribute:ecs.instance-type", SubjectKind::attribute, "ecs.instance-type"},
      {"attribute:A-z_0.9/x\\y", SubjectKind::attribute, "A-z_0.9/x\\y"},
  };
  for (const auto& c : cases) {
    const std::string text = std::string(c.text) + " == x";
    INFO(text);
    const Comparison comparison = only_comparison(parsed(text));
    CHECK(comparison.subject.kind == c.kind);
    CHECK(comparison.subject.name == c.name);
    CHECK_FALSE(comparison.subject.shorthand);
    CHECK(comparison.subject.span == Span{0, static_cast<std::uint32_t>(std::string_view(c.text).size())});
  }
}

TEST_CASE("a subject's canonical spelling is how it is written, with the prefix a shorthand omits", "[parse]") {
  for (const char* subject : {"agentConnected", "agentVersion", "ec2InstanceId", "registeredAt", "runningTasksCount",
                              "task:group", "attribute:ecs.instance-type", "attribute:A-z_0.9/x\\y"}) {
    const std::string text = std::string(subject) + " == x";
    INFO(text);
    CHECK(to_string(only_comparison(parsed(text)).subject) == subject);
  }
  const Comparison shorthand = only_comparison(parsed("ecs.os-type == linux"));
  REQUIRE(shorthand.subject.shorthand);
  CHECK(to_string(shorthand.subject) == "attribute:ecs.os-type");
  CHECK(to_string(Subject{SubjectKind::attribute, "", {}, false}) == "attribute:");
}

struct OperatorCase {
  const char* spelling;
  Op op;
};

TEST_CASE("every operator in both spellings, for every subject", "[parse]") {
  const OperatorCase operators[] = {
      {"==", Op::eq}, {"equals", Op::eq}, {"EQUALS", Op::eq},
      {"!=", Op::ne}, {"not_equals", Op::ne},
      {">", Op::gt}, {"greater_than", Op::gt},
      {">=", Op::ge}, {"greater_than_equal", Op::ge},
      {"<", Op::lt}, {"less_than", Op::lt},
      {"<=", Op::le}, {"less_than_equal", Op::le},
      {"exists", Op::exists}, {"Exists", Op::exists},
      {"!exists", Op::not_exists}, {"not_exists", Op::not_exists},
      {"in", Op::in}, {"IN", Op::in},
      {"!in", Op::not_in}, {"not_in", Op::not_in},
      {"=~", Op::matches}, {"matches", Op::matches},
      {"!~", Op::not_matches}, {"not_matches", Op::not_matches},
  };
  const char* subjects[] = {"agentConnected", "agentVersion", "ec2InstanceId", "registeredAt",
                            "runningTasksCount", "task:group", "attribute:stack"};
  for (const char* subject : subjects) {
    for (const auto& o : operators) {
      std::string text = std::string(subject) + " " + o.spelling;
      if (arity(o.op) == Arity::value) text += " v1";
      if (arity(o.op) == Arity::list) text += " [v1, v2]";
      INFO(text);
      const Ast ast = parsed(text);
      const Comparison& c = only_comparison(ast);
      CHECK(c.op == o.op);
      CHECK(ast.source.substr(c.op_span.begin, c.op_span.size()) == o.spelling);
      CHECK(c.values.size() == (arity(o.op) == Arity::none ? 0u : arity(o.op) == Arity::value ? 1u : 2u));
    }
  }
}

TEST_CASE("symbolic operators need no spaces", "[parse]") {
  for (const char* text : {"ec2InstanceId==i-0abc", "agentConnected==true", "runningTasksCount>=2",
                           "attribute:ecs.os-type!=linux", "attribute:x=~t3.*", "attribute:x!~t3.*",
                           "attribute:x!in[a,b]", "attribute:x !exists"}) {
    INFO(text);
    const Comparison c = only_comparison(parsed(text));
    CHECK_FALSE((c.subject.name.empty() && c.subject.kind == SubjectKind::attribute));
  }
  CHECK(only_comparison(parsed("ec2InstanceId==i-0abc")).values[0].text == "i-0abc");
  CHECK(only_comparison(parsed("attribute:x!in[a,b]")).values.size() == 2);
}

TEST_CASE("values: quoting, bare values with nested brackets", "[parse]") {
  struct ValueCase {
    const char* text;
    const char* value;
    char quote;
  };
  const ValueCase cases[] = {
      {"attribute:x == 'two words'", "two words", '\''},
      {"attribute:x == \"two words\"", "two words", '"'},
      {"attribute:x == \"it's\"", "it's", '"'},
      {"attribute:x == 'say \"hi\"'", "say \"hi\"", '\''},
      {"attribute:x == ''", "", '\''},
      {"attribute:x == 'a\\b'", "a\\b", '\''},
      {"attribute:x =~ (p[2,3]|g[3,4]|f[1]).*", "(p[2,3]|g[3,4]|f[1]).*", 0},
      {"attribute:x =~ a{1,3}", "a{1,3}", 0},
      {"attribute:x =~ 595\\..*", "595\\..*", 0},
      {"task:group == service:production", "service:production", 0},
      {"attribute:x == a|b", "a|b", 0},
      {"attribute:x == a&b", "a&b", 0},
      {"attribute:x =~ a\\)", "a\\)", 0},
      {"attribute:x == 'and'", "and", '\''},
      {"attribute:x == x'y", "x'y", 0},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const Comparison comparison = only_comparison(parsed(c.text));
    REQUIRE(comparison.values.size() == 1);
    CHECK(comparison.values[0].text == c.value);
    CHECK(comparison.values[0].quote == c.quote);
  }
}

TEST_CASE("lists", "[parse]") {
  const Ast ast = parsed("attribute:ecs.availability-zone in [us-east-1a,us-east-1b , 'us east', p[1,2]]");
  const Comparison& c = only_comparison(ast);
  REQUIRE(c.values.size() == 4);
  CHECK(c.values[0].text == "us-east-1a");
  CHECK(c.values[1].text == "us-east-1b");
  CHECK(c.values[2].text == "us east");
  CHECK(c.values[3].text == "p[1,2]");
  CHECK(ast.source.substr(c.list_span.begin, c.list_span.size()).front() == '[');
  CHECK(ast.source.substr(c.list_span.begin, c.list_span.size()).back() == ']');
  CHECK(only_comparison(parsed("attribute:x in []")).values.empty());
  CHECK(only_comparison(parsed("attribute:x in [ ]")).values.empty());
  CHECK(only_comparison(parsed("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']")).values.size() == 2);
}

TEST_CASE("whitespace variants give the same tree", "[parse]") {
  const Ast reference = parsed("attribute:a == b and (task:group != c or runningTasksCount > 1)");
  for (const char* text : {"attribute:a==b and(task:group!=c or runningTasksCount>1)",
                           "  attribute:a\t==\tb\nand ( task:group != c\r\n or runningTasksCount > 1 )  ",
                           "attribute:a == b && (task:group != c || runningTasksCount > 1)",
                           "attribute:a equals b AND (task:group not_equals c OR runningTasksCount greater_than 1)"}) {
    INFO(text);
    CHECK(same_tree(parsed(text), reference));
  }
}

TEST_CASE("precedence: not > and > or, left to right", "[parse]") {
  const Ast a = parsed("attribute:a exists or attribute:b exists and attribute:c exists");
  const Node& root = a.node(a.root);
  REQUIRE(root.kind == NodeKind::or_);
  REQUIRE(root.count == 2);
  CHECK(a.node(a.child(root, 0)).kind == NodeKind::comparison);
  CHECK(a.node(a.child(root, 1)).kind == NodeKind::and_);

  const Ast b = parsed("not attribute:a exists and attribute:b exists");
  const Node& and_node = b.node(b.root);
  REQUIRE(and_node.kind == NodeKind::and_);
  CHECK(b.node(b.child(and_node, 0)).kind == NodeKind::not_);

  // not x == y, not(x == y), !(x == y) and !x == y all negate the comparison.
  const Ast reference = parsed("not(task:group == database)");
  for (const char* text : {"not task:group == database", "!(task:group == database)", "!task:group == database",
                           "NOT (task:group == database)"}) {
    INFO(text);
    CHECK(same_tree(parsed(text), reference));
  }

  // and/or are n-ary: grouping of the same operator is flattened.
  const Ast flat = parsed("(attribute:a exists and attribute:b exists) and (attribute:c exists and attribute:d exists)");
  CHECK(flat.node(flat.root).kind == NodeKind::and_);
  CHECK(flat.node(flat.root).count == 4);
  CHECK(flat.nodes.size() == 5);  // no orphans left by flattening
}

TEST_CASE("node spans cover their source text", "[parse]") {
  const std::string text = "attribute:a == b or not (c != d)";
  const Ast ast = parsed(text);
  const Node& root = ast.node(ast.root);
  CHECK(root.span == Span{0, static_cast<std::uint32_t>(text.size())});
  const Node& negation = ast.node(ast.child(root, 1));
  CHECK(text.substr(negation.span.begin, negation.span.size()) == "not (c != d)");
  const Node& first = ast.node(ast.child(root, 0));
  CHECK(text.substr(first.span.begin, first.span.size()) == "attribute:a == b");
}

TEST_CASE("keyword case is accepted and noted", "[parse]") {
  const ParseResult result = parse("attribute:a EXISTS And NOT attribute:b In [x]");
  REQUIRE(result.ok());
  int notes = 0;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.code == "W0102") ++notes;
  }
  CHECK(notes == 4);
  CHECK(to_string(*result.ast) == "attribute:a exists and not(attribute:b in [x])");
}

TEST_CASE("limits: depth and size are diagnostics, never a crash", "[parse][limits]") {
  const std::string deep = std::string(10000, '(') + "attribute:a exists" + std::string(10000, ')');
  ParseResult result = parse(deep);
  REQUIRE_FALSE(result.ok());
  CHECK(result.diagnostics.back().code == "E0151");
  CHECK(result.diagnostics.back().span.begin == 64);

  const std::string at_limit = std::string(64, '(') + "attribute:a exists" + std::string(64, ')');
  CHECK(parse(at_limit).ok());

  // not(x) is one level like not x, so canonical output is never deeper than its input.
  std::string sixty_four_nots;
  for (int i = 0; i < 64; ++i) sixty_four_nots += "not ";
  const ParseResult deep_nots = parse(sixty_four_nots + "attribute:a exists");
  REQUIRE(deep_nots.ok());
  const std::string printed = to_string(*deep_nots.ast);
  CHECK(printed.starts_with("not(not("));
  CHECK(parse(printed).ok());
  CHECK(parse("not(" + std::string(63, '(') + "attribute:a exists" + std::string(64, ')')).ok());
  CHECK_FALSE(parse("not(" + std::string(64, '(') + "attribute:a exists" + std::string(65, ')')).ok());

  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  CHECK(parse(nots + "attribute:a exists").diagnostics.back().code == "E0151");

  const std::string big = "attribute:a == " + std::string(70 * 1024, 'x');
  result = parse(big);
  REQUIRE_FALSE(result.ok());
  CHECK(result.diagnostics.back().code == "E0150");

  ParseOptions larger;
  larger.max_input_bytes = 128 * 1024;
  CHECK(parse(big, larger).ok());
  larger.max_depth = 200;
  CHECK(parse(std::string(150, '(') + "attribute:a exists" + std::string(150, ')'), larger).ok());
}

TEST_CASE("long flat expressions do not recurse", "[parse][limits]") {
  std::string text = "attribute:a0 == v";
  for (int i = 1; i < 2000; ++i) text += " or attribute:a" + std::to_string(i) + " == v";
  const Ast ast = parsed(text);
  CHECK(ast.node(ast.root).count == 2000);
  std::string list = "attribute:a in [";
  for (int i = 0; i < 5000; ++i) list += (i ? ",v" : "v") + std::to_string(i);
  list += "]";
  CHECK(only_comparison(parsed(list)).values.size() == 5000);
}

struct ErrorCase {
  const char* text;
  const char* code;
  std::uint32_t column;  // 1-based
  const char* message;
};

TEST_CASE("malformed input: code, column and message", "[parse][errors]") {
  const ErrorCase cases[] = {
      {"attribute:ecs.instance-type t2.small", "E0103", 29, "expected an operator after subject 'attribute:ecs.instance-type'"},
      {"agentVersion 1.2.3", "E0103", 14, "expected an operator after subject 'agentVersion'"},
      {"attribute:ecs.capability.nvidia.gpu", "E0104", 1, "'attribute:ecs.capability.nvidia.gpu' has no operator"},
      {"task:group and attribute:a exists", "E0104", 1, "'task:group' has no operator"},
      {"(attribute:x)", "E0104", 2, "'attribute:x' has no operator"},
      {"agentConnected", "E0104", 1, "'agentConnected' has no operator"},
      {"attribute:stack = prod", "E0105", 17, "'=' is not an operator; did you mean '=='?"},
      {"ec2InstanceId=i-1", "E0105", 14, "'=' is not an operator; did you mean '=='?"},
      {"agentversion < 1.14.5", "E0106", 1, "unknown subject 'agentversion'; did you mean 'agentVersion'?"},
      {"RunningTasksCount > 1", "E0106", 1, "unknown subject 'RunningTasksCount'; did you mean 'runningTasksCount'?"},
      {"runningTaskCount > 1", "E0106", 1, "unknown subject 'runningTaskCount'; did you mean 'runningTasksCount'?"},
      {"ec2instanceid == i-1", "E0106", 1, "unknown subject 'ec2instanceid'; did you mean 'ec2InstanceId'?"},
      {"Attribute:stack == prod", "E0106", 1, "unknown subject 'Attribute:stack'; did you mean 'attribute:'?"},
      {"attributes:stack == prod", "E0106", 1, "unknown subject 'attributes:stack'; did you mean 'attribute:'?"},
      {"task:groups == web", "E0106", 1, "unknown subject 'task:groups'; did you mean 'task:group'?"},
      {"service:web == x", "E0106", 1, "unknown subject 'service:web'"},
      {"attribute:x == 'unterminated", "E0107", 16, "unterminated quoted value"},
      {"attribute:x in ['a', \"b]", "E0107", 22, "unterminated quoted value"},
      {"attribute: == x", "E0108", 11, "expected an attribute name after 'attribute:', found '=='"},
      {"attribute:", "E0108", 11, "expected an attribute name after 'attribute:', found the end of the input"},
      {"attribute:x in a", "E0110", 16, "expected a list like [a, b] after 'in', found 'a'"},
      {"attribute:x !in", "E0110", 16, "expected a list like [a, b] after '!in', found the end of the input"},
      {"attribute:x in (a, b)", "E0111", 16, "a list is written in square brackets"},
      {"attribute:x ==", "E0112", 15, "expected a value after '==', found the end of the input"},
      {"attribute:x =~ )", "E0112", 16, "expected a value after '=~', found ')'"},
      {"(attribute:x exists", "E0113", 1, "'(' is never closed"},
      {"((attribute:x exists)", "E0113", 1, "'(' is never closed"},
      {"memberOf(attribute:x exists", "E0113", 9, "'(' is never closed"},
      {"attribute:x exists)", "E0114", 19, "')' has no matching '('"},
      {"attribute:x in [a b]", "E0115", 19, "expected ',' or ']' in the list, found 'b]'"},
      {"attribute:x in [a, b", "E0116", 16, "'[' is never closed"},
      {"attribute:x in [a, ]", "E0117", 20, "expected a value after ',', found ']'"},
      {"attribute:x in [a,,b]", "E0117", 19, "expected a value after ',', found ',b]'"},
      {"attribute:x =~ (a", "E0118", 16, "'(' in a value is never closed"},
      {"attribute:x =~ a]", "E0118", 17, "']' in a value has no matching opening bracket"},
      {"attribute:x =~ a(b]c)", "E0118", 19, "']' in a value has no matching opening bracket"},
      {"attribute:x == a and", "E0102", 21, "expected an expression, found the end of the input"},
      {"and attribute:x exists", "E0102", 1, "expected an expression, found the keyword 'and'"},
      {"attribute:x exists or or attribute:y exists", "E0102", 23, "expected an expression, found the keyword 'or'"},
      {"()", "E0102", 2, "expected an expression, found ')'"},
      {"not", "E0102", 4, "expected an expression, found the end of the input"},
      {"== x", "E0102", 1, "expected an expression, found '=='"},
      {"(attribute:x == a b)", "E0119", 19, "expected 'and', 'or' or ')', found 'b)'"},
      {"attribute:ecs.instance-type == t2 small", "E0101", 35, "unexpected 'small' after a complete expression"},
      {"distinctInstance attribute:x exists", "E0101", 18, "unexpected 'attribute:x' after a complete expression"},
      {"memberOf(attribute:x exists) and attribute:y exists", "E0101", 30, "unexpected 'and' after a complete expression"},
      {"attribute:x == \x01", "E0153", 16, "control character U+0001 in the expression"},
      {"attribute:x == a\xff", "E0152", 17, "invalid UTF-8 byte 0xff"},
      {"attribute:x == \xc3\xa9t\xc3\xa9 b", "E0101", 20, "unexpected 'b' after a complete expression"},
  };
  int checked = 0;
  for (const auto& c : cases) {
    if (c.column == 0) continue;
    INFO(c.text);
    const ParseResult result = parse(c.text);
    REQUIRE_FALSE(result.ok());
    const Diagnostic& d = result.diagnostics.back();
    INFO(render_text(d, c.text));
    CHECK(d.severity == Severity::error);
    CHECK(d.code == c.code);
    CHECK(line_column(c.text, d.span.begin).column == c.column);
    CHECK(d.message == c.message);
    ++checked;
  }
  CHECK(checked >= 40);
}

TEST_CASE("a keyword where a value is expected is taken as the value", "[parse]") {
  // `and` after an operator is a value (the contract's bare value rule); quoting is never needed for it.
  const Comparison c = only_comparison(parsed("attribute:x == and"));
  CHECK(c.values[0].text == "and");
}

TEST_CASE("fix-its repair the common mistakes", "[parse][errors]") {
  const auto fixed = [](std::string text) {
    const ParseResult result = parse(text);
    REQUIRE_FALSE(result.diagnostics.empty());
    const std::vector<FixIt>& fixits = result.diagnostics.back().fixits;
    REQUIRE_FALSE(fixits.empty());
    return with_fixits_applied(text, fixits);
  };
  CHECK(fixed("attribute:ecs.capability.nvidia.gpu") == "attribute:ecs.capability.nvidia.gpu exists");
  CHECK(fixed("attribute:stack = prod") == "attribute:stack == prod");
  CHECK(fixed("attribute:x in (a, b)") == "attribute:x in [a, b]");
  CHECK(fixed("agentversion < 1.14.5") == "agentVersion < 1.14.5");
  CHECK(fixed("Attribute:stack == prod") == "attribute:stack == prod");
  CHECK(fixed("attribute:x in a") == "attribute:x in [a]");
  CHECK(fixed("ecs.os-type == linux") == "attribute:ecs.os-type == linux");
  CHECK(fixed("attribute:a exists AND attribute:b exists") == "attribute:a exists and attribute:b exists");
}

TEST_CASE("rendered diagnostic: the issue's example, byte for byte", "[parse][errors]") {
  const std::string text = "attribute:ecs.instance-type t2.small";
  const ParseResult result = parse(text);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(render_text(result.diagnostics[0], text) ==
        "error[E0103]: expected an operator after subject 'attribute:ecs.instance-type'\n"
        " --> 1:29\n"
        "  |\n"
        "1 | attribute:ecs.instance-type t2.small\n"
        "  |                             ^^^^^^^^ expected one of ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~\n");
}

TEST_CASE("columns count characters, lines count newlines", "[parse][errors]") {
  const std::string text = "attribute:a == 'é'\nand attribute:b = c";
  const ParseResult result = parse(text);
  REQUIRE_FALSE(result.ok());
  const Diagnostic& d = result.diagnostics.back();
  CHECK(d.code == "E0105");
  const LineColumn where = line_column(text, d.span.begin);
  CHECK(where.line == 2);
  CHECK(where.column == 17);
  CHECK(render_json(d, text).find(R"("line":2,"column":17,"length":1)") != std::string::npos);
}
