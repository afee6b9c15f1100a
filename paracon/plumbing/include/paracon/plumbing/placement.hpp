// Placement: where a thread runs (host, CPU, affinity mask).
#pragma once

#include <string>
#include <vector>

namespace paracon {

// One thread's record. Trivially copyable: MPI gathers it as bytes.
struct Placement {
  char host[64] = {};
  char node[64] = {}; // SLURM's name for the node (SLURMD_NODENAME), else the host name
  int rank = 0, thread = 0, threads = 1;
  int cpu = -1;        // the CPU it runs on now (sched_getcpu)
  int place = -1;      // its OpenMP place, or -1 when OMP_PLACES is not set
  char mask[256] = {}; // the CPUs it may run on, as a list: "0-3,8"
};

// The calling thread's host, CPU and affinity mask (rank, thread and place are the caller's).
Placement here();

// "0-3,8" from a list of CPUs, and back.
std::string cpu_list(const std::vector<int>& cpus);
std::vector<int> parse_cpu_list(const std::string& text);

} // namespace paracon
