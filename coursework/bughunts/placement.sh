#!/usr/bin/env bash
# placement (hybrid), a bug hunt: the launch line of a hybrid job on one 2-core machine: one MPI
# rank with two OpenMP threads, running hybrid/where, which reports the CPU each thread runs on
# and the CPUs it may run on.
#
# Its author wanted each thread on a core of its own. The program runs and validates, yet it takes
# as long with two threads as with one. Read the placement report, find the bug, and fix the
# launch line so that each thread of the rank gets a core of its own.
#
# The grader runs this script with WHERE set to the program and MPIEXEC to Open MPI's launcher,
# and passes its own arguments on (--json).
# Check: scripts/exercise check hybrid-placement
set -euo pipefail
export OMP_NUM_THREADS=2
#@ bug
#@ start: exec "${MPIEXEC:-mpirun}" -n 1 --bind-to core "$WHERE" "$@"
# The rank gets two cores (PE=2), and OpenMP pins each thread to one of them.
export OMP_PLACES=cores OMP_PROC_BIND=close
exec "${MPIEXEC:-mpirun}" -n 1 --map-by slot:PE=2 --bind-to core "$WHERE" "$@"
#@ end
