# Per-target defaults for project code: C++20, strict warnings, optional sanitizers.
# Nothing here touches global flags, so third-party headers keep their own settings.

find_program(SPANLOOP_CCACHE ccache)
if(SPANLOOP_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${SPANLOOP_CCACHE}")
  set(CMAKE_C_COMPILER_LAUNCHER "${SPANLOOP_CCACHE}")
endif()

function(spanloop_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  # GCC 12 at -O3 (CMAKE_BUILD_TYPE=Release) reports -Wrestrict inside libstdc++'s string
  # operator+ (GCC bug 105651, a false positive), which -Werror would turn into a build failure.
  target_compile_options(${target} PRIVATE $<$<AND:$<CXX_COMPILER_ID:GNU>,$<CONFIG:Release>>:-Wno-restrict>)
  if(SPANLOOP_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${SPANLOOP_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=${SPANLOOP_SANITIZE})
  endif()
endfunction()

# A static library of one module: spanloop_add_module(text SOURCES ... DEPS ...)
function(spanloop_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(spanloop_${name} STATIC ${ARG_SOURCES})
  target_include_directories(spanloop_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(spanloop_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  spanloop_target_defaults(spanloop_${name})
endfunction()

# A GoogleTest executable registered with CTest: spanloop_add_test(text_unit SOURCES ... DEPS ... LABELS unit)
function(spanloop_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} spanloop_test_support GTest::gtest GTest::gmock GTest::gtest_main)
  spanloop_target_defaults(${name})
  include(GoogleTest)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
endfunction()
