# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers that every tests/ and bench/ folder uses, so that labels and
# environments stay consistent.
#
#   tenchat_add_qtest(NAME name SOURCES ... LIBS ... LABELS unit|integration|ui
#                     [TIMEOUT s] [ENV VAR=value ...])
#   tenchat_add_fuzzer(NAME name SOURCES ... LIBS ... [CORPUS dir] [RUNS n])
#   tenchat_add_benchmark(NAME name SOURCES ... LIBS ... [SMOKE_ARGS ...])
#   tenchat_add_quicktest(NAME name QML_DIR dir SOURCES main.cpp LIBS ... LABELS ui
#                         [TIMEOUT s] [ENV VAR=value ...])

set(TENCHAT_TEST_DATA_DIR ${CMAKE_SOURCE_DIR}/tests/data)

function(tenchat_add_qtest)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test tenchat_warnings ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    TENCHAT_TEST_DATA_DIR="${TENCHAT_TEST_DATA_DIR}"
    TENCHAT_BINARY_DIR="${CMAKE_BINARY_DIR}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
  set(env "QT_QPA_PLATFORM=offscreen" "TENCHAT_BINARY_DIR=${CMAKE_BINARY_DIR}" ${T_ENV})
  if("integration" IN_LIST T_LABELS OR "ui" IN_LIST T_LABELS)
    list(APPEND env
      "TENCHAT_RELAY_BIN=$<TARGET_FILE:tenchat-relay>"
      "TENCHAT_CLI_BIN=$<TARGET_FILE:tenchat-cli>")
  endif()
  set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${env}")
endfunction()

# Qt Quick Test component tests: every tst_*.qml in QML_DIR, run by a small
# C++ main (QUICK_TEST_MAIN_WITH_SETUP) that links the QML modules under
# test; offscreen, Basic style.
function(tenchat_add_quicktest)
  cmake_parse_arguments(T "" "NAME;QML_DIR;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
  file(GLOB qml_tests CONFIGURE_DEPENDS ${T_QML_DIR}/tst_*.qml)
  add_executable(${T_NAME} ${T_SOURCES} ${qml_tests})
  target_link_libraries(${T_NAME} PRIVATE Qt6::QuickTest tenchat_warnings ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE QUICK_TEST_SOURCE_DIR="${T_QML_DIR}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} -input ${T_QML_DIR})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_QUICK_CONTROLS_STYLE=Basic;${T_ENV}")
endfunction()

# Fuzz targets define LLVMFuzzerTestOneInput. With TENCHAT_FUZZ (clang) they
# link libFuzzer and CTest runs a short bounded fuzzing session; otherwise
# they link a standalone driver that replays the seed corpus and a fixed
# number of deterministic random mutations, so the same code still runs in
# every build.
function(tenchat_add_fuzzer)
  cmake_parse_arguments(F "" "NAME;CORPUS;RUNS;SECONDS" "SOURCES;LIBS" ${ARGN})
  if(NOT F_RUNS)
    set(F_RUNS 20000)
  endif()
  if(NOT F_SECONDS)
    set(F_SECONDS 20)
  endif()
  add_executable(${F_NAME} ${F_SOURCES})
  target_link_libraries(${F_NAME} PRIVATE tenchat_warnings ${F_LIBS})
  if(TENCHAT_FUZZ)
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    set(args -runs=${F_RUNS} -max_total_time=${F_SECONDS} -seed=1)
    if(F_CORPUS)
      # libFuzzer writes new inputs into the first corpus folder: give it a
      # scratch folder in the build tree and read the seeds from the source.
      set(scratch ${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}-corpus)
      file(MAKE_DIRECTORY ${scratch})
      list(APPEND args ${scratch} ${F_CORPUS})
    endif()
  else()
    target_sources(${F_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests/fuzz/StandaloneFuzzDriver.cpp)
    set(args --runs ${F_RUNS})
    if(F_CORPUS)
      list(APPEND args ${F_CORPUS})
    endif()
  endif()
  add_test(NAME ${F_NAME} COMMAND ${F_NAME} ${args})
  set_tests_properties(${F_NAME} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()

# Benchmarks are Google Benchmark programs (or programs that print JSON).
# CTest runs each once with SMOKE_ARGS (small sizes) under the label "bench"
# so CI proves they work; scripts/bench.sh runs them for real.
function(tenchat_add_benchmark)
  cmake_parse_arguments(B "" "NAME" "SOURCES;LIBS;SMOKE_ARGS" ${ARGN})
  add_executable(${B_NAME} ${B_SOURCES})
  target_link_libraries(${B_NAME} PRIVATE tenchat_warnings ${B_LIBS})
  add_test(NAME ${B_NAME}_smoke COMMAND ${B_NAME} ${B_SMOKE_ARGS})
  set_tests_properties(${B_NAME}_smoke PROPERTIES LABELS bench TIMEOUT 600
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TENCHAT_BINARY_DIR=${CMAKE_BINARY_DIR}")
endfunction()
