# SPDX-License-Identifier: GPL-3.0-or-later
# Language level, warnings, sanitizers and ccache for every TenChat target.

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  message(STATUS "ccache: ${CCACHE_PROGRAM}")
endif()

# Warnings apply to project code only; generated protobuf and moc code use
# tenchat_relax_warnings() below.
add_library(tenchat_warnings INTERFACE)
target_compile_options(tenchat_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(TENCHAT_WERROR)
  target_compile_options(tenchat_warnings INTERFACE -Werror)
endif()

if(TENCHAT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(TENCHAT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TENCHAT_FUZZ=ON needs clang (configure with CC=clang CXX=clang++)")
  endif()
  # Coverage instrumentation everywhere, so libFuzzer sees into the libraries;
  # only the fuzz targets link the libFuzzer runtime (tenchat_add_fuzzer).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# The version every executable prints.
add_compile_definitions(TENCHAT_VERSION_STRING="${PROJECT_VERSION}")
