// `ecsq ast [--format text|json] EXPR`: the syntax tree, for debugging and tests.
#include <iostream>

#include <fmt/format.h>

#include "commands.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"

namespace ecsq::cli {

namespace {

std::string_view kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::or_: return "or";
    case NodeKind::and_: return "and";
    case NodeKind::not_: return "not";
    case NodeKind::comparison: return "comparison";
  }
  return "comparison";
}

std::string_view form_name(ConstraintForm form) {
  switch (form) {
    case ConstraintForm::expression: return "expression";
    case ConstraintForm::member_of: return "memberOf";
    case ConstraintForm::distinct_instance: return "distinctInstance";
  }
  return "expression";
}

std::string span_json(Span span) { return fmt::format("[{},{}]", span.begin, span.end); }

std::string subject_name(const Subject& s) {
  return s.kind == SubjectKind::attribute ? "attribute:" + s.name : std::string(to_string(s.kind));
}

std::string value_text(const Value& v) {
  return v.quote ? fmt::format("{0}{1}{0}", v.quote, v.text) : v.text;
}

void text_node(const Ast& ast, std::uint32_t index, int depth, std::string& out) {
  const Node& node = ast.node(index);
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  if (node.kind != NodeKind::comparison) {
    out += fmt::format("{}{} @{}..{}\n", indent, kind_name(node.kind), node.span.begin, node.span.end);
    for (std::uint32_t i = 0; i < node.count; ++i) text_node(ast, ast.child(node, i), depth + 1, out);
    return;
  }
  const Comparison& c = ast.comparison(node);
  out += fmt::format("{}comparison @{}..{}\n", indent, node.span.begin, node.span.end);
  out += fmt::format("{}  subject {}{} @{}..{}\n", indent, subject_name(c.subject), c.subject.shorthand ? " (shorthand)" : "",
                     c.subject.span.begin, c.subject.span.end);
  out += fmt::format("{}  operator {} @{}..{}\n", indent, to_string(c.op), c.op_span.begin, c.op_span.end);
  if (arity(c.op) == Arity::list) out += fmt::format("{}  list @{}..{}\n", indent, c.list_span.begin, c.list_span.end);
  for (const Value& v : c.values) {
    out += fmt::format("{}  value {} @{}..{}\n", indent, value_text(v), v.span.begin, v.span.end);
  }
}

std::string json_node(const Ast& ast, std::uint32_t index) {
  const Node& node = ast.node(index);
  if (node.kind != NodeKind::comparison) {
    std::string children;
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (i != 0) children += ',';
      children += json_node(ast, ast.child(node, i));
    }
    return fmt::format(R"({{"kind":"{}","span":{},"children":[{}]}})", kind_name(node.kind), span_json(node.span), children);
  }
  const Comparison& c = ast.comparison(node);
  std::string values;
  for (const Value& v : c.values) {
    if (!values.empty()) values += ',';
    values += fmt::format(R"({{"text":{},"quote":{},"span":{}}})", json_quote(v.text),
                          v.quote ? json_quote(std::string(1, v.quote)) : "null", span_json(v.span));
  }
  return fmt::format(
      R"({{"kind":"comparison","span":{},"subject":{{"kind":{},"name":{},"shorthand":{},"span":{}}},"operator":{{"op":{},"span":{}}},"values":[{}]}})",
      span_json(node.span), json_quote(to_string(c.subject.kind)),
      c.subject.kind == SubjectKind::attribute ? json_quote(c.subject.name) : "null", c.subject.shorthand ? "true" : "false",
      span_json(c.subject.span), json_quote(to_string(c.op)), span_json(c.op_span), values);
}

}  // namespace

void add_ast_command(CLI::App& app) {
  struct Options {
    std::string format = "text";
    std::string expression;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("ast", "Print the syntax tree of an expression");
  command->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  command->add_option("expression", options->expression, "Expression or constraint string")->required();
  command->callback([options] {
    const ParseResult result = parse(options->expression);
    for (const Diagnostic& d : result.diagnostics) fmt::print(stderr, "{}", render_text(d, options->expression));
    if (!result.ok()) throw CLI::RuntimeError(exit_findings);
    const Ast& ast = *result.ast;
    if (options->format == "json") {
      fmt::print(R"({{"form":"{}","canonical":{},"root":{}}})" "\n", form_name(ast.form), json_quote(to_string(ast)),
                 ast.empty() ? "null" : json_node(ast, ast.root));
      return;
    }
    std::string out = fmt::format("{}\n", form_name(ast.form));
    if (!ast.empty()) text_node(ast, ast.root, 1, out);
    fmt::print("{}", out);
  });
}

}  // namespace ecsq::cli
