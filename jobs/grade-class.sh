#!/usr/bin/env bash
# A class graded on a SLURM cluster: one array task per submission (jobs/grade-task.sbatch), then
# the gradebook when every task has ended (jobs/gradebook.sbatch).
#   jobs/grade-class.sh EXERCISE CLASS_FOLDER [--csv FILE] [-- SBATCH_OPTIONS...]
# Prints the array job's id and the gradebook job's id. SBATCH_OPTIONS (an account, a
# partition, --chdir) go to both jobs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage="usage: jobs/grade-class.sh EXERCISE CLASS_FOLDER [--csv FILE] [-- SBATCH_OPTIONS...]"
exercise=${1:?$usage}
folder=$(cd "${2:?$usage}" && pwd)
shift 2
csv=
while (($#)); do
  case "$1" in
    --csv) csv=${2:?$usage}; shift 2 ;;
    --) shift; break ;;
    *) echo "grade-class: error: $1: $usage" >&2; exit 2 ;;
  esac
done
count=$("$root/scripts/exercise" grade-all "$exercise" "$folder" --count)
if ((count == 0)); then
  echo "grade-class: error: $folder holds no submission" >&2
  exit 2
fi
export PARACON_ROOT=$root
array=$(sbatch --parsable "$@" --array="0-$((count - 1))" "$root/jobs/grade-task.sbatch" "$exercise" "$folder")
array=${array%%;*}
book=$(sbatch --parsable "$@" --dependency="afterany:$array" "$root/jobs/gradebook.sbatch" "$exercise" "$folder" \
  ${csv:+"$csv"})
echo "grade-class: $count submissions: array job $array, gradebook job ${book%%;*}"
