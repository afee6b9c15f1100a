# Helpers shared by every folder: compile options, programs, and tests.

# Which MPI is this? Open MPI wants extra settings to run oversubscribed and as root; MPICH
# needs neither. Anything Open MPI-only stays behind this check.
execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version
  OUTPUT_VARIABLE _paracon_mpiexec_version ERROR_VARIABLE _paracon_mpiexec_version)
if(_paracon_mpiexec_version MATCHES "Open ?MPI|OpenRTE")
  set(PARACON_MPI_FLAVOUR "Open MPI")
elseif(_paracon_mpiexec_version MATCHES "HYDRA|MPICH")
  set(PARACON_MPI_FLAVOUR "MPICH")
elseif(_paracon_mpiexec_version MATCHES "SimGrid")
  set(PARACON_MPI_FLAVOUR "SimGrid SMPI")
else()
  set(PARACON_MPI_FLAVOUR "unknown MPI")
endif()

# Compile options every target of the project gets, carried by an interface target.
add_library(paracon_options INTERFACE)
add_library(paracon::options ALIAS paracon_options)
# C++20 with GNU extensions (the default of CMake's CXX_EXTENSIONS): unsigned __int128 and vector
# extensions are the range-sum kernel's tools.
target_compile_features(paracon_options INTERFACE cxx_std_20)
# Clang carries out an OpenMP reduction over the 128-bit sums with 16-byte atomics, which live
# in libatomic.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_link_libraries(paracon_options INTERFACE atomic)
endif()
# Programs depend only on the shared libraries they use (libcurl and libxml2 for the scrapers).
target_link_options(paracon_options INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:LINKER:--as-needed>)
# No -Wpedantic: it flags unsigned __int128, the exact kernel's accumulator.
target_compile_options(paracon_options INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra>)
if(PARACON_NATIVE)
  target_compile_options(paracon_options INTERFACE -march=native)
endif()
if(PARACON_SANITIZE STREQUAL "address")
  target_compile_options(paracon_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(paracon_options INTERFACE -fsanitize=address,undefined)
elseif(PARACON_SANITIZE STREQUAL "thread")
  # Data races: ThreadSanitizer, which sees OpenMP's synchronisation through LLVM's Archer (an
  # OMPT tool loaded by libomp from OMP_TOOL_LIBRARIES). It needs clang++ and LLVM's libomp.
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PARACON_SANITIZE=thread needs clang++ (LLVM's libomp carries Archer's hooks): "
                        "use the archer preset, or -DCMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_options(paracon_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(paracon_options INTERFACE -fsanitize=thread)
  string(REGEX MATCH "^[0-9]+" clang_major "${CMAKE_CXX_COMPILER_VERSION}")
  find_file(PARACON_ARCHER libarcher.so PATHS /usr/lib/llvm-${clang_major}/lib NO_DEFAULT_PATH)
  find_file(PARACON_ARCHER libarcher.so)
  if(NOT PARACON_ARCHER)
    message(FATAL_ERROR "PARACON_SANITIZE=thread: no libarcher.so (Debian and Ubuntu: libomp-${clang_major}-dev)")
  endif()
elseif(PARACON_SANITIZE)
  message(FATAL_ERROR "PARACON_SANITIZE=${PARACON_SANITIZE}: expected address, thread or nothing")
endif()
if(PARACON_SMPI)
  target_compile_definitions(paracon_options INTERFACE PARACON_SHARED_OBJECT) # see paracon/plumbing/cli.cpp
endif()

# paracon::simulated_sleep: what the experiments' code and the MPI programs link so that, under
# SMPI, a sleep lasts on the simulated clock (simulation/simulated_sleep.h); nothing elsewhere.
add_library(paracon_simulated_sleep INTERFACE)
add_library(paracon::simulated_sleep ALIAS paracon_simulated_sleep)
if(PARACON_SMPI)
  target_compile_options(paracon_simulated_sleep INTERFACE
    -include ${PROJECT_SOURCE_DIR}/simulation/simulated_sleep.h)
endif()

# paracon_add_program(<model> <experiment> [<source>...]): the binary lands at
# build/<model>/<experiment>, built from <model>/<experiment>.cpp (or the sources given), and
# linked with the experiment's glue library (paracon::<experiment>) when there is one, the MPI
# session for MPI and hybrid programs, and OpenMP for OpenMP and hybrid ones.
function(paracon_add_program model experiment)
  set(target ${model}_${experiment})
  set(sources ${ARGN})
  if(NOT sources)
    set(sources ${experiment}.cpp)
  endif()
  if(PARACON_SMPI AND model STREQUAL "mpi")
    # SMPI's launcher loads the program as a shared object (a module), once per simulated rank,
    # each with globals of its own; still named build-smpi/mpi/<experiment>.
    add_library(${target} MODULE ${sources})
    set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX "")
  else()
    add_executable(${target} ${sources})
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${experiment}
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/${model}
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/${model})
  paracon_link_program(${target} ${model} ${experiment})
  set_property(GLOBAL APPEND PROPERTY PARACON_${model}_PROGRAMS ${target})
endfunction()

# paracon_link_program(<target> <model> <experiment>): what a program of that model and
# experiment links (paracon_add_program's programs, and the coursework's student builds of them).
function(paracon_link_program target model experiment)
  target_link_libraries(${target} PRIVATE paracon::options paracon::plumbing)
  if(TARGET paracon::${experiment})
    target_link_libraries(${target} PRIVATE paracon::${experiment})
  endif()
  if(model STREQUAL "mpi" OR model STREQUAL "hybrid")
    target_link_libraries(${target} PRIVATE paracon::mpi paracon::simulated_sleep)
  endif()
  if(model STREQUAL "openmp" OR model STREQUAL "hybrid")
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_CXX)
  endif()
  # scrape's multi mode drives libcurl's multi interface itself: that loop is its lesson.
  if(model STREQUAL "openmp" AND experiment STREQUAL "scrape")
    target_link_libraries(${target} PRIVATE CURL::libcurl)
  endif()
endfunction()

# The environment every MPI launch in the tests needs. Open MPI refuses root and more
# ranks than cores unless told; these go in the tests' environment, never in a program.
# A program started without mpiexec (a bad-input test) is a singleton: isolated, it starts no
# daemon of its own, which takes a third of its start-up.
set(PARACON_MPI_TEST_ENV "")
if(PARACON_MPI_FLAVOUR STREQUAL "Open MPI")
  list(APPEND PARACON_MPI_TEST_ENV
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_ess_singleton_isolated=1)
endif()

# The environment of a run under Archer: libomp loads it as its OMPT tool, and ThreadSanitizer
# reports only races in instrumented code (not in GMP, libcurl or the MPI library), keeps going
# after a report, and then exits with 66: a checker expecting 0, 1 or 2 fails on any report.
set(PARACON_RACE_TEST_ENV "")
if(PARACON_SANITIZE STREQUAL "thread")
  set(PARACON_RACE_TEST_ENV OMP_TOOL_LIBRARIES=${PARACON_ARCHER}
      "TSAN_OPTIONS=ignore_noninstrumented_modules=1 halt_on_error=0 exitcode=66")
endif()

# paracon_launch(<out-var> <model>/<experiment> <ranks>): how a test starts the program: its
# binary, or for MPI and hybrid programs the MPIEXEC_* line (from FindMPI) on <ranks> ranks.
function(paracon_launch out program ranks)
  string(REPLACE "/" "_" target ${program})
  if(program MATCHES "^(mpi|hybrid)/")
    set(${out} ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ranks} ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${target}>
        ${MPIEXEC_POSTFLAGS} PARENT_SCOPE)
  else()
    set(${out} $<TARGET_FILE:${target}> PARENT_SCOPE)
  endif()
endfunction()

# paracon_test(<model>/<experiment> <tag> [RANKS <r>] [THREADS <t>] [TIMEOUT <s>] [CHECKER <check>]
#              [LABELS <label>...] [ENV <name=value>...] [FIXTURES <fixture>...]
#              [NOT_UNDER_ARCHER <why>] [CHECK <checker options>...] [ARGS <program arguments>...])
# The test <model>.<experiment>.<tag>: tests/check_program.py's <check> (the experiment's own by
# default) runs the program with ARGS, started on RANKS ranks (1 by default) for MPI and hybrid
# programs, with OMP_NUM_THREADS=THREADS for OpenMP and hybrid ones, and checks what it reports.
# Labels: the model, and LABELS. PROCESSORS tells ctest how many cores it occupies.
# NOT_UNDER_ARCHER keeps a test out of the race run, saying why (a limit of the tool, not of the
# program: the reason is shown by `ctest -N -V` as the test's ARCHER_EXCLUDED property).
function(paracon_test program tag)
  cmake_parse_arguments(T "" "RANKS;THREADS;TIMEOUT;CHECKER;NOT_UNDER_ARCHER" "LABELS;ENV;FIXTURES;CHECK;ARGS" ${ARGN})
  string(REPLACE "/" ";" parts ${program})
  list(GET parts 0 model)
  list(GET parts 1 experiment)
  if(NOT T_RANKS)
    set(T_RANKS 1)
  endif()
  if(NOT T_CHECKER)
    set(T_CHECKER ${experiment})
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  paracon_launch(launch ${program} ${T_RANKS})
  set(name ${model}.${experiment}.${tag})
  add_test(NAME ${name} COMMAND ${PARACON_CHECK} ${T_CHECKER} ${T_CHECK} -- ${launch} ${T_ARGS})
  set(env ${T_ENV})
  set(procs 1)
  if(T_THREADS)
    list(APPEND env OMP_NUM_THREADS=${T_THREADS})
    set(procs ${T_THREADS})
  endif()
  if(model MATCHES "^(mpi|hybrid)$")
    list(APPEND env ${PARACON_MPI_TEST_ENV})
    math(EXPR procs "${procs} * ${T_RANKS}")
  endif()
  # The race-detection build: every test of a program with OpenMP threads in one process (the
  # OpenMP programs, the hybrid ones on one rank) runs under Archer, labelled `race`.
  set(labels ${model} ${T_LABELS})
  if(PARACON_SANITIZE STREQUAL "thread" AND NOT T_NOT_UNDER_ARCHER
     AND (model STREQUAL "openmp" OR (model STREQUAL "hybrid" AND T_RANKS EQUAL 1)))
    list(APPEND labels race)
    list(APPEND env ${PARACON_RACE_TEST_ENV})
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * 3")
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT ${T_TIMEOUT} PROCESSORS ${procs}
                                          ENVIRONMENT "${env}")
  if(T_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${T_FIXTURES}")
  endif()
  if(T_NOT_UNDER_ARCHER)
    set_property(TEST ${name} PROPERTY ARCHER_EXCLUDED "${T_NOT_UNDER_ARCHER}")
  endif()
endfunction()
