// Parses, checks, evaluates and compiles one expression through the installed headers and library.
#include <ecsq/ecsq.hpp>

// The public headers leave every dependency private: none of them may come in through ecsq.hpp.
#if defined(FMT_VERSION) || defined(TAO_PEGTL_VERSION) || defined(SIMDJSON_VERSION) || defined(RE2_RE2_H_) || \
    defined(YAML_H_62B23520_7C8E_11DE_8A39_0800200C9A66) || defined(CATCH_VERSION_MAJOR)
#error "an ecsq public header includes a dependency's header"
#endif

#include <iostream>

int main() {
  const ecsq::CheckResult checked = ecsq::check("attribute:ecs.os-type == linux and runningTasksCount < 3");
  if (!checked.ok()) return 1;
  ecsq::Instance instance;
  instance.set_attribute("ecs.os-type", "linux");
  instance.running_tasks_count = 2;
  const bool matched = ecsq::evaluate(*checked.query, instance);
  std::cout << ecsq::to_string(checked.query->ast) << " -> " << (matched ? "match" : "no match") << '\n';

  // The compiled matcher (select, RE2 behind =~) over a fleet: the instance above and a Windows one.
  ecsq::Instance windows = instance;
  windows.set_attribute("ecs.os-type", "windows");
  const ecsq::Instance both[] = {instance, windows};
  ecsq::Fleet fleet(both);
  const ecsq::Matcher matcher = ecsq::compile(*ecsq::check("attribute:ecs.os-type =~ 'lin.*'").query, fleet);
  const ecsq::Bitset selected = matcher.select(fleet);
  std::cout << "selected " << selected.count() << " of " << fleet.size() << '\n';

  std::cout << "version " << ECSQ_VERSION_STRING << '\n';
  return matched && selected.count() == 1 && matcher.compiled_for(fleet) ? 0 : 1;
}
