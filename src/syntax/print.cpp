// The canonical printer. A value is printed bare only when the grammar's own bare-value scanner
// reads it back unchanged, so print -> parse is the identity on trees by construction rather than
// by a second copy of the lexical rules.
#include "ecsq/print.hpp"

#include "ecsq/grammar.hpp"


namespace ecsq {

namespace {

bool reads_back_bare(std::string_view text, bool in_list) {
  if (text.empty()) return false;
  const auto scan = in_list ? grammar::detail::scan_bare_value<true>(text.data(), text.data() + text.size())
                            : grammar::detail::scan_bare_value<false>(text.data(), text.data() + text.size());
  return scan.balanced && scan.length == text.size();
}

std::string quote(std::string_view text) {
  const char q = text.find('\'') == std::string_view::npos ? '\'' : '"';
  std::string out;
  out.reserve(text.size() + 2);
  out += q;
  out += text;
  out += q;
  return out;
}

// A bare value whose last backslash escapes nothing would escape whatever the printer puts after
// it (`)` closing a `not(`, `,` or `]` in a list), so the value would swallow it when read back.
bool ends_in_lone_backslash(std::string_view text) {
  std::size_t run = 0;
  while (run < text.size() && text[text.size() - 1 - run] == '\\') ++run;
  return run % 2 == 1;
}

std::string print_value(std::string_view text, bool in_list) {
  const bool lone_backslash = ends_in_lone_backslash(text);
  if (reads_back_bare(text, in_list) && !lone_backslash) return std::string(text);
  const bool both_quotes = text.find('\'') != std::string_view::npos && text.find('"') != std::string_view::npos;
  if (!both_quotes) return quote(text);
  // Quoted values have no escapes, so a value holding both quote characters can only be bare.
  // A backslash before whitespace escapes nothing: the space ends the value where it should.
  return lone_backslash ? std::string(text) + ' ' : std::string(text);
}

void print_comparison(const Comparison& c, std::string& out) {
  if (c.subject.kind == SubjectKind::attribute) {
    out += "attribute:";
    out += c.subject.name;
  } else {
    out += to_string(c.subject.kind);
  }
  out += ' ';
  out += to_string(c.op);
  switch (arity(c.op)) {
    case Arity::none: break;
    case Arity::value:
      out += ' ';
      out += c.values.empty() ? std::string("''") : print_value(c.values.front().text, false);
      break;
    case Arity::list:
      out += " [";
      for (std::size_t i = 0; i < c.values.size(); ++i) {
        if (i != 0) out += ", ";
        out += print_value(c.values[i].text, true);
      }
      out += ']';
      break;
  }
}

// Binding strength: `or` binds loosest; `not` always prints its operand in parentheses, the
// spelling AWS documents (`not(task:group == database)`).
int precedence(NodeKind kind) {
  switch (kind) {
    case NodeKind::or_: return 1;
    case NodeKind::and_: return 2;
    case NodeKind::not_: return 3;
    case NodeKind::comparison: return 4;
  }
  return 4;
}

void print_node(const Ast& ast, std::uint32_t index, std::string& out) {
  const Node& node = ast.node(index);
  switch (node.kind) {
    case NodeKind::comparison: print_comparison(ast.comparison(node), out); return;
    case NodeKind::not_:
      out += "not(";
      print_node(ast, ast.child(node, 0), out);
      out += ')';
      return;
    case NodeKind::and_:
    case NodeKind::or_: {
      const std::string_view joiner = node.kind == NodeKind::and_ ? " and " : " or ";
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (i != 0) out += joiner;
        const std::uint32_t child = ast.child(node, i);
        const bool parenthesise = precedence(ast.node(child).kind) <= precedence(node.kind);
        if (parenthesise) out += '(';
        print_node(ast, child, out);
        if (parenthesise) out += ')';
      }
      return;
    }
  }
}

}  // namespace

std::string quote_value(std::string_view text) { return print_value(text, false); }

std::string to_string(const Ast& ast, std::uint32_t index) {
  std::string out;
  print_node(ast, index, out);
  return out;
}

std::string to_string(const Ast& ast) {
  switch (ast.form) {
    case ConstraintForm::distinct_instance: return "distinctInstance";
    case ConstraintForm::member_of: return "memberOf(" + (ast.empty() ? std::string() : to_string(ast, ast.root)) + ")";
    case ConstraintForm::expression: break;
  }
  return ast.empty() ? std::string() : to_string(ast, ast.root);
}

}  // namespace ecsq
