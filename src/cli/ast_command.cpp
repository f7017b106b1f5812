// `ecsq ast [--format text|json] EXPR`: the syntax tree, for debugging and tests.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/json_writer.hpp"
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

void write_span_member(detail::JsonWriter& json, Span span) {
  json.key("span").start_array().value(span.begin).value(span.end).end_array();
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
  out += fmt::format("{}  subject {}{} @{}..{}\n", indent, to_string(c.subject), c.subject.shorthand ? " (shorthand)" : "",
                     c.subject.span.begin, c.subject.span.end);
  out += fmt::format("{}  operator {} @{}..{}\n", indent, to_string(c.op), c.op_span.begin, c.op_span.end);
  if (arity(c.op) == Arity::list) out += fmt::format("{}  list @{}..{}\n", indent, c.list_span.begin, c.list_span.end);
  for (const Value& v : c.values) {
    out += fmt::format("{}  value {} @{}..{}\n", indent, value_text(v), v.span.begin, v.span.end);
  }
}

void write_node(detail::JsonWriter& json, const Ast& ast, std::uint32_t index) {
  const Node& node = ast.node(index);
  json.start_object().member("kind", kind_name(node.kind));
  write_span_member(json, node.span);
  if (node.kind != NodeKind::comparison) {
    json.key("children").start_array();
    for (std::uint32_t i = 0; i < node.count; ++i) write_node(json, ast, ast.child(node, i));
    json.end_array().end_object();
    return;
  }
  const Comparison& c = ast.comparison(node);
  json.key("subject")
      .start_object()
      .member("kind", to_string(c.subject.kind))
      .member("name", c.subject.kind == SubjectKind::attribute ? std::optional<std::string_view>(c.subject.name) : std::nullopt)
      .member("shorthand", c.subject.shorthand);
  write_span_member(json, c.subject.span);
  json.end_object();
  json.key("operator").start_object().member("op", to_string(c.op));
  write_span_member(json, c.op_span);
  json.end_object();
  json.key("values").start_array();
  for (const Value& v : c.values) {
    json.start_object()
        .member("text", v.text)
        .member("quote", v.quote ? std::optional(std::string_view(&v.quote, 1)) : std::nullopt);
    write_span_member(json, v.span);
    json.end_object();
  }
  json.end_array().end_object();
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
      detail::JsonWriter json;
      json.start_object().member("form", form_name(ast.form)).member("canonical", to_string(ast)).key("root");
      if (ast.empty()) {
        json.value(nullptr);
      } else {
        write_node(json, ast, ast.root);
      }
      json.end_object();
      fmt::print("{}\n", json.str());
      return;
    }
    std::string out = fmt::format("{}\n", form_name(ast.form));
    if (!ast.empty()) text_node(ast, ast.root, 1, out);
    fmt::print("{}", out);
  });
}

}  // namespace ecsq::cli
