// `ecsq ast [--format text|json] EXPR...`: the syntax tree of each expression, for debugging and
// tests; several print one after the other (JSON: one document per line).
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/json_writer.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"
#include "expressions.hpp"
#include "shell_split.hpp"

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

std::string json_tree(const Ast& ast) {
  detail::JsonWriter json;
  json.start_object().member("form", form_name(ast.form)).member("canonical", to_string(ast)).key("root");
  if (ast.empty()) {
    json.value(nullptr);
  } else {
    write_node(json, ast, ast.root);
  }
  json.end_object();
  return json.take();
}

std::string text_tree(const Ast& ast) {
  std::string out = fmt::format("{}\n", form_name(ast.form));
  if (!ast.empty()) text_node(ast, ast.root, 1, out);
  return out;
}

}  // namespace

void add_ast_command(CLI::App& app) {
  struct Options {
    std::string format = "text";
    std::vector<std::string> expressions;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("ast", "Print the syntax tree of each expression");
  command->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  command->add_option("expressions", options->expressions, "Expressions or constraint strings ('-' reads lines from stdin)")
      ->required();
  command->callback([options] {
    const std::vector<std::string> expressions = expand_expressions(options->expressions);
    bool any_error = false;
    bool printed = false;
    for (std::size_t i = 0; i < expressions.size(); ++i) {
      const ParseResult result = parse(expressions[i]);
      const std::string origin = expression_origin(i, expressions.size());
      for (const Diagnostic& d : result.diagnostics) fmt::print(stderr, "{}", render_text(d, expressions[i], origin));
      if (!result.ok()) {
        any_error = true;
        continue;
      }
      if (options->format == "json") {
        fmt::print("{}\n", json_tree(*result.ast));  // one document per line, as check prints
      } else {
        fmt::print("{}{}", printed ? "\n" : "", text_tree(*result.ast));  // a blank line between trees
      }
      printed = true;
    }
    std::fflush(stdout);
    if (any_error) {
      print_shell_split_note(options->expressions);
      throw CLI::RuntimeError(exit_findings);
    }
  });
}

}  // namespace ecsq::cli
