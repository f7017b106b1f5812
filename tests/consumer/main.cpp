// Parses, checks and evaluates one expression through the installed headers and library.
#include <ecsq/ecsq.hpp>

#include <iostream>

int main() {
  const ecsq::CheckResult checked = ecsq::check("attribute:ecs.os-type == linux and runningTasksCount < 3");
  if (!checked.ok()) return 1;
  ecsq::Instance instance;
  instance.set_attribute("ecs.os-type", "linux");
  instance.running_tasks_count = 2;
  const bool matched = ecsq::evaluate(*checked.query, instance);
  std::cout << ecsq::to_string(checked.query->ast) << " -> " << (matched ? "match" : "no match") << '\n';
  return matched ? 0 : 1;
}
