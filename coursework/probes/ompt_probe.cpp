// The OpenMP half of the grader's "really parallel" criterion: an OMPT tool, which LLVM's libomp
// loads when OMP_TOOL_LIBRARIES names it, and which sees the program from inside the runtime. It
// records every parallel region: how many threads its team really had, and how long each of them
// ran the program's own code (inside the region but outside barriers and other waits, with the
// explicit tasks it ran counted in), and how many explicit tasks each thread ran. At the end it
// writes that, with the run's length, as JSON to $PARACON_PROBE_DIR/openmp-<pid>.json. A program can print anything; it
// cannot make this tool see a second thread at work that was not.
#include <omp-tools.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

double now() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Region {
  int team = 0;
  std::vector<double> user; // seconds of the program's own code, per thread index
  std::vector<long> tasks;  // explicit tasks run, per thread index
};

// What one thread is doing: in which region and as which index, how deep in waits and in
// explicit tasks, and since when the current interval runs.
struct Thread {
  long region = -1;
  int index = 0;
  int waits = 0, tasks = 0;
  double since = 0;
};

std::mutex mutex;
std::vector<Region> regions;
std::atomic<long> explicit_tasks{0};
double started = 0; // when the runtime started the tool: the run's length is measured from here
thread_local Thread self;

// Adds the interval since the last event to the thread's user time, if it ran user code.
void account(double t) {
  if (self.region >= 0 && (self.waits == 0 || self.tasks > 0)) {
    std::lock_guard lock(mutex);
    Region& r = regions[static_cast<std::size_t>(self.region)];
    if (self.index < static_cast<int>(r.user.size())) r.user[static_cast<std::size_t>(self.index)] += t - self.since;
  }
  self.since = t;
}

void on_parallel_begin(ompt_data_t*, const ompt_frame_t*, ompt_data_t* parallel, unsigned int requested, int,
                       const void*) {
  std::lock_guard lock(mutex);
  parallel->value = regions.size();
  regions.push_back(
      {static_cast<int>(requested), std::vector<double>(requested, 0.0), std::vector<long>(requested, 0)});
}

void on_implicit_task(ompt_scope_endpoint_t endpoint, ompt_data_t* parallel, ompt_data_t*, unsigned int team,
                      unsigned int index, int flags) {
  if (flags & ompt_task_initial) return; // the program's own initial task, outside every region
  const double t = now();
  if (endpoint == ompt_scope_begin) {
    self = Thread{static_cast<long>(parallel->value), static_cast<int>(index), 0, 0, t};
    std::lock_guard lock(mutex);
    Region& r = regions[parallel->value];
    r.team = static_cast<int>(team);
    if (r.user.size() < team) r.user.resize(team, 0.0), r.tasks.resize(team, 0);
  } else {
    account(t);
    self.region = -1;
  }
}

void on_sync_region(ompt_sync_region_t, ompt_scope_endpoint_t endpoint, ompt_data_t*, ompt_data_t*, const void*) {
  account(now());
  self.waits += endpoint == ompt_scope_begin ? 1 : -1;
}

void on_task_create(ompt_data_t*, const ompt_frame_t*, ompt_data_t* task, int flags, int, const void*) {
  task->value = (flags & ompt_task_explicit) ? 1 : 0;
  if (flags & ompt_task_explicit) ++explicit_tasks;
}

void on_task_schedule(ompt_data_t* prior, ompt_task_status_t status, ompt_data_t* next) {
  account(now());
  if (prior && prior->value == 1 && status != ompt_task_early_fulfill) --self.tasks;
  if (next && next->value == 1 && status != ompt_task_late_fulfill && status != ompt_taskwait_complete) {
    ++self.tasks;
    std::lock_guard lock(mutex);
    if (self.region >= 0) {
      Region& r = regions[static_cast<std::size_t>(self.region)];
      if (self.index < static_cast<int>(r.tasks.size())) ++r.tasks[static_cast<std::size_t>(self.index)];
    }
  }
  if (self.tasks < 0) self.tasks = 0;
}

int initialize(ompt_function_lookup_t lookup, int, ompt_data_t*) {
  started = now();
  auto set_callback = reinterpret_cast<ompt_set_callback_t>(lookup("ompt_set_callback"));
  set_callback(ompt_callback_parallel_begin, reinterpret_cast<ompt_callback_t>(&on_parallel_begin));
  set_callback(ompt_callback_implicit_task, reinterpret_cast<ompt_callback_t>(&on_implicit_task));
  set_callback(ompt_callback_sync_region, reinterpret_cast<ompt_callback_t>(&on_sync_region));
  set_callback(ompt_callback_task_create, reinterpret_cast<ompt_callback_t>(&on_task_create));
  set_callback(ompt_callback_task_schedule, reinterpret_cast<ompt_callback_t>(&on_task_schedule));
  return 1; // keep the tool
}

void finalize(ompt_data_t*) {
  const char* folder = std::getenv("PARACON_PROBE_DIR");
  if (!folder) return;
  const std::string path = std::string(folder) + "/openmp-" + std::to_string(getpid()) + ".json";
  FILE* out = std::fopen(path.c_str(), "w");
  if (!out) return;
  std::lock_guard lock(mutex);
  std::fprintf(out, "{\"seconds\": %.9f, \"explicit_tasks\": %ld, \"regions\": [", now() - started,
               explicit_tasks.load());
  for (std::size_t k = 0; k < regions.size(); ++k) {
    const Region& r = regions[k];
    std::fprintf(out, "%s\n {\"team\": %d, \"user_seconds\": [", k ? "," : "", r.team);
    for (std::size_t i = 0; i < r.user.size(); ++i) std::fprintf(out, "%s%.9f", i ? ", " : "", r.user[i]);
    std::fprintf(out, "], \"tasks\": [");
    for (std::size_t i = 0; i < r.tasks.size(); ++i) std::fprintf(out, "%s%ld", i ? ", " : "", r.tasks[i]);
    std::fprintf(out, "]}");
  }
  std::fprintf(out, "\n]}\n");
  std::fclose(out);
}

} // namespace

extern "C" ompt_start_tool_result_t* ompt_start_tool(unsigned int, const char*) {
  static ompt_start_tool_result_t result{&initialize, &finalize, {0}};
  return &result;
}
