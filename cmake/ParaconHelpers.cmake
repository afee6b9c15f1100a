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

# paracon_add_program(<model> <experiment> <source>...): the binary lands at
# build/<model>/<experiment>, the same experiment name in every model.
function(paracon_add_program model experiment)
  set(target ${model}_${experiment})
  add_executable(${target} ${ARGN})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${experiment}
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/${model})
  target_link_libraries(${target} PRIVATE paracon::options)
  if(model STREQUAL "mpi" OR model STREQUAL "hybrid")
    target_link_libraries(${target} PRIVATE paracon::mpi)
  else()
    target_link_libraries(${target} PRIVATE paracon::core)
  endif()
  if(model STREQUAL "openmp" OR model STREQUAL "hybrid")
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_CXX)
  endif()
  set_property(GLOBAL APPEND PROPERTY PARACON_${model}_PROGRAMS ${target})
endfunction()

# The environment every MPI launch in the tests needs. Open MPI refuses root and more
# ranks than cores unless told; these go in the tests' environment, never in a program.
set(PARACON_MPI_TEST_ENV "")
if(PARACON_MPI_FLAVOUR STREQUAL "Open MPI")
  list(APPEND PARACON_MPI_TEST_ENV
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    OMPI_MCA_rmaps_base_oversubscribe=1)
endif()

# paracon_mpi_command(<out-var> <ranks> <target>): the launch line for a target on
# <ranks> ranks, from the MPIEXEC_* variables FindMPI sets.
function(paracon_mpi_command out ranks target)
  set(${out} ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ranks} ${MPIEXEC_PREFLAGS}
      $<TARGET_FILE:${target}> ${MPIEXEC_POSTFLAGS} PARENT_SCOPE)
endfunction()

# paracon_add_test(NAME <n> LABELS <l>... [RANKS <r>] [THREADS <t>] [TIMEOUT <s>]
#                  COMMAND <cmd>...)
# With RANKS the command is wrapped by the checker, which receives the launch line after
# `--`; PROCESSORS tells ctest how many cores the test occupies.
function(paracon_add_test)
  cmake_parse_arguments(T "" "NAME;RANKS;THREADS;TIMEOUT" "LABELS;COMMAND;ENV" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  set(env ${T_ENV})
  set(procs 1)
  if(T_THREADS)
    list(APPEND env OMP_NUM_THREADS=${T_THREADS})
    set(procs ${T_THREADS})
  endif()
  if(T_RANKS)
    list(APPEND env ${PARACON_MPI_TEST_ENV})
    math(EXPR procs "${procs} * ${T_RANKS}")
  endif()
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT} PROCESSORS ${procs} ENVIRONMENT "${env}")
endfunction()
