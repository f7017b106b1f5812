# Compiles src/report/report_template.html into the library: at configure time the page becomes
# one raw string literal in a generated source (no file to find at run time). Editing the page
# re-runs the configure step, which rewrites the source only when the page changed.

# ecsq_embed_report_template(HTML OUTPUT): writes OUTPUT (a .cpp defining
# ecsq::detail::report_template()) from HTML.
function(ecsq_embed_report_template html output)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${html})
  file(READ ${html} ECSQ_REPORT_TEMPLATE)
  if(ECSQ_REPORT_TEMPLATE MATCHES "\\)ecsq_page\"")
    message(FATAL_ERROR "${html} holds )ecsq_page\", which would end the raw string it is compiled into")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/report_template.cpp.in ${output} @ONLY)
endfunction()
