# Compiles data/eni-capacity.tsv into the library: at configure time the TSV becomes a C++ source
# holding a sorted constant array (no Python at build time, no file at run time). The TSV stays
# the one source of truth: editing it re-runs the configure step, which rewrites the source.

# ecsq_generate_eni_capacity_table(TSV OUTPUT): writes OUTPUT (a .cpp) from TSV; a malformed,
# unsorted or duplicated row stops the configure step with the row's line number.
function(ecsq_generate_eni_capacity_table tsv output)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${tsv})
  # Every line, comments and blanks too, so the line numbers in errors are the file's
  # (file(STRINGS) escapes a ';' inside a line, so no line is split).
  file(STRINGS ${tsv} lines ENCODING UTF-8)
  set(rows "")
  set(previous "")
  set(count 0)
  set(line_number 0)
  foreach(line IN LISTS lines)
    math(EXPR line_number "${line_number} + 1")
    if(line MATCHES "^#" OR line STREQUAL "")
      continue()
    endif()
    # instance_type, max_network_interfaces (>= 1), trunk_task_limit (empty: none), source.
    if(NOT line MATCHES "^([a-z0-9-]+\\.[a-z0-9-]+)\t([1-9][0-9]?[0-9]?[0-9]?[0-9]?)\t([1-9][0-9]?[0-9]?[0-9]?[0-9]?)?\t[a-z0-9+]+$")
      message(FATAL_ERROR "${tsv}:${line_number}: not a table row (instance_type, max_network_interfaces, trunk_task_limit, source): ${line}")
    endif()
    set(type "${CMAKE_MATCH_1}")
    set(interfaces "${CMAKE_MATCH_2}")
    set(trunk 0)
    if(NOT "${CMAKE_MATCH_3}" STREQUAL "")
      set(trunk "${CMAKE_MATCH_3}")
    endif()
    if(interfaces GREATER 65535 OR trunk GREATER 65535)
      message(FATAL_ERROR "${tsv}:${line_number}: a limit above 65535: ${line}")
    endif()
    if(NOT previous STREQUAL "" AND NOT previous STRLESS type)
      message(FATAL_ERROR "${tsv}:${line_number}: ${type} is not after ${previous}: rows must be sorted and unique")
    endif()
    set(previous ${type})
    string(APPEND rows "    {\"${type}\", ${interfaces}, ${trunk}},\n")
    math(EXPR count "${count} + 1")
  endforeach()
  if(count EQUAL 0)
    message(FATAL_ERROR "${tsv}: no rows")
  endif()
  set(ECSQ_ENI_ROW_COUNT ${count})
  set(ECSQ_ENI_ROWS "${rows}")
  configure_file(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/eni_capacity_table.cpp.in ${output} @ONLY)
endfunction()
