// Reading placement constraints out of task definitions, services, RunTask requests, EventBridge
// and Scheduler targets, ecs-params.yml, Terraform plan/state JSON and CloudFormation templates, in
// JSON (simdjson) or YAML (yaml-cpp), keeping every value's position. Every format becomes the same
// ConstraintSets, so the rules never ask which format a constraint came from.
#include <algorithm>
#include <array>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <simdjson.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "ecsq/constraint.hpp"
#include "ecsq/lint.hpp"
#include "common/text.hpp"
#include "lint/document_tree.hpp"

namespace ecsq {

namespace {

namespace ondemand = simdjson::ondemand;

// Real templates nest a dozen levels; this only keeps hostile input from exhausting the stack.
constexpr std::size_t max_depth = 512;

using detail::Member;
using detail::Tree;

std::uint32_t to_offset(std::ptrdiff_t offset) {
  return static_cast<std::uint32_t>(std::clamp<std::ptrdiff_t>(offset, 0, UINT32_MAX));
}

// ---- JSON --------------------------------------------------------------------------------------

simdjson::error_code build_json(ondemand::value value, const char* base, std::size_t depth, Tree& out) {
  if (depth > max_depth) return simdjson::DEPTH_ERROR;
  std::string_view raw = value.raw_json_token();
  while (!raw.empty() && std::strchr(" \t\r\n", raw.back()) != nullptr) raw.remove_suffix(1);
  out.offset = to_offset(raw.data() - base);
  ondemand::json_type type;
  if (const auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::object: {
      out.kind = Tree::Kind::map;
      ondemand::object object;
      if (const auto error = value.get_object().get(object)) return error;
      for (auto member : object) {
        ondemand::field field;
        if (const auto error = std::move(member).get(field)) return error;
        // The raw key starts just after its opening quote.
        const char* key_begin = field.key().raw() - 1;
        std::string_view key;
        if (const auto error = field.unescaped_key().get(key)) return error;
        Tree tree;
        if (const auto error = build_json(field.value(), base, depth + 1, tree)) return error;
        tree.key_offset = to_offset(key_begin - base);
        tree.key_length = to_offset(static_cast<std::ptrdiff_t>(key.size() + 2));
        out.members.push_back({std::string(key), std::move(tree)});
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      out.kind = Tree::Kind::sequence;
      ondemand::array array;
      if (const auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value child;
        if (const auto error = element.get(child)) return error;
        Tree tree;
        if (const auto error = build_json(child, base, depth + 1, tree)) return error;
        out.items.push_back(std::move(tree));
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (const auto error = value.get_string().get(text)) return error;
      out.kind = Tree::Kind::scalar;
      out.string = true;
      out.text = std::string(text);
      out.length = to_offset(static_cast<std::ptrdiff_t>(raw.size()));
      // Without escapes the token is the text between two quotes, byte for byte.
      if (raw.size() >= text.size() + 2 && raw.substr(1, text.size()) == text && raw[text.size() + 1] == '"') {
        out.text_offset = out.offset + 1;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number: {
      if (const auto error = value.get_number().error()) return error;
      out.kind = Tree::Kind::scalar;
      out.text = std::string(raw);
      out.length = to_offset(static_cast<std::ptrdiff_t>(raw.size()));
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::boolean: {
      bool flag = false;
      if (const auto error = value.get_bool().get(flag)) return error;
      out.kind = Tree::Kind::scalar;
      out.text = flag ? "true" : "false";
      out.length = to_offset(static_cast<std::ptrdiff_t>(raw.size()));
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::null: {
      // type() says null for anything starting with 'n'; is_null() checks the whole literal.
      out.kind = Tree::Kind::null;
      bool null = false;
      if (const auto error = value.is_null().get(null)) return error;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::SUCCESS;
}

// simdjson's messages are long and generic; these say what to look for.
std::string_view syntax_message(simdjson::error_code error) {
  switch (error) {
    case simdjson::TAPE_ERROR: return "missing or superfluous comma, colon, brace or bracket";
    case simdjson::UNCLOSED_STRING: return "a string is never closed";
    case simdjson::UTF8_ERROR: return "the file is not valid UTF-8";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "unknown literal (expected true, false or null)";
    case simdjson::NUMBER_ERROR: return "malformed or out-of-range number";
    case simdjson::STRING_ERROR: return "invalid escape sequence in a string";
    case simdjson::UNESCAPED_CHARS: return "control character inside a string (escape it)";
    case simdjson::DEPTH_ERROR: return "nested too deeply";
    default: return simdjson::error_message(error);
  }
}

struct ReadFailure {
  std::string message;
  std::uint32_t offset = 0;
};

// The innermost bracket still open at the end of `text`, when the file simply stops (the usual
// way a JSON file breaks: truncated, or a closing brace lost); nullopt otherwise.
std::optional<std::uint32_t> unclosed_at_end(std::string_view text) {
  std::vector<std::uint32_t> open;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      open.push_back(static_cast<std::uint32_t>(i));
    } else if (c == '}' || c == ']') {
      if (open.empty() || text[open.back()] != (c == '}' ? '{' : '[')) return std::nullopt;  // a mismatch, not the end
      open.pop_back();
    }
  }
  if (in_string || open.empty()) return std::nullopt;
  return open.back();
}

std::variant<Tree, ReadFailure> read_json(std::string_view text) {
  simdjson::padded_string padded(text);
  // A UTF-8 byte order mark (Windows editors write one) becomes spaces, keeping every offset.
  if (text.starts_with("\xEF\xBB\xBF")) std::fill_n(padded.data(), 3, ' ');
  // The DOM parser validates the whole document (the on-demand walk below would accept
  // trailing garbage); the walk then supplies positions, and where the document breaks.
  simdjson::dom::parser validator;
  const auto validation = validator.parse(padded).error();
  ondemand::parser parser;
  ondemand::document document;
  Tree tree;
  simdjson::error_code error = parser.iterate(padded).get(document);
  // A document the first pass rejects is never initialised, so it cannot say where it stopped.
  const bool iterated = error == simdjson::SUCCESS;
  if (!error) {
    ondemand::json_type type;
    error = document.type().get(type);
    if (!error && (type == ondemand::json_type::object || type == ondemand::json_type::array)) {
      ondemand::value root;
      error = document.get_value().get(root);
      if (!error) error = build_json(root, padded.data(), 0, tree);
    } else if (!error) {
      tree.kind = Tree::Kind::scalar;  // a lone scalar: valid JSON, but no document ecsq knows
    }
  }
  if (validation == simdjson::SUCCESS && error == simdjson::SUCCESS) return tree;
  const simdjson::error_code reported = validation != simdjson::SUCCESS ? validation : error;
  std::uint32_t offset = static_cast<std::uint32_t>(text.size());
  const char* location = nullptr;
  if (iterated && error != simdjson::SUCCESS && !document.current_location().get(location) && location != nullptr) {
    offset = to_offset(location - padded.data());
  }
  if (reported != simdjson::UTF8_ERROR) {
    if (const std::optional<std::uint32_t> open = unclosed_at_end(text)) {
      const LineColumn where = line_column(text, *open);
      return ReadFailure{fmt::format("invalid JSON: unexpected end of file; `{}` opened at {}:{} is not closed",
                                     text[*open], where.line, where.column),
                         static_cast<std::uint32_t>(text.size())};
    }
  }
  return ReadFailure{fmt::format("invalid JSON: {}", syntax_message(reported)), offset};
}

// ---- YAML --------------------------------------------------------------------------------------

// yaml-cpp gives plain scalars the tag "?" and quoted or block scalars "!"; CloudFormation's short
// forms (!Sub, !Ref ...) arrive as local tags.
bool is_local_tag(const std::string& tag) { return tag.size() > 1 && tag[0] == '!' && tag[1] != '!'; }

// Aliases let a small file stand for a huge (or cyclic) tree ("billion laughs"); reading stops
// past this many values, far more than any real file of that size holds.
constexpr std::size_t yaml_values_base = 65536;
constexpr std::size_t yaml_values_per_byte = 16;

struct YamlLimit {
  YAML::Mark mark;
  std::string message;
};

void build_yaml(const YAML::Node& node, std::string_view text, std::uint32_t fallback, std::size_t depth,
                std::size_t& budget, Tree& out) {
  if (depth > max_depth) throw YamlLimit{node.Mark(), "nested too deeply"};
  if (budget == 0) throw YamlLimit{node.Mark(), "too many values for the size of the file (aliases expanding?)"};
  --budget;
  const YAML::Mark mark = node.Mark();
  out.offset = mark.pos >= 0 && static_cast<std::size_t>(mark.pos) <= text.size() ? static_cast<std::uint32_t>(mark.pos)
                                                                                  : fallback;
  if (is_local_tag(node.Tag())) out.tag = node.Tag();
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      // yaml-cpp marks an empty value at the next token; the key is the better place to point.
      out.kind = Tree::Kind::null;
      out.offset = fallback;
      return;
    case YAML::NodeType::Scalar: {
      out.kind = Tree::Kind::scalar;
      out.string = true;
      out.text = node.Scalar();
      if (!out.tag.empty()) return;
      const std::size_t at = out.offset;
      if (!out.text.empty() && text.substr(at, out.text.size()) == out.text) {
        out.text_offset = out.offset;
        out.length = to_offset(static_cast<std::ptrdiff_t>(out.text.size()));
      } else if (at < text.size() && (text[at] == '\'' || text[at] == '"') &&
                 text.substr(at + 1, out.text.size()) == out.text && at + 1 + out.text.size() < text.size() &&
                 text[at + 1 + out.text.size()] == text[at]) {
        out.text_offset = out.offset + 1;
        out.length = to_offset(static_cast<std::ptrdiff_t>(out.text.size() + 2));
      }
      return;
    }
    case YAML::NodeType::Sequence:
      out.kind = Tree::Kind::sequence;
      for (const YAML::Node& item : node) {
        Tree child;
        build_yaml(item, text, out.offset, depth + 1, budget, child);
        out.items.push_back(std::move(child));
      }
      return;
    case YAML::NodeType::Map:
      out.kind = Tree::Kind::map;
      for (const auto& member : node) {
        const YAML::Mark key_mark = member.first.Mark();
        const std::uint32_t key_offset = key_mark.pos >= 0 ? static_cast<std::uint32_t>(key_mark.pos) : out.offset;
        Tree child;
        build_yaml(member.second, text, key_offset, depth + 1, budget, child);
        child.key_offset = key_offset;
        child.key_length = member.first.IsScalar() ? to_offset(static_cast<std::ptrdiff_t>(std::max<std::size_t>(member.first.Scalar().size(), 1))) : 1;
        out.members.push_back({member.first.IsScalar() ? member.first.Scalar() : std::string("?"), std::move(child)});
      }
      return;
  }
}

std::variant<Tree, ReadFailure> read_yaml(std::string_view text) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    Tree tree;
    std::size_t budget = yaml_values_base + yaml_values_per_byte * text.size();
    build_yaml(root, text, 0, 0, budget, tree);
    return tree;
  } catch (const YamlLimit& limit) {
    return ReadFailure{fmt::format("invalid YAML: {}", limit.message), limit.mark.pos >= 0 ? to_offset(limit.mark.pos) : 0};
  } catch (const YAML::DeepRecursion& error) {
    return ReadFailure{"invalid YAML: nested too deeply", error.mark.pos >= 0 ? to_offset(error.mark.pos) : 0};
  } catch (const YAML::Exception& error) {
    const std::uint32_t offset = error.mark.pos >= 0 ? to_offset(error.mark.pos) : 0;
    return ReadFailure{fmt::format("invalid YAML: {}", error.msg), offset};
  } catch (const std::exception& error) {
    return ReadFailure{fmt::format("invalid YAML: {}", error.what()), 0};
  }
}

// ---- Recognising documents and extracting constraints -----------------------------------------

using detail::describe;

std::string join(std::string_view path, std::string_view key) { return detail::join_path(path, key); }

std::string element(std::string_view path, std::size_t index) { return detail::element_path(path, index); }

// The CloudFormation function that builds `tree`, in long form ("Fn::Sub", "Ref"), or empty.
std::string intrinsic(const Tree& tree) {
  if (!tree.tag.empty()) {
    const std::string_view name = std::string_view(tree.tag).substr(1);
    return name == "Ref" || name == "Condition" ? std::string(name) : fmt::format("Fn::{}", name);
  }
  if (tree.kind == Tree::Kind::map && tree.members.size() == 1) {
    const std::string& key = tree.members.front().name;
    if (key == "Ref" || key == "Condition" || key.starts_with("Fn::")) return key;
  }
  return {};
}

// The logical id named by `TaskDefinition: !Ref X` or `{"Ref": "X"}`.
std::string ref_target(const Tree& tree) {
  if (tree.tag == "!Ref" && tree.kind == Tree::Kind::scalar) return tree.text;
  if (tree.kind == Tree::Kind::map && tree.members.size() == 1 && tree.members.front().name == "Ref" &&
      tree.members.front().value.kind == Tree::Kind::scalar) {
    return tree.members.front().value.text;
  }
  return {};
}

std::string literal_text(const Tree* tree) {
  return tree != nullptr && tree->kind == Tree::Kind::scalar && tree->tag.empty() ? tree->text : std::string();
}

// The arguments of a CloudFormation function in either form: `!Name args` or `{"Fn::Name": args}`.
const Tree* function_arguments(const Tree& tree, std::string_view name) {
  if (tree.tag.size() == name.size() + 1 && std::string_view(tree.tag).substr(1) == name) return &tree;
  if (tree.kind == Tree::Kind::map && tree.members.size() == 1 && tree.members.front().name == fmt::format("Fn::{}", name)) {
    return &tree.members.front().value;
  }
  return nullptr;
}

// The two branches of `!If [Condition, A, B]`; a branch that is `!Ref AWS::NoValue` is nullptr.
std::optional<std::array<const Tree*, 2>> if_branches(const Tree& tree) {
  const Tree* arguments = function_arguments(tree, "If");
  if (arguments == nullptr || arguments->kind != Tree::Kind::sequence || arguments->items.size() != 3) return std::nullopt;
  std::array<const Tree*, 2> branches{&arguments->items[1], &arguments->items[2]};
  for (const Tree*& branch : branches) {
    if (ref_target(*branch) == "AWS::NoValue") branch = nullptr;
  }
  return branches;
}

// The path of branch `index` (0 or 1) of the If at `path`, as the file writes it.
std::string if_branch_path(const Tree& tree, const std::string& path, std::size_t index) {
  return tree.tag.empty() ? element(join(path, "Fn::If"), index + 1) : element(path, index + 1);
}

// The template of `!Sub 'text'`, `!Sub ['text', {...}]` or `{"Fn::Sub": ...}`, or nullptr.
const Tree* sub_template(const Tree& tree) {
  const Tree* arguments = function_arguments(tree, "Sub");
  if (arguments == nullptr) return nullptr;
  const Tree* text = arguments->kind == Tree::Kind::sequence && !arguments->items.empty() ? &arguments->items.front() : arguments;
  return text->kind == Tree::Kind::scalar ? text : nullptr;
}

// The `${...}` placeholders of a Fn::Sub template (`${!Literal}` included: it is not checked either).
std::vector<Span> placeholders_in(std::string_view text) {
  std::vector<Span> found;
  for (std::size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", at)) {
    const std::size_t close = text.find('}', at + 2);
    if (close == std::string_view::npos) break;
    found.push_back(Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(close + 1)});
    at = close + 1;
  }
  return found;
}

// Terraform addresses name a resource without its count/for_each index in the configuration.
std::string without_index(std::string_view address) {
  if (address.ends_with(']')) {
    if (const std::size_t open = address.rfind('['); open != std::string_view::npos) address = address.substr(0, open);
  }
  return std::string(address);
}

constexpr std::array<std::string_view, 3> api_task_definition_keys{"placementConstraints", "family", "containerDefinitions"};
constexpr std::array<std::string_view, 4> api_request_keys{"placementConstraints", "placementStrategy", "launchType", "desiredCount"};
constexpr std::array<std::string_view, 1> cloudformation_task_definition_keys{"PlacementConstraints"};
constexpr std::array<std::string_view, 4> cloudformation_service_keys{"PlacementConstraints", "PlacementStrategies", "LaunchType",
                                                                      "DesiredCount"};
constexpr std::array<std::string_view, 3> strategy_types{"random", "spread", "binpack"};

// `placementStrategies` for `placementStrategy` and back: the API and CloudFormation disagree on
// the number, and the words are too far apart for a spelling suggestion.
std::string_view other_number(std::string_view key, std::span<const std::string_view> known) {
  const std::string lowered = detail::ascii_lower(key);
  for (const std::string_view candidate : known) {
    const std::string wanted = detail::ascii_lower(candidate);
    if (wanted.ends_with("strategy") && lowered == wanted.substr(0, wanted.size() - 1) + "ies") return candidate;
    if (wanted.ends_with("strategies") && lowered == wanted.substr(0, wanted.size() - 3) + "y") return candidate;
  }
  return {};
}

// A list item that reads as a placement strategy rather than a constraint.
bool looks_like_strategy(const Tree& item) {
  if (!item.is_map() || item.find("expression") != nullptr) return false;
  if (item.find("field") != nullptr) return true;
  const std::string type = literal_text(item.find("type"));
  return std::find(strategy_types.begin(), strategy_types.end(), type) != strategy_types.end();
}

class Extractor {
 public:
  explicit Extractor(ConstraintDocument& document) : document_(document) {}

  void run(const Tree& root) {
    if (root.kind == Tree::Kind::sequence) {
      if (!root.items.empty() && std::all_of(root.items.begin(), root.items.end(), looks_like_strategy)) {
        document_.kind = DocumentKind::strategy_list;
        ConstraintSet& set = add_set(ConstraintOwner::unknown, {}, root, "");
        read_strategies(&root, "", false, set);
        return;
      }
      if (!root.items.empty() && std::all_of(root.items.begin(), root.items.end(), [](const Tree& item) {
            return item.is_map() && (item.find("type") != nullptr || item.find("expression") != nullptr);
          })) {
        document_.kind = DocumentKind::constraint_list;
        ConstraintSet& set = add_set(ConstraintOwner::unknown, {}, root, "");
        read_list(&root, "", false, set);
        return;
      }
      unrecognized(root);
      return;
    }
    if (!root.is_map()) {
      unrecognized(root);
      return;
    }
    const Tree* task_definition = root.find("taskDefinition");
    const Tree* services = root.find("services");
    const Tree* service = root.find("service");
    const Tree* targets = root.find("Targets");
    const Tree* target = root.find("Target");
    const Tree* run_params = root.find("run_params");
    if (root.find("format_version") != nullptr && (root.find("planned_values") != nullptr || root.find("values") != nullptr)) {
      const bool plan = root.find("planned_values") != nullptr;
      document_.kind = plan ? DocumentKind::terraform_plan : DocumentKind::terraform_state;
      terraform(root, plan ? "planned_values" : "values");
    } else if (root.find("Resources") != nullptr || root.find("AWSTemplateFormatVersion") != nullptr) {
      document_.kind = DocumentKind::cloudformation;
      cloudformation(root);
    } else if (task_definition != nullptr && task_definition->is_map()) {
      document_.kind = DocumentKind::task_definition_output;
      api_object(*task_definition, "taskDefinition", ConstraintOwner::task_definition);
    } else if (services != nullptr && services->kind == Tree::Kind::sequence) {
      document_.kind = DocumentKind::services_output;
      for (std::size_t i = 0; i < services->items.size(); ++i) {
        if (services->items[i].is_map()) api_object(services->items[i], element("services", i), ConstraintOwner::service);
      }
    } else if (service != nullptr && service->is_map()) {
      document_.kind = DocumentKind::service_output;
      api_object(*service, "service", ConstraintOwner::service);
    } else if (root.find("family") != nullptr || root.find("containerDefinitions") != nullptr) {
      document_.kind = DocumentKind::register_task_definition;
      api_object(root, "", ConstraintOwner::task_definition);
    } else if (root.find("serviceName") != nullptr) {
      document_.kind = DocumentKind::create_service;
      api_object(root, "", ConstraintOwner::service);
    } else if (service != nullptr) {
      document_.kind = DocumentKind::update_service;
      api_object(root, "", ConstraintOwner::service);
    } else if (task_definition != nullptr) {
      document_.kind = DocumentKind::run_task;
      api_object(root, "", ConstraintOwner::run_task);
    } else if (targets != nullptr && targets->kind == Tree::Kind::sequence &&
               std::any_of(targets->items.begin(), targets->items.end(),
                           [](const Tree& item) { return item.find("EcsParameters") != nullptr; })) {
      document_.kind = DocumentKind::eventbridge_targets;
      event_targets(*targets, "Targets", false);
    } else if (target != nullptr && target->is_map() && target->find("EcsParameters") != nullptr) {
      document_.kind = DocumentKind::scheduler_target;
      const std::string path = join("Target", "EcsParameters");
      ecs_parameters(*target->find("EcsParameters"), path, false, literal_text(root.find("Name")), "PlacementStrategy");
    } else if (run_params != nullptr && run_params->is_map() && root.find("version") != nullptr) {
      document_.kind = DocumentKind::ecs_params;
      ecs_params(*run_params);
    } else if (root.find("placementConstraints") != nullptr) {
      document_.kind = DocumentKind::constraint_list;
      api_object(root, "", ConstraintOwner::unknown);
    } else if (root.find("placementStrategy") != nullptr) {
      document_.kind = DocumentKind::strategy_list;
      api_object(root, "", ConstraintOwner::unknown);
    } else {
      unrecognized(root);
    }
  }

 private:
  FileLocation locate(std::string path, const Tree& at) const { return detail::locate(document_, std::move(path), at); }

  void report(std::string code, Severity severity, const std::string& path, const Tree& at, std::string message,
              std::vector<std::string> notes = {}) {
    Diagnostic diagnostic{severity, std::move(code), std::move(message), Span{at.offset, at.offset + at.length}, {},
                          std::move(notes), {}};
    document_.diagnostics.push_back(DocumentDiagnostic{std::move(diagnostic), path});
  }

  void unrecognized(const Tree& root) {
    report(rule::unrecognized_document, Severity::warning, "", root,
           "not a task definition, service, RunTask request, EventBridge target, Terraform plan or CloudFormation "
           "template; no constraints read",
           {"recognised: RegisterTaskDefinition, CreateService, UpdateService and RunTask input; the output of "
            "`aws ecs describe-task-definition`, `describe-services`, `create-service` and `update-service`; a list of "
            "constraints or strategies; EventBridge rule targets and Scheduler schedules with EcsParameters; ecs-cli "
            "ecs-params.yml; `terraform show -json` plans and state; CloudFormation templates with "
            "AWS::ECS::TaskDefinition, AWS::ECS::Service, AWS::Events::Rule or AWS::Scheduler::Schedule resources"});
  }

  ConstraintSet& add_set(ConstraintOwner owner, std::string name, const Tree& at, std::string path) {
    ConstraintSet set;
    set.owner = owner;
    set.name = std::move(name);
    set.at = locate(std::move(path), at);
    document_.sets.push_back(std::move(set));
    return document_.sets.back();
  }

  // ECSQ-L006: a property that holds constraints, strategies, the launch type or the desired count,
  // written in another case or misspelt, is not read by AWS either (or is rejected).
  void misspelled_properties(const Tree& object, const std::string& path, std::span<const std::string_view> known) {
    for (const auto& [key, value] : object.members) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string_view meant = closest_spelling(key, known);
      if (meant.empty()) meant = other_number(key, known);
      if (meant.empty() || object.find(meant) != nullptr) continue;
      const std::string& text = document_.text;
      const bool quoted = value.key_offset < text.size() && (text[value.key_offset] == '"' || text[value.key_offset] == '\'');
      const std::string replacement = quoted ? fmt::format("{0}{1}{0}", text[value.key_offset], meant) : std::string(meant);
      const Span span{value.key_offset, value.key_offset + value.key_length};
      Diagnostic diagnostic{Severity::error, rule::misspelled_property,
                            fmt::format("property '{}' is not read; did you mean '{}'?", key, meant), span, {},
                            {fmt::format("property names are case-sensitive: nothing in '{}' is checked, and AWS ignores or "
                                         "rejects it",
                                         key)},
                            {FixIt{span, replacement}}};
      document_.diagnostics.push_back(DocumentDiagnostic{std::move(diagnostic), join(path, key)});
    }
  }

  void read_launch_type(const Tree* value, const std::string& path, ConstraintSet& set) {
    const std::string text = literal_text(value);
    if (text.empty()) return;
    set.launch_type = text;
    set.launch_type_at = locate(path, *value);
  }

  void read_desired_count(const Tree* value, const std::string& path, ConstraintSet& set) {
    const std::string text = literal_text(value);
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return;
    set.desired_count = count;
    set.desired_count_at = locate(path, *value);
  }

  // An API request or response object: RegisterTaskDefinition, CreateService, RunTask, ...
  void api_object(const Tree& object, const std::string& path, ConstraintOwner owner) {
    std::string name;
    if (owner == ConstraintOwner::task_definition) {
      name = literal_text(object.find("family"));
    } else if (owner == ConstraintOwner::service) {
      name = literal_text(object.find("serviceName"));
      if (name.empty()) name = literal_text(object.find("service"));
    }
    ConstraintSet& set = add_set(owner, name, object, path);
    if (owner == ConstraintOwner::task_definition) {
      set.family = name;
    } else {
      set.task_definition = literal_text(object.find("taskDefinition"));
      read_launch_type(object.find("launchType"), join(path, "launchType"), set);
      read_desired_count(object.find("desiredCount"), join(path, "desiredCount"), set);
    }
    const std::string list_path = join(path, "placementConstraints");
    read_list(object.find("placementConstraints"), list_path, false, set);
    if (owner != ConstraintOwner::task_definition) {
      read_strategies(object.find("placementStrategy"), join(path, "placementStrategy"), false, set);
      misspelled_properties(object, path, api_request_keys);
    } else {
      misspelled_properties(object, path, api_task_definition_keys);
    }
  }

  void cloudformation(const Tree& root) {
    const Tree* resources = root.find("Resources");
    if (resources == nullptr || !resources->is_map()) return;
    for (const auto& [id, resource] : resources->members) {
      if (!resource.is_map()) continue;
      const std::string type = literal_text(resource.find("Type"));
      const std::string path = join(join("Resources", id), "Properties");
      const Tree* properties = resource.find("Properties");
      if (type == "AWS::Events::Rule" || type == "AWS::Scheduler::Schedule") {
        if (properties == nullptr || !properties->is_map()) continue;
        if (type == "AWS::Events::Rule") {
          if (const Tree* targets = properties->find("Targets"); targets != nullptr && targets->kind == Tree::Kind::sequence) {
            event_targets(*targets, join(path, "Targets"), true, id);
          }
        } else if (const Tree* target = properties->find("Target"); target != nullptr && target->is_map()) {
          if (const Tree* parameters = target->find("EcsParameters")) {
            ecs_parameters(*parameters, join(join(path, "Target"), "EcsParameters"), true, id, "PlacementStrategy");
          }
        }
        continue;
      }
      const bool task_definition = type == "AWS::ECS::TaskDefinition";
      if (!task_definition && type != "AWS::ECS::Service") continue;
      ConstraintSet& set = add_set(task_definition ? ConstraintOwner::task_definition : ConstraintOwner::service, id,
                                   properties != nullptr ? *properties : resource, path);
      set.resource = id;
      if (properties == nullptr || !properties->is_map()) continue;
      if (task_definition) {
        set.family = literal_text(properties->find("Family"));
      } else {
        if (const Tree* named = properties->find("TaskDefinition")) {
          set.task_definition_resource = ref_target(*named);
          set.task_definition = literal_text(named);
        }
        read_launch_type(properties->find("LaunchType"), join(path, "LaunchType"), set);
        read_desired_count(properties->find("DesiredCount"), join(path, "DesiredCount"), set);
      }
      read_list(properties->find("PlacementConstraints"), join(path, "PlacementConstraints"), true, set);
      if (!task_definition) {
        read_strategies(properties->find("PlacementStrategies"), join(path, "PlacementStrategies"), true, set);
        misspelled_properties(*properties, path, cloudformation_service_keys);
      } else {
        misspelled_properties(*properties, path, cloudformation_task_definition_keys);
      }
    }
  }

  // EventBridge rule targets (PutTargets, list-targets-by-rule, AWS::Events::Rule): each target
  // with EcsParameters runs tasks as a RunTask request would.
  void event_targets(const Tree& targets, const std::string& path, bool cloudformation, const std::string& resource = {}) {
    for (std::size_t i = 0; i < targets.items.size(); ++i) {
      const Tree& target = targets.items[i];
      const Tree* parameters = target.is_map() ? target.find("EcsParameters") : nullptr;
      if (parameters == nullptr) continue;
      const std::string id = literal_text(target.find("Id"));
      const std::string name = resource.empty() ? id : id.empty() ? resource : fmt::format("{}/{}", resource, id);
      ecs_parameters(*parameters, join(element(path, i), "EcsParameters"), cloudformation, name,
                     cloudformation ? "PlacementStrategies" : "PlacementStrategy");
    }
  }

  // The EcsParameters of an EventBridge or Scheduler target. Their list items are written as in
  // the ECS API (`type`, `expression`) in API input and as in CloudFormation (`Type`) in templates.
  void ecs_parameters(const Tree& parameters, const std::string& path, bool cloudformation, std::string name,
                      std::string_view strategies_key) {
    ConstraintSet& set = add_set(ConstraintOwner::run_task, std::move(name), parameters, path);
    if (!parameters.is_map()) return;
    set.resource = cloudformation ? set.name : std::string();
    if (const Tree* named = parameters.find("TaskDefinitionArn")) {
      set.task_definition = literal_text(named);
      if (cloudformation) set.task_definition_resource = ref_target(*named);
    }
    read_launch_type(parameters.find("LaunchType"), join(path, "LaunchType"), set);
    read_list(parameters.find("PlacementConstraints"), join(path, "PlacementConstraints"), cloudformation, set);
    read_strategies(parameters.find(strategies_key), join(path, strategies_key), cloudformation, set);
    const std::array<std::string_view, 4> known{"PlacementConstraints", strategies_key, "LaunchType", "TaskDefinitionArn"};
    misspelled_properties(parameters, path, known);
  }

  // ecs-cli's ecs-params.yml: `run_params.task_placement` holds `strategy` and `constraints`.
  void ecs_params(const Tree& run_params) {
    const Tree* placement = run_params.find("task_placement");
    if (placement == nullptr || !placement->is_map()) return;
    const std::string path = join("run_params", "task_placement");
    ConstraintSet& set = add_set(ConstraintOwner::unknown, {}, *placement, path);
    read_list(placement->find("constraints"), join(path, "constraints"), false, set);
    read_strategies(placement->find("strategy"), join(path, "strategy"), false, set);
  }

  // `terraform show -json`: resources of the root module and, recursively, of child modules.
  void terraform(const Tree& root, const std::string& values_key) {
    const Tree* values = root.find(values_key);
    const Tree* module = values != nullptr && values->is_map() ? values->find("root_module") : nullptr;
    if (module == nullptr || !module->is_map()) return;
    std::map<std::string, std::string> references;
    if (const Tree* configuration = root.find("configuration"); configuration != nullptr && configuration->is_map()) {
      if (const Tree* configured = configuration->find("root_module")) terraform_references(*configured, "", references);
    }
    terraform_module(*module, join(values_key, "root_module"), references);
  }

  // A plan's configuration says which task definition each service's `task_definition` refers to,
  // which the planned values leave unknown until the task definition is registered.
  void terraform_references(const Tree& module, const std::string& prefix, std::map<std::string, std::string>& out) {
    if (!module.is_map()) return;
    if (const Tree* resources = module.find("resources"); resources != nullptr && resources->kind == Tree::Kind::sequence) {
      for (const Tree& resource : resources->items) {
        if (!resource.is_map() || literal_text(resource.find("type")) != "aws_ecs_service") continue;
        const Tree* expressions = resource.find("expressions");
        const Tree* named = expressions != nullptr && expressions->is_map() ? expressions->find("task_definition") : nullptr;
        const Tree* list = named != nullptr && named->is_map() ? named->find("references") : nullptr;
        if (list == nullptr || list->kind != Tree::Kind::sequence) continue;
        constexpr std::string_view kind = "aws_ecs_task_definition.";
        for (const Tree& reference : list->items) {
          const std::string text = literal_text(&reference);
          if (!text.starts_with(kind)) continue;
          const std::size_t end = text.find('.', kind.size());
          out[prefix + literal_text(resource.find("address"))] = prefix + text.substr(0, end);
          break;
        }
      }
    }
    if (const Tree* calls = module.find("module_calls"); calls != nullptr && calls->is_map()) {
      for (const auto& [name, call] : calls->members) {
        if (const Tree* child = call.is_map() ? call.find("module") : nullptr) {
          terraform_references(*child, fmt::format("{}module.{}.", prefix, name), out);
        }
      }
    }
  }

  void terraform_module(const Tree& module, const std::string& path, const std::map<std::string, std::string>& references) {
    if (const Tree* resources = module.find("resources"); resources != nullptr && resources->kind == Tree::Kind::sequence) {
      for (std::size_t i = 0; i < resources->items.size(); ++i) {
        const Tree& resource = resources->items[i];
        if (!resource.is_map() || literal_text(resource.find("mode")) == "data") continue;
        const std::string type = literal_text(resource.find("type"));
        const bool task_definition = type == "aws_ecs_task_definition";
        const Tree* values = resource.find("values");
        if ((!task_definition && type != "aws_ecs_service") || values == nullptr || !values->is_map()) continue;
        const std::string address = literal_text(resource.find("address"));
        const std::string values_path = join(element(join(path, "resources"), i), "values");
        ConstraintSet& set = add_set(task_definition ? ConstraintOwner::task_definition : ConstraintOwner::service, address,
                                     *values, values_path);
        set.resource = without_index(address);
        if (task_definition) {
          set.family = literal_text(values->find("family"));
        } else {
          set.task_definition = literal_text(values->find("task_definition"));
          if (const auto found = references.find(set.resource); found != references.end()) {
            set.task_definition_resource = found->second;
          }
          read_launch_type(values->find("launch_type"), join(values_path, "launch_type"), set);
          read_desired_count(values->find("desired_count"), join(values_path, "desired_count"), set);
        }
        read_list(values->find("placement_constraints"), join(values_path, "placement_constraints"), false, set);
        if (!task_definition) {
          read_strategies(values->find("ordered_placement_strategy"), join(values_path, "ordered_placement_strategy"), false,
                          set);
        }
      }
    }
    if (const Tree* children = module.find("child_modules"); children != nullptr && children->kind == Tree::Kind::sequence) {
      for (std::size_t i = 0; i < children->items.size(); ++i) {
        if (children->items[i].is_map()) {
          terraform_module(children->items[i], element(join(path, "child_modules"), i), references);
        }
      }
    }
  }

  void read_strategies(const Tree* list, const std::string& path, bool cloudformation, ConstraintSet& set) {
    if (list == nullptr || list->kind == Tree::Kind::null || !intrinsic(*list).empty()) return;
    set.strategies_at = locate(path, *list);
    if (list->kind != Tree::Kind::sequence) {
      report(rule::malformed_constraint, Severity::error, path, *list,
             fmt::format("expected a list of strategies, found {}", describe(*list)));
      return;
    }
    const std::string_view type_key = cloudformation ? "Type" : "type";
    const std::string_view field_key = cloudformation ? "Field" : "field";
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Tree& item = list->items[i];
      const std::string item_path = element(path, i);
      PlacementStrategy strategy;
      strategy.at = locate(item_path, item);
      strategy.type_at = strategy.at;
      strategy.field_at = strategy.at;
      if (!intrinsic(item).empty()) {
        strategy.computed = true;
      } else if (!item.is_map()) {
        report(rule::malformed_constraint, Severity::error, item_path, item,
               fmt::format("expected a strategy object, found {}", describe(item)));
        continue;
      } else {
        for (const auto& [key, value] : item.members) {
          const std::string field_path = join(item_path, key);
          std::string computed;
          if (key == type_key) {
            strategy.type_at = locate(field_path, value);
            read_field(value, field_path, strategy.type, computed);
          } else if (key == field_key) {
            strategy.field_at = locate(field_path, value);
            read_field(value, field_path, strategy.field, computed);
          } else {
            strategy.extra_fields.push_back(ExtraField{key, key_location(field_path, value)});
          }
          strategy.computed = strategy.computed || !computed.empty();
        }
      }
      set.strategies.push_back(std::move(strategy));
    }
  }

  void read_list(const Tree* list, const std::string& path, bool cloudformation, ConstraintSet& set) {
    if (list == nullptr || list->kind == Tree::Kind::null) return;
    set.at = locate(path, *list);
    if (const auto branches = if_branches(*list); branches && cloudformation) {
      // Both branches are checked; only one applies, which the limits take into account.
      for (std::size_t b = 0; b < 2; ++b) {
        const Tree* branch = (*branches)[b];
        if (branch != nullptr && branch->kind != Tree::Kind::sequence) {
          set.computed_list = "Fn::If";
          return;
        }
      }
      for (std::size_t b = 0; b < 2; ++b) {
        const Tree* branch = (*branches)[b];
        if (branch == nullptr) continue;
        const std::string branch_path = if_branch_path(*list, path, b);
        for (std::size_t i = 0; i < branch->items.size(); ++i) {
          read_constraint(branch->items[i], element(branch_path, i), cloudformation, set, static_cast<std::uint8_t>(b + 1));
        }
      }
      return;
    }
    if (std::string function = intrinsic(*list); !function.empty()) {
      set.computed_list = std::move(function);
      return;
    }
    if (list->kind != Tree::Kind::sequence) {
      report(rule::malformed_constraint, Severity::error, path, *list,
             fmt::format("expected a list of constraints, found {}", describe(*list)));
      return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      read_constraint(list->items[i], element(path, i), cloudformation, set);
    }
  }

  FileLocation key_location(const std::string& path, const Tree& value) const {
    FileLocation at = locate(path, value);
    at.offset = value.key_offset;
    at.length = value.key_length;
    at.position = position_in(document_, value.key_offset);
    return at;
  }

  // `if_branch` is set inside a branch of Fn::If; `expression` replaces the item's own expression
  // (one branch of an expression written with Fn::If).
  void read_constraint(const Tree& item, const std::string& path, bool cloudformation, ConstraintSet& set,
                       std::uint8_t if_branch = 0, const Tree* expression = nullptr, const std::string& expression_path = {}) {
    PlacementConstraint constraint;
    constraint.at = locate(path, item);
    constraint.type_at = constraint.at;
    constraint.expression_at = constraint.at;
    constraint.if_branch = if_branch;
    if (const auto branches = if_branches(item); branches && cloudformation && if_branch == 0) {
      for (std::size_t b = 0; b < 2; ++b) {
        if (const Tree* branch = (*branches)[b]) {
          read_constraint(*branch, if_branch_path(item, path, b), cloudformation, set, static_cast<std::uint8_t>(b + 1));
        }
      }
      return;
    }
    if (std::string function = intrinsic(item); !function.empty()) {
      constraint.computed = std::move(function);
      set.constraints.push_back(std::move(constraint));
      return;
    }
    if (!item.is_map()) {
      report(rule::malformed_constraint, Severity::error, path, item, fmt::format("expected a constraint object, found {}", describe(item)));
      return;
    }
    const std::string_view type_key = cloudformation ? "Type" : "type";
    const std::string_view expression_key = cloudformation ? "Expression" : "expression";
    for (const auto& [key, value] : item.members) {
      const std::string field_path = join(path, key);
      if (key == type_key) {
        constraint.type_at = locate(field_path, value);
        read_field(value, field_path, constraint.type, constraint.computed_type);
      } else if (key == expression_key) {
        const auto branches = if_branches(value);
        if (expression == nullptr && branches && cloudformation && if_branch == 0 && (*branches)[0] != nullptr &&
            (*branches)[1] != nullptr) {
          for (std::size_t b = 0; b < 2; ++b) {
            read_constraint(item, path, cloudformation, set, static_cast<std::uint8_t>(b + 1), (*branches)[b],
                            if_branch_path(value, field_path, b));
          }
          return;
        }
        const Tree& written = expression != nullptr ? *expression : value;
        const std::string& written_path = expression != nullptr ? expression_path : field_path;
        constraint.expression_at = locate(written_path, written);
        read_field(written, written_path, constraint.expression, constraint.computed_expression, &constraint.placeholders);
        const Tree* source = sub_template(written);
        if (constraint.expression && constraint.placeholders.empty()) {
          constraint.expression_text_offset = (source != nullptr ? *source : written).text_offset;
        }
      } else if (if_branch != 2 || expression == nullptr) {
        constraint.extra_fields.push_back(ExtraField{key, key_location(field_path, value)});
      }
    }
    set.constraints.push_back(std::move(constraint));
  }

  // A `Fn::Sub` without placeholders is plain text; with placeholders it is kept as written when
  // the caller can check around them (`placeholders`), else it counts as computed.
  void read_field(const Tree& value, const std::string& path, std::optional<std::string>& text, std::string& computed,
                  std::vector<Span>* placeholders = nullptr) {
    if (const Tree* source = sub_template(value)) {
      std::vector<Span> found = placeholders_in(source->text);
      if (found.empty() || placeholders != nullptr) {
        text = source->text;
        if (placeholders != nullptr) *placeholders = std::move(found);
      } else {
        computed = "Fn::Sub";
      }
    } else if (std::string function = intrinsic(value); !function.empty()) {
      computed = std::move(function);
    } else if (value.kind == Tree::Kind::scalar && value.string) {
      text = value.text;
    } else if (value.kind != Tree::Kind::null) {
      report(rule::malformed_constraint, Severity::error, path, value, fmt::format("expected a string, found {}", describe(value)));
    }
  }

  ConstraintDocument& document_;
};

std::size_t first_content(std::string_view text) {
  std::size_t i = 0;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;  // a UTF-8 byte order mark
  while (i < text.size() && std::strchr(" \t\r\n", text[i]) != nullptr) ++i;
  return i;
}

ConstraintDocument unreadable(std::string origin, std::string text, std::string message, std::uint32_t offset) {
  ConstraintDocument document;
  document.origin = std::move(origin);
  document.text = std::move(text);
  document.lines = LineIndex(document.text);
  document.unreadable = true;
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(document.text.size()));
  document.diagnostics.push_back(
      DocumentDiagnostic{Diagnostic{Severity::error, rule::unreadable_input, std::move(message), Span{offset, offset + 1}, {}, {}, {}}, ""});
  return document;
}

}  // namespace

namespace detail {

const Tree* Tree::find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string_view describe(const Tree& tree) {
  switch (tree.kind) {
    case Tree::Kind::null: return "null";
    case Tree::Kind::scalar: return tree.string ? "a string" : "a number or boolean";
    case Tree::Kind::map: return "an object";
    case Tree::Kind::sequence: return "a list";
  }
  return "a value";
}

std::string join_path(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string element_path(std::string_view path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

FileLocation locate(const ConstraintDocument& document, std::string path, const Tree& at) {
  return FileLocation{std::move(path), at.offset, at.length, position_in(document, at.offset)};
}

DocumentTree read_document_tree(std::string text, std::string origin) {
  const std::size_t start = first_content(text);
  if (start == text.size()) return {unreadable(std::move(origin), std::move(text), "the file is empty", 0), std::nullopt};
  const bool json = text[start] == '{' || text[start] == '[';
  auto tree = json ? read_json(text) : read_yaml(text);
  if (auto* failure = std::get_if<ReadFailure>(&tree)) {
    return {unreadable(std::move(origin), std::move(text), std::move(failure->message), failure->offset), std::nullopt};
  }
  DocumentTree out;
  out.document.origin = std::move(origin);
  out.document.text = std::move(text);
  out.document.lines = LineIndex(out.document.text);
  out.tree = std::move(std::get<Tree>(tree));
  Extractor(out.document).run(*out.tree);
  return out;
}

DocumentTree read_document_tree_file(const std::string& path) {
  if (path == "-") {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    return read_document_tree(std::move(text), "stdin");
  }
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) return {unreadable(path, {}, "cannot read: is a directory", 0), std::nullopt};
  std::ifstream file(path, std::ios::binary);
  if (!file) return {unreadable(path, {}, fmt::format("cannot read: {}", std::strerror(errno)), 0), std::nullopt};
  std::ostringstream buffer;
  buffer << file.rdbuf();
  if (file.bad()) return {unreadable(path, {}, fmt::format("cannot read: {}", std::strerror(errno)), 0), std::nullopt};
  return read_document_tree(std::move(buffer).str(), path);
}

}  // namespace detail

ConstraintDocument read_constraint_document(std::string text, std::string origin) {
  return detail::read_document_tree(std::move(text), std::move(origin)).document;
}

ConstraintDocument read_constraint_file(const std::string& path) {
  return detail::read_document_tree_file(path).document;
}

namespace {

// Code points are counted per block, so a position needs at most one block's worth of counting
// (a minified file is one long line).
constexpr std::uint32_t block_size = 4096;

bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  line_starts_.push_back(0);
  std::uint32_t count = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i % block_size == 0) code_points_before_block_.push_back(count);
    if (i == text.size()) break;
    if (starts_code_point(text[i])) ++count;
    if (text[i] == '\n') line_starts_.push_back(to_offset(static_cast<std::ptrdiff_t>(i + 1)));
  }
}

LineColumn LineIndex::at(std::string_view text, std::uint32_t offset) const noexcept {
  if (line_starts_.empty() || code_points_before_block_.size() != text.size() / block_size + 1) {
    return line_column(text, offset);  // not built from this text
  }
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  const auto code_points_before = [&](std::uint32_t at) {
    const std::uint32_t block = at / block_size;
    const std::string_view part = text.substr(std::size_t{block} * block_size, at - block * block_size);
    return code_points_before_block_[block] +
           static_cast<std::uint32_t>(std::count_if(part.begin(), part.end(), starts_code_point));
  };
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::uint32_t start = *(next - 1);
  return {static_cast<std::uint32_t>(next - line_starts_.begin()), code_points_before(offset) - code_points_before(start) + 1};
}

LineColumn position_in(const ConstraintDocument& document, std::uint32_t offset) noexcept {
  return document.lines.at(document.text, offset);
}

std::string_view to_string(ConstraintOwner owner) noexcept {
  switch (owner) {
    case ConstraintOwner::task_definition: return "task definition";
    case ConstraintOwner::service: return "service";
    case ConstraintOwner::run_task: return "RunTask request";
    case ConstraintOwner::unknown: return "constraint list";
  }
  return "constraint list";
}

std::string_view to_string(DocumentKind kind) noexcept {
  switch (kind) {
    case DocumentKind::unrecognized: return "unrecognized document";
    case DocumentKind::register_task_definition: return "RegisterTaskDefinition input";
    case DocumentKind::task_definition_output: return "describe-task-definition output";
    case DocumentKind::create_service: return "CreateService input";
    case DocumentKind::update_service: return "UpdateService input";
    case DocumentKind::services_output: return "describe-services output";
    case DocumentKind::run_task: return "RunTask input";
    case DocumentKind::constraint_list: return "constraint list";
    case DocumentKind::cloudformation: return "CloudFormation template";
    case DocumentKind::service_output: return "create-service/update-service output";
    case DocumentKind::strategy_list: return "strategy list";
    case DocumentKind::eventbridge_targets: return "EventBridge targets";
    case DocumentKind::scheduler_target: return "EventBridge Scheduler target";
    case DocumentKind::ecs_params: return "ecs-cli ecs-params.yml";
    case DocumentKind::terraform_plan: return "Terraform plan";
    case DocumentKind::terraform_state: return "Terraform state";
  }
  return "unrecognized document";
}

}  // namespace ecsq
