#include "naive.hpp"

#include <sstream>

#include "ecsq/parse.hpp"
#include "ecsq/value.hpp"

namespace ecsq::bench {

namespace {

std::vector<long> split_version(const std::string& text) {
  std::vector<long> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, '.')) {
    try {
      parts.push_back(std::stol(part));
    } catch (...) {
      parts.push_back(0);
    }
  }
  return parts;
}

int compare_versions(const std::string& a, const std::string& b) {
  const std::vector<long> x = split_version(a);
  const std::vector<long> y = split_version(b);
  for (std::size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    const long p = i < x.size() ? x[i] : 0;
    const long q = i < y.size() ? y[i] : 0;
    if (p != q) return p < q ? -1 : 1;
  }
  return 0;
}

int compare_values(const std::string& a, const std::string& b) {
  try {
    std::size_t used_a = 0;
    std::size_t used_b = 0;
    const double x = std::stod(a, &used_a);
    const double y = std::stod(b, &used_b);
    if (used_a == a.size() && used_b == b.size()) return x < y ? -1 : x > y ? 1 : 0;
  } catch (...) {
  }
  return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
}

bool ordered(Op op, int c) {
  switch (op) {
    case Op::eq: return c == 0;
    case Op::ne: return c != 0;
    case Op::lt: return c < 0;
    case Op::le: return c <= 0;
    case Op::gt: return c > 0;
    case Op::ge: return c >= 0;
    default: return false;
  }
}

// The positive operator on one string value.
bool on_value(const Comparison& c, const std::optional<std::regex>& regex, Op op, const std::string& value) {
  switch (op) {
    case Op::eq: return value == c.values[0].text;
    case Op::in:
      for (const Value& v : c.values) {
        if (v.text == value) return true;
      }
      return false;
    case Op::matches: return std::regex_match(value, *regex);
    default: return ordered(op, compare_values(value, c.values[0].text));
  }
}

bool positive(const Comparison& c, const std::optional<std::regex>& regex, Op op, const NaiveInstance& instance) {
  switch (c.subject.kind) {
    case SubjectKind::attribute: {
      const auto it = instance.attributes.find(c.subject.name);
      if (op == Op::exists) return it != instance.attributes.end();
      return it != instance.attributes.end() && on_value(c, regex, op, it->second);
    }
    case SubjectKind::ec2_instance_id: return on_value(c, regex, op, instance.ec2_instance_id);
    case SubjectKind::agent_connected: return on_value(c, regex, op, instance.agent_connected ? "true" : "false");
    case SubjectKind::task_group:
      if (op == Op::exists) return !instance.task_groups.empty();
      for (const std::string& group : instance.task_groups) {
        if (on_value(c, regex, op, group)) return true;
      }
      return false;
    case SubjectKind::agent_version: return ordered(op, compare_versions(instance.agent_version, c.values[0].text));
    case SubjectKind::registered_at: {
      const auto literal = parse_instant(c.values[0].text);
      if (!instance.registered_at || !literal) return false;
      const std::int64_t t = *instance.registered_at;
      return ordered(op, t < literal->seconds ? -1 : t > literal->seconds ? 1 : 0);
    }
    case SubjectKind::running_tasks_count: {
      const long long n = std::stoll(c.values[0].text);
      return ordered(op, instance.running_tasks_count < n ? -1 : instance.running_tasks_count > n ? 1 : 0);
    }
  }
  return false;
}

bool node(const NaiveQuery& q, std::uint32_t index, const NaiveInstance& instance) {
  const Node& n = q.ast.node(index);
  switch (n.kind) {
    case NodeKind::not_: return !node(q, q.ast.child(n, 0), instance);
    case NodeKind::and_:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (!node(q, q.ast.child(n, i), instance)) return false;
      }
      return true;
    case NodeKind::or_:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (node(q, q.ast.child(n, i), instance)) return true;
      }
      return false;
    case NodeKind::comparison: {
      const Comparison& c = q.ast.comparison(n);
      const bool negative = is_negative(c.op);
      return positive(c, q.regexes[n.first], negative ? negation(c.op) : c.op, instance) != negative;
    }
  }
  return false;
}

}  // namespace

NaiveInstance to_naive(const Instance& instance) {
  NaiveInstance out;
  out.ec2_instance_id = instance.ec2_instance_id;
  out.agent_connected = instance.agent_connected;
  out.agent_version = instance.agent_version;
  if (instance.registered_at) out.registered_at = instance.registered_at->seconds;
  out.running_tasks_count = instance.running_tasks_count;
  for (const Attribute& a : instance.attributes()) out.attributes[a.name] = a.value.value_or("");
  out.task_groups = instance.task_groups();
  return out;
}

std::optional<NaiveQuery> naive_compile(std::string_view text) {
  ParseResult parsed = parse(text);
  if (!parsed.ok()) return std::nullopt;
  NaiveQuery query{std::move(*parsed.ast), {}};
  for (const Comparison& c : query.ast.comparisons) {
    if (c.op == Op::matches || c.op == Op::not_matches) {
      query.regexes.emplace_back(std::regex(c.values[0].text));
    } else {
      query.regexes.emplace_back();
    }
  }
  return query;
}

bool naive_evaluate(const NaiveQuery& query, const NaiveInstance& instance) {
  return query.ast.empty() || node(query, query.ast.root, instance);
}

}  // namespace ecsq::bench
