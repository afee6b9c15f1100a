# Helpers shared by every folder: compile options, programs, and tests.

# Which MPI is this? Open MPI wants extra settings to run oversubscribed and as root; MPICH
# needs neither. Anything Open MPI-only stays behind this check.
execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version
  OUTPUT_VARIABLE _paracon_mpiexec_version ERROR_VARIABLE _paracon_mpiexec_version)
if(_paracon_mpiexec_version MATCHES "Open ?MPI|OpenRTE")
  set(PARACON_MPI_FLAVOUR "Open MPI")
elseif(_paracon_mpiexec_version MATCHES "HYDRA|MPICH")
  set(PARACON_MPI_FLAVOUR "MPICH")
else()
  set(PARACON_MPI_FLAVOUR "unknown MPI")
endif()

# Compile options every target of the project gets, carried by an interface target.
add_library(paracon_options INTERFACE)
add_library(paracon::options ALIAS paracon_options)
# C++20 with GNU extensions (the default of CMake's CXX_EXTENSIONS): unsigned __int128 and vector
# extensions are the range-sum kernel's tools.
target_compile_features(paracon_options INTERFACE cxx_std_20)
# Programs depend only on the shared libraries they use (libcurl and libxml2 for the scrapers).
target_link_options(paracon_options INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:LINKER:--as-needed>)
# No -Wpedantic: it flags unsigned __int128, the exact kernel's accumulator.
target_compile_options(paracon_options INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra>)
if(PARACON_NATIVE)
  target_compile_options(paracon_options INTERFACE -march=native)
endif()
if(PARACON_SANITIZE)
  target_compile_options(paracon_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(paracon_options INTERFACE -fsanitize=address,undefined)
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
  add_executable(${target} ${sources})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${experiment}
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/${model})
  target_link_libraries(${target} PRIVATE paracon::options paracon::plumbing)
  if(TARGET paracon::${experiment})
    target_link_libraries(${target} PRIVATE paracon::${experiment})
  endif()
  if(model STREQUAL "mpi" OR model STREQUAL "hybrid")
    target_link_libraries(${target} PRIVATE paracon::mpi)
  endif()
  if(model STREQUAL "openmp" OR model STREQUAL "hybrid")
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_CXX)
  endif()
  set_property(GLOBAL APPEND PROPERTY PARACON_${model}_PROGRAMS ${target})
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
#              [CHECK <checker options>...] [ARGS <program arguments>...])
# The test <model>.<experiment>.<tag>: tests/check_program.py's <check> (the experiment's own by
# default) runs the program with ARGS, started on RANKS ranks (1 by default) for MPI and hybrid
# programs, with OMP_NUM_THREADS=THREADS for OpenMP and hybrid ones, and checks what it reports.
# Labels: the model, and LABELS. PROCESSORS tells ctest how many cores it occupies.
function(paracon_test program tag)
  cmake_parse_arguments(T "" "RANKS;THREADS;TIMEOUT;CHECKER" "LABELS;ENV;FIXTURES;CHECK;ARGS" ${ARGN})
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
  set_tests_properties(${name} PROPERTIES LABELS "${model};${T_LABELS}" TIMEOUT ${T_TIMEOUT} PROCESSORS ${procs}
                                          ENVIRONMENT "${env}")
  if(T_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${T_FIXTURES}")
  endif()
endfunction()
