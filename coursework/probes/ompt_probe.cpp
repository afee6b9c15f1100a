// The OpenMP half of the grader's evidence: an OMPT tool, which LLVM's libomp loads when
// OMP_TOOL_LIBRARIES names it, and which sees the program from inside the runtime. It tells the
// probe's sampler (probe.hpp) what each thread is doing at every moment: idle in the runtime's
// pool, running the program's own code (an implicit task, or an explicit task it picked up), or
// waiting, and where: a barrier, taskwait or taskgroup (sync_region_wait), a critical section, a
// lock, an ordered region or a lock-based atomic (mutex_acquire until mutex_acquired), each with
// the code address of the construct. It also counts the parallel regions, the teams they really
// had, and the explicit tasks. A program can print anything; it cannot make the runtime report a
// second thread at work that was not.
#include <omp-tools.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <set>

#include "probe.hpp"

namespace {

namespace pp = paracon::probe;

// What one thread is doing, as a stack: its task's own code at the bottom; each wait it enters
// pushes a frame, and each explicit task it runs (inside a barrier or a taskwait, say) pushes
// its own-code frame above a boundary, popped when the task completes. The top is what the
// sampler sees.
struct Frames {
  static constexpr int depth = 64;
  std::uint64_t word[depth];
  bool boundary[depth];
  int top = -1;
  std::uint64_t base = pp::word(pp::idle); // outside every implicit task: idle, or serial code
};

thread_local Frames frames;
thread_local pp::Slot* slot = nullptr;
thread_local pp::Usage region_start; // the thread's CPU time when its implicit task began

void show() { pp::set(slot, frames.top >= 0 ? frames.word[frames.top] : frames.base); }

void push(std::uint64_t word, bool boundary = false) {
  if (frames.top + 1 < Frames::depth) {
    ++frames.top;
    frames.word[frames.top] = word;
    frames.boundary[frames.top] = boundary;
  }
  show();
}

// Pops the innermost wait (the one that just ended); a frame out of order is looked for below.
void pop_wait() {
  for (int k = frames.top; k >= 0 && !frames.boundary[k]; --k)
    if ((frames.word[k] & 3) == pp::waiting) {
      std::copy(frames.word + k + 1, frames.word + frames.top + 1, frames.word + k);
      std::copy(frames.boundary + k + 1, frames.boundary + frames.top + 1, frames.boundary + k);
      --frames.top;
      break;
    }
  show();
}

void pop_task() {
  while (frames.top >= 0 && !frames.boundary[frames.top]) --frames.top;
  if (frames.top >= 0) --frames.top; // the boundary itself
  show();
}

// What the runtime did, for the evidence file. Never destroyed: the runtime's finalize comes
// after the program's static destructors.
struct Counts {
  std::mutex mutex;
  std::set<unsigned> teams;
  long regions = 0;
  std::atomic<long> explicit_tasks{0};
};
Counts& counts = *new Counts;

pp::Kind sync_kind(ompt_sync_region_t kind) {
  switch (kind) {
  case ompt_sync_region_taskwait: return pp::taskwait;
  case ompt_sync_region_taskgroup: return pp::taskgroup;
  case ompt_sync_region_reduction: return pp::reduction;
  case ompt_sync_region_barrier_implicit_parallel: return pp::barrier_region;
  case ompt_sync_region_barrier_implicit_workshare: return pp::barrier_construct;
  case ompt_sync_region_barrier_implicit: return pp::barrier_implicit; // 5.0's name for both kinds
  default: return pp::barrier;
  }
}

pp::Kind mutex_kind(ompt_mutex_t kind) {
  switch (kind) {
  case ompt_mutex_critical: return pp::critical;
  case ompt_mutex_ordered: return pp::ordered;
  case ompt_mutex_atomic: return pp::atomic;
  default: return pp::lock;
  }
}

void on_thread_begin(ompt_thread_t type, ompt_data_t*) {
  slot = pp::thread_slot(type == ompt_thread_initial);
  frames.base = pp::word(type == ompt_thread_initial ? pp::serial : pp::idle);
  show();
}

void on_thread_end(ompt_data_t*) {
  pp::thread_ended(slot);
  slot = nullptr;
}

void on_parallel_begin(ompt_data_t*, const ompt_frame_t*, ompt_data_t*, unsigned int, int, const void*) {
  pp::region_opened();
  std::lock_guard hold(counts.mutex);
  ++counts.regions;
}

void on_parallel_end(ompt_data_t*, ompt_data_t*, int, const void*) { pp::region_closed(); }

void on_implicit_task(ompt_scope_endpoint_t endpoint, ompt_data_t*, ompt_data_t*, unsigned int team, unsigned int,
                      int flags) {
  if (flags & ompt_task_initial) return; // the program's initial task, outside every region
  if (!slot) slot = pp::thread_slot(false);
  if (endpoint == ompt_scope_begin) {
    frames.top = -1;
    push(pp::word(pp::own));
    pp::set_in_region(slot, true);
    region_start = pp::thread_usage();
    std::lock_guard hold(counts.mutex);
    counts.teams.insert(team);
  } else {
    pp::add_usage(slot, pp::in_region, region_start);
    pp::set_in_region(slot, false);
    frames.top = -1;
    show();
  }
}

void on_sync_region_wait(ompt_sync_region_t kind, ompt_scope_endpoint_t endpoint, ompt_data_t*, ompt_data_t*,
                         const void* codeptr) {
  if (endpoint == ompt_scope_begin) push(pp::word(pp::waiting, sync_kind(kind), 0, codeptr));
  else pop_wait();
}

// omp_test_lock never waits: it is reported as an acquire, and an acquired only when it got the lock.
bool waits(ompt_mutex_t kind) { return kind != ompt_mutex_test_lock && kind != ompt_mutex_test_nest_lock; }

void on_mutex_acquire(ompt_mutex_t kind, unsigned int, unsigned int, ompt_wait_id_t, const void* codeptr) {
  if (waits(kind)) push(pp::word(pp::waiting, mutex_kind(kind), 0, codeptr));
}

void on_mutex_acquired(ompt_mutex_t kind, ompt_wait_id_t, const void*) {
  if (waits(kind)) pop_wait();
}

// An explicit task's data: 1 created, 2 started (a later schedule of it is a resumption).
void on_task_create(ompt_data_t*, const ompt_frame_t*, ompt_data_t* task, int flags, int, const void*) {
  task->value = (flags & ompt_task_explicit) ? 1 : 0;
  if (flags & ompt_task_explicit) ++counts.explicit_tasks;
}

void on_task_schedule(ompt_data_t* prior, ompt_task_status_t status, ompt_data_t* next) {
  const bool ended = status == ompt_task_complete || status == ompt_task_cancel || status == ompt_task_detach ||
                     status == ompt_task_late_fulfill;
  if (prior && prior->value >= 1 && ended) pop_task();
  if (next && next->value == 1) {
    next->value = 2;
    push(pp::word(pp::own, pp::no_kind, 1), true); // detail 1: an explicit task's code (for the trace)
  }
}

void write_section(std::FILE* out) {
  std::lock_guard hold(counts.mutex);
  std::fprintf(out, "\"openmp\": {\"regions\": %ld, \"explicit_tasks\": %ld, \"teams\": [", counts.regions,
               counts.explicit_tasks.load());
  bool first = true;
  for (const unsigned team : counts.teams) std::fprintf(out, "%s%u", first ? "" : ", ", team), first = false;
  std::fprintf(out, "]}");
}

int initialize(ompt_function_lookup_t lookup, int, ompt_data_t*) {
  if (!pp::start()) return 0; // no evidence wanted: the tool steps aside
  pp::add_section(&write_section);
  auto set_callback = reinterpret_cast<ompt_set_callback_t>(lookup("ompt_set_callback"));
  auto set = [&](ompt_callbacks_t which, auto function) {
    set_callback(which, reinterpret_cast<ompt_callback_t>(function));
  };
  set(ompt_callback_thread_begin, &on_thread_begin);
  set(ompt_callback_thread_end, &on_thread_end);
  set(ompt_callback_parallel_begin, &on_parallel_begin);
  set(ompt_callback_parallel_end, &on_parallel_end);
  set(ompt_callback_implicit_task, &on_implicit_task);
  set(ompt_callback_sync_region_wait, &on_sync_region_wait);
  set(ompt_callback_mutex_acquire, &on_mutex_acquire);
  set(ompt_callback_mutex_acquired, &on_mutex_acquired);
  set(ompt_callback_task_create, &on_task_create);
  set(ompt_callback_task_schedule, &on_task_schedule);
  return 1; // keep the tool
}

void finalize(ompt_data_t*) { pp::finish(); }

} // namespace

extern "C" ompt_start_tool_result_t* ompt_start_tool(unsigned int, const char*) {
  static ompt_start_tool_result_t result{&initialize, &finalize, {0}};
  return &result;
}
