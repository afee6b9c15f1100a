#!/bin/sh
# Runs one MPI rank's program and records its exit code in DIR/rank-R, then exits 0 itself, so
# that the launcher lets every rank finish and a test can read every rank's own verdict.
#   mpiexec -n 3 tests/each_rank.sh DIR PROGRAM [ARGS...]
dir=$1
shift
"$@"
code=$?
rank=${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-unknown}}}
echo "$code" >"$dir/rank-$rank"
exit 0
