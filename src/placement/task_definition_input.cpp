// Task definitions into a TaskDemand (contract §2, §6a): RegisterTaskDefinition input or
// describe-task-definition output, JSON or YAML. The file is read once, by the lint reader, whose
// tree this walks; constraints come from the lint reader's ConstraintSet, so lint and placement
// agree on what a file says and where.
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "ecsq/codes.hpp"
#include "ecsq/placement.hpp"
#include "placement/input_reader.hpp"

namespace ecsq {

namespace {

using detail::InputReader;
using detail::Tree;
using detail::element_path;
using detail::join_path;

constexpr std::int64_t max_port = 65535;

// a + b, or nullopt when the sum leaves 64 bits.
std::optional<std::int64_t> checked_sum(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

std::optional<NetworkMode> network_mode_named(std::string_view name) {
  if (name == "bridge") return NetworkMode::bridge;
  if (name == "host") return NetworkMode::host;
  if (name == "awsvpc") return NetworkMode::awsvpc;
  if (name == "none") return NetworkMode::none;
  return std::nullopt;
}

// "8000-8010" (spaces allowed around the numbers): the two ports, or nullopt.
std::optional<std::pair<std::int64_t, std::int64_t>> port_range(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto from = detail::digits_value(text.substr(0, dash));
  const auto to = detail::digits_value(text.substr(dash + 1));
  if (!from || !to) return std::nullopt;
  return std::pair(*from, *to);
}

class DemandReader {
 public:
  DemandReader(InputReader& in, std::string prefix) : in_(in), prefix_(std::move(prefix)) {}

  TaskDemand read(const Tree& definition) {
    TaskDemand demand;
    read_identity(definition, demand);
    read_network_mode(definition, demand);
    const std::optional<std::int64_t> task_cpu = task_amount(definition, "cpu", parse_cpu_units, "CPU units");
    const std::optional<std::int64_t> task_memory = task_amount(definition, "memory", parse_memory_mib, "MiB");
    // A task-level memory that cannot be read is reported once, not again for every container.
    read_containers(definition, demand, InputReader::field(definition, "memory") != nullptr);
    if (task_cpu) demand.cpu = *task_cpu;
    if (task_memory) demand.memory = *task_memory;
    read_required_attributes(definition, demand);
    std::sort(demand.tcp_ports.begin(), demand.tcp_ports.end());
    demand.tcp_ports.erase(std::unique(demand.tcp_ports.begin(), demand.tcp_ports.end()), demand.tcp_ports.end());
    std::sort(demand.udp_ports.begin(), demand.udp_ports.end());
    demand.udp_ports.erase(std::unique(demand.udp_ports.begin(), demand.udp_ports.end()), demand.udp_ports.end());
    return demand;
  }

 private:
  [[nodiscard]] std::string path(std::string_view key) const { return join_path(prefix_, key); }

  void read_identity(const Tree& definition, TaskDemand& demand) {
    if (const Tree* family = InputReader::field(definition, "family")) {
      if (auto text = in_.string(*family, path("family"))) demand.family = std::move(*text);
    } else {
      in_.report(code::placement_wrong_type, prefix_, definition, "missing required field \"family\"",
                 {"a task's default group is family:FAMILY, and AWS requires the family"});
    }
    if (const Tree* arn = InputReader::field(definition, "taskDefinitionArn")) {
      if (auto text = in_.string(*arn, path("taskDefinitionArn"))) demand.task_definition_arn = std::move(*text);
    }
  }

  void read_network_mode(const Tree& definition, TaskDemand& demand) {
    const Tree* mode = InputReader::field(definition, "networkMode");
    if (mode == nullptr) return;  // AWS's default: bridge
    const auto text = in_.string(*mode, path("networkMode"));
    if (!text) return;
    if (const auto named = network_mode_named(*text)) {
      demand.network_mode = *named;
      demand.needs_eni = *named == NetworkMode::awsvpc;
      return;
    }
    in_.report(code::placement_unknown_network_mode, path("networkMode"), *mode,
               fmt::format("unknown network mode \"{}\"", *text), {"the network modes are bridge, host, awsvpc and none"});
  }

  // Task-level `cpu` or `memory`: a string in AWS's API ("1 vCPU", "2GB", "1024"); a number is
  // read as given.
  std::optional<std::int64_t> task_amount(const Tree& definition, std::string_view key,
                                          std::optional<std::int64_t> (*parse)(std::string_view) noexcept,
                                          std::string_view unit) {
    const Tree* value = InputReader::field(definition, key);
    if (value == nullptr) return std::nullopt;
    const std::string where = path(key);
    if (value->kind != Tree::Kind::scalar || !value->tag.empty()) {
      in_.report(code::placement_wrong_type, where, *value,
                 fmt::format("expected a string or a number, found {}", detail::describe(*value)));
      return std::nullopt;
    }
    if (auto amount = parse(value->text)) return amount;
    in_.report(code::placement_invalid_amount, where, *value, fmt::format("cannot read \"{}\" as {}", value->text, unit),
               {key == "cpu" ? "task-level cpu is CPU units (\"1024\") or vCPUs (\"1 vCPU\", \"0.5 vCPU\")"
                             : "task-level memory is MiB (\"2048\") or GB (\"2GB\", \"2 GB\", \"0.5 GB\")"});
    return std::nullopt;
  }

  // A container's `cpu`, `memory` or `memoryReservation`: a non-negative integer.
  std::optional<std::int64_t> container_amount(const Tree& container, std::string_view key, const std::string& container_path) {
    const Tree* value = InputReader::field(container, key);
    if (value == nullptr) return std::nullopt;
    const std::string where = join_path(container_path, key);
    const auto amount = in_.integer(*value, where);
    if (!amount) return std::nullopt;
    if (*amount < 0) {
      in_.report(code::placement_invalid_amount, where, *value, fmt::format("must not be negative, found {}", *amount));
      return std::nullopt;
    }
    return amount;
  }

  void read_containers(const Tree& definition, TaskDemand& demand, bool task_memory_written) {
    const Tree* containers = InputReader::field(definition, "containerDefinitions");
    const std::string list_path = path("containerDefinitions");
    if (containers == nullptr) {
      in_.report(code::placement_wrong_type, prefix_, definition, "missing required field \"containerDefinitions\"");
      return;
    }
    if (in_.list(*containers, list_path) == nullptr) return;
    std::int64_t cpu = 0;
    std::int64_t memory = 0;
    bool overflow = false;
    for (std::size_t i = 0; i < containers->items.size(); ++i) {
      const Tree& item = containers->items[i];
      const std::string container_path = element_path(list_path, i);
      if (in_.object(item, container_path) == nullptr) continue;
      if (const auto units = container_amount(item, "cpu", container_path)) {
        const auto sum = checked_sum(cpu, *units);
        overflow = overflow || !sum;
        cpu = sum.value_or(cpu);
      }
      const auto hard = container_amount(item, "memory", container_path);
      const auto soft = container_amount(item, "memoryReservation", container_path);
      const bool written = InputReader::field(item, "memory") != nullptr || InputReader::field(item, "memoryReservation") != nullptr;
      if (soft || hard) {
        const auto sum = checked_sum(memory, soft ? *soft : *hard);
        overflow = overflow || !sum;
        memory = sum.value_or(memory);
      } else if (!written && !task_memory_written) {
        const Tree* name = InputReader::field(item, "name");
        in_.report(code::placement_no_memory, container_path, item,
                   name != nullptr && name->kind == Tree::Kind::scalar
                       ? fmt::format("container \"{}\" has neither memory nor memoryReservation, and the task "
                                     "definition has no task-level memory", name->text)
                       : "a container has neither memory nor memoryReservation, and the task definition has no "
                         "task-level memory",
                   {"add memoryReservation (what placement reserves) or memory to the container, or a task-level memory"});
      }
      read_port_mappings(item, container_path, demand);
      read_gpus(item, container_path, demand);
    }
    if (overflow) {
      in_.report(code::placement_invalid_amount, list_path, *containers, "the containers' CPU or memory adds up past 2^63-1");
    }
    demand.cpu = cpu;
    demand.memory = memory;
  }

  // An integer port field of a mapping, within [low, 65535].
  std::optional<std::int64_t> port(const Tree& mapping, std::string_view key, const std::string& mapping_path,
                                   std::int64_t low) {
    const Tree* value = InputReader::field(mapping, key);
    if (value == nullptr) return std::nullopt;
    const std::string where = join_path(mapping_path, key);
    const auto number = in_.integer(*value, where);
    if (!number) return std::nullopt;
    if (*number < low || *number > max_port) {
      in_.report(code::placement_invalid_port, where, *value,
                 fmt::format("port {} out of range ({} to {})", *number, low, max_port));
      return std::nullopt;
    }
    return number;
  }

  void read_port_mappings(const Tree& container, const std::string& container_path, TaskDemand& demand) {
    const Tree* mappings = InputReader::field(container, "portMappings");
    const std::string list_path = join_path(container_path, "portMappings");
    if (mappings == nullptr || in_.list(*mappings, list_path) == nullptr) return;
    for (std::size_t i = 0; i < mappings->items.size(); ++i) {
      const Tree& mapping = mappings->items[i];
      const std::string mapping_path = element_path(list_path, i);
      if (in_.object(mapping, mapping_path) == nullptr) continue;
      read_port_mapping(mapping, mapping_path, demand);
    }
  }

  void read_port_mapping(const Tree& mapping, const std::string& mapping_path, TaskDemand& demand) {
    bool udp = false;
    if (const Tree* protocol = InputReader::field(mapping, "protocol")) {
      const std::string where = join_path(mapping_path, "protocol");
      const auto text = in_.string(*protocol, where);
      if (!text) return;
      if (*text != "tcp" && *text != "udp") {
        in_.report(code::placement_invalid_port, where, *protocol, fmt::format("unknown protocol \"{}\"", *text),
                   {"the protocols are tcp and udp, in lower case"});
        return;
      }
      udp = *text == "udp";
    }
    const bool bad_before = in_.failed();
    const auto container_port = port(mapping, "containerPort", mapping_path, 1);
    const auto host_port = port(mapping, "hostPort", mapping_path, 0);
    const Tree* range = InputReader::field(mapping, "containerPortRange");
    const NetworkMode mode = demand.network_mode;
    if (range != nullptr) {
      read_port_range(mapping, *range, mapping_path, mode);
      return;
    }
    if (!container_port) {
      if (in_.failed() == bad_before && InputReader::field(mapping, "containerPort") == nullptr) {
        in_.report(code::placement_wrong_type, mapping_path, mapping,
                   "a port mapping needs \"containerPort\" or \"containerPortRange\"");
      }
      return;
    }
    // hostPort 0 asks for a dynamic port in bridge mode; elsewhere it is read as left out.
    const std::int64_t host = host_port.value_or(0);
    std::optional<std::int64_t> reserved;
    switch (mode) {
      case NetworkMode::bridge: if (host != 0) reserved = host; break;
      case NetworkMode::host:
      case NetworkMode::awsvpc:
        if (host != 0 && host != *container_port) {
          in_.report(code::placement_port_mode_mismatch, join_path(mapping_path, "hostPort"), *mapping.find("hostPort"),
                     fmt::format("hostPort {} differs from containerPort {} in {} network mode", host, *container_port,
                                 to_string(mode)),
                     {fmt::format("in {} mode, hostPort is left out or equal to containerPort", to_string(mode))});
          return;
        }
        if (mode == NetworkMode::host) reserved = *container_port;
        break;
      case NetworkMode::none: break;
    }
    if (reserved) (udp ? demand.udp_ports : demand.tcp_ports).push_back(static_cast<std::uint16_t>(*reserved));
  }

  // containerPortRange: dynamic host ports in bridge mode, the ENI's ports in awsvpc mode; neither
  // reserves a host port. AWS allows it in no other mode, and never with a hostPort.
  void read_port_range(const Tree& mapping, const Tree& range, const std::string& mapping_path, NetworkMode mode) {
    const std::string where = join_path(mapping_path, "containerPortRange");
    const auto text = in_.string(range, where);
    if (!text) return;
    const auto ports = port_range(*text);
    if (!ports || ports->first < 1 || ports->second > max_port || ports->first > ports->second) {
      in_.report(code::placement_invalid_port, where, range, fmt::format("invalid port range \"{}\"", *text),
                 {"a range is FROM-TO, two ports from 1 to 65535 with FROM not above TO, e.g. \"8000-8010\""});
      return;
    }
    if (mode != NetworkMode::bridge && mode != NetworkMode::awsvpc) {
      in_.report(code::placement_port_mode_mismatch, where, range,
                 fmt::format("containerPortRange in {} network mode", to_string(mode)),
                 {"containerPortRange exists only in bridge and awsvpc network modes"});
    } else if (const Tree* host = InputReader::field(mapping, "hostPort")) {
      in_.report(code::placement_port_mode_mismatch, join_path(mapping_path, "hostPort"), *host,
                 "hostPort together with containerPortRange", {"with containerPortRange, leave hostPort out"});
    }
  }

  void read_gpus(const Tree& container, const std::string& container_path, TaskDemand& demand) {
    const Tree* requirements = InputReader::field(container, "resourceRequirements");
    const std::string list_path = join_path(container_path, "resourceRequirements");
    if (requirements == nullptr || in_.list(*requirements, list_path) == nullptr) return;
    for (std::size_t i = 0; i < requirements->items.size(); ++i) {
      const Tree& requirement = requirements->items[i];
      const std::string item_path = element_path(list_path, i);
      if (in_.object(requirement, item_path) == nullptr) continue;
      const Tree* type = InputReader::field(requirement, "type");
      if (type == nullptr) {
        in_.report(code::placement_wrong_type, item_path, requirement, "missing required field \"type\"");
        continue;
      }
      const auto type_text = in_.string(*type, join_path(item_path, "type"));
      if (type_text != "GPU") continue;  // InferenceAccelerator is not a placement resource
      const Tree* value = InputReader::field(requirement, "value");
      const std::string value_path = join_path(item_path, "value");
      if (value == nullptr) {
        in_.report(code::placement_wrong_type, item_path, requirement, "missing required field \"value\"");
        continue;
      }
      // The API's value is a string ("1"); a number is read as given.
      const auto count = value->kind == Tree::Kind::scalar && value->tag.empty() ? detail::digits_value(value->text)
                                                                                 : std::nullopt;
      if (!count) {
        in_.report(code::placement_invalid_amount, value_path, *value,
                   value->kind == Tree::Kind::scalar ? fmt::format("cannot read \"{}\" as a number of GPUs", value->text)
                                                     : fmt::format("expected a number of GPUs, found {}", detail::describe(*value)),
                   {"a GPU requirement's value is a count such as \"1\""});
        continue;
      }
      const auto sum = checked_sum(demand.gpus, *count);
      if (!sum) {
        in_.report(code::placement_invalid_amount, value_path, *value, "the GPUs add up past 2^63-1");
        continue;
      }
      demand.gpus = *sum;
    }
  }

  void read_required_attributes(const Tree& definition, TaskDemand& demand) {
    const Tree* list = InputReader::field(definition, "requiresAttributes");
    const std::string list_path = path("requiresAttributes");
    if (list == nullptr || in_.list(*list, list_path) == nullptr) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Tree& item = list->items[i];
      const std::string item_path = element_path(list_path, i);
      if (in_.object(item, item_path) == nullptr) continue;
      const Tree* name = InputReader::field(item, "name");
      if (name == nullptr) {
        in_.report(code::placement_wrong_type, item_path, item, "missing required field \"name\"");
        continue;
      }
      auto name_text = in_.string(*name, join_path(item_path, "name"));
      if (!name_text) continue;
      RequiredAttribute attribute{std::move(*name_text), std::nullopt};
      if (const Tree* value = InputReader::field(item, "value")) {
        auto value_text = in_.string(*value, join_path(item_path, "value"));
        if (!value_text) continue;
        attribute.value = std::move(*value_text);
      }
      demand.required_attributes.push_back(std::move(attribute));
    }
  }

  InputReader& in_;
  std::string prefix_;
};

// The task definition's memberOf constraints as lint read them. What lint rejects (distinctInstance
// in a task definition, unknown types, computed parts) is left out; a memberOf without an
// expression matches every instance, so leaving it out changes nothing.
std::vector<ConstraintSpec> member_of_constraints(const ConstraintDocument& document) {
  std::vector<ConstraintSpec> out;
  for (const ConstraintSet& set : document.sets) {
    if (set.owner != ConstraintOwner::task_definition) continue;
    for (const PlacementConstraint& c : set.constraints) {
      if (!c.computed.empty() || c.type != "memberOf" || !c.expression) continue;
      if (c.expression->find_first_not_of(" \t\r\n") == std::string::npos) continue;
      out.push_back(ConstraintSpec{ConstraintSpec::Kind::member_of, *c.expression, c.expression_at, document.origin,
                                   c.expression_text_offset});
    }
  }
  return out;
}

TaskDefinitionInput read(detail::DocumentTree read) {
  TaskDefinitionInput result;
  result.document = std::move(read.document);
  if (!read.tree) return result;  // not JSON or YAML: the document's ECSQ-L001 says why
  InputReader in(result.document, result.diagnostics);
  const Tree& root = *read.tree;
  const Tree* definition = nullptr;
  std::string prefix;
  switch (result.document.kind) {
    case DocumentKind::register_task_definition: definition = &root; break;
    case DocumentKind::task_definition_output:
      definition = root.find("taskDefinition");
      prefix = "taskDefinition";
      break;
    default:
      in.report(code::placement_not_task_definition, "", root,
                fmt::format("expected a task definition, found {}", to_string(result.document.kind)),
                {"a task definition is RegisterTaskDefinition input ({\"family\": ..., \"containerDefinitions\": [...]}) "
                 "or the output of `aws ecs describe-task-definition` ({\"taskDefinition\": {...}})"});
      return result;
  }
  if (definition == nullptr || in.object(*definition, prefix) == nullptr) return result;
  TaskDemand demand = DemandReader(in, prefix).read(*definition);
  demand.constraints = member_of_constraints(result.document);
  if (!in.failed() && !detail::has_reading_error(result.document)) result.demand = std::move(demand);
  return result;
}

}  // namespace

TaskDefinitionInput read_task_definition(std::string text, std::string origin) {
  return read(detail::read_document_tree(std::move(text), std::move(origin)));
}

TaskDefinitionInput read_task_definition_file(const std::string& path) { return read(detail::read_document_tree_file(path)); }

std::string_view to_string(NetworkMode mode) noexcept {
  switch (mode) {
    case NetworkMode::bridge: return "bridge";
    case NetworkMode::host: return "host";
    case NetworkMode::awsvpc: return "awsvpc";
    case NetworkMode::none: return "none";
  }
  return "bridge";
}

}  // namespace ecsq
