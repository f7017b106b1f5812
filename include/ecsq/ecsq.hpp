// ecsq: the Amazon ECS cluster query language. Include this for the whole public API.
// Opt-in, and so not included here: ecsq/fmt.hpp (fmt formatters; needs fmt) and
// ecsq/testing/catch2.hpp (Catch2 matchers; needs Catch2 v2).
#pragma once

#include "ecsq/ast.hpp"
#include "ecsq/aws_json.hpp"
#include "ecsq/bitset.hpp"
#include "ecsq/check.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/constraint.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/dictionary.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/matcher.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/placement.hpp"
#include "ecsq/print.hpp"
#include "ecsq/query.hpp"
#include "ecsq/regex.hpp"
#include "ecsq/summary.hpp"
#include "ecsq/task_constraints.hpp"
#include "ecsq/value.hpp"
#include "ecsq/version.hpp"
