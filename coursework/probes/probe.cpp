// The probe's sampler and evidence file (see probe.hpp).
#include "probe.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace paracon::probe {

struct Slot {
  std::atomic<std::uint64_t> word{0};
  std::atomic<bool> in_region{false};
  std::atomic<std::int64_t> region_began{0}; // its CPU ns (user and system) when it entered
  std::atomic<int> phase{0}; // 0 not yet filled in, 1 live, 2 its thread ended
  // The thread's own exact accounts (user, system ns): in parallel regions and in MPI calls, and
  // in all from its registration to its end (or to the end of sampling, if it ended it).
  std::atomic<std::int64_t> accounted[2][2] = {};
  Usage registered{};
  std::atomic<std::int64_t> all[2] = {-1, -1};
  long tid = 0;
  bool initial = false;
  clockid_t clock{};
  int stat_fd = -1, status_fd = -1;
  // The sampler's own, touched by no other thread.
  bool seen = false;
  std::int64_t last_cpu = 0, last_switches = 0, last_sample = 0;
  unsigned last_state = 0;
  std::int64_t ticks[4] = {}, cpu_ns[4] = {};
  std::int64_t awake_own = 0;   // ticks in its own code and running or ready to run
  std::int64_t running_own = 0; // the same, and not waking and sleeping over and over
};

} // namespace paracon::probe

namespace {

using paracon::probe::Slot;
namespace pp = paracon::probe;

constexpr int max_slots = 512;
constexpr std::int64_t tick_ns = 1'000'000; // one sample a millisecond

Slot slots[max_slots];
std::atomic<int> used{0};
std::atomic<int> open_regions{0};
std::atomic<long> too_many{0};
thread_local Slot* mine = nullptr;

// The tracer's marks: one per change of a slot's word or region, in the order its thread made
// them (each slot's list is its own thread's; the lock is for the writer at the end).
struct Mark {
  std::int64_t t;
  std::uint64_t word;
  bool in_region;
};
constexpr std::size_t max_marks = 1 << 20; // a thread's first million changes (24 MB)
struct Tracer {
  std::mutex lock;
  std::vector<Mark> marks[max_slots];
  std::vector<std::pair<std::pair<int, std::size_t>, std::string>> notes; // (slot, mark) -> words
  long dropped = 0;
};
Tracer* tracer() {
  static Tracer* const made = std::getenv("PARACON_TRACE") && std::getenv("PARACON_PROBE_DIR") ? new Tracer : nullptr;
  return made;
}

// A run of consecutive ticks with the same counts: threads in their own code and running (or
// ready to run), and threads in their own code at all.
struct Run {
  std::int64_t first;
  std::int32_t length;
  std::uint16_t running, own, team; // team: threads inside a parallel region
};

struct Sampler {
  std::once_flag started, finished;
  bool wanted = false;
  bool running = false; // the sampler thread exists (in this process: not after a fork)
  std::atomic<bool> stopping{false};
  pthread_t thread{};
  std::int64_t start_ns = 0, end_ns = 0, samples = 0;
  std::vector<Run> runs;
  std::map<std::pair<std::uint64_t, int>, std::int64_t> waits; // (word >> 2, slot) -> ticks
  std::vector<pp::Section> sections;
  int rank = -1;
  const char* const* call_names = nullptr;
  unsigned call_count = 0;
};
// Never destroyed: the program's static destructors run before the runtime's finalize, while
// the sampler may still be sampling.
Sampler& sampler = *new Sampler;

std::int64_t now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The thread's state letter in /proc/self/task/TID/stat: after the ')' that ends its name.
char kernel_state(int fd) {
  char text[512];
  const ssize_t got = pread(fd, text, sizeof text - 1, 0);
  if (got <= 0) return '?';
  text[got] = '\0';
  const char* close = std::strrchr(text, ')');
  return close && close[1] == ' ' ? close[2] : '?';
}

// How many times the thread gave up its CPU of its own accord (to sleep, to wait for a lock or
// I/O): voluntary_ctxt_switches in /proc/self/task/TID/status. A thread preempted to make room
// for another (a neighbour on a busy machine, more threads than cores) does not count.
std::int64_t voluntary_switches(int fd) {
  char text[4096];
  const ssize_t got = pread(fd, text, sizeof text - 1, 0);
  if (got <= 0) return 0;
  text[got] = '\0';
  const char* at = std::strstr(text, "\nvoluntary_ctxt_switches:");
  return at ? std::strtoll(at + 26, nullptr, 10) : 0;
}

// A thread that goes to sleep and is woken several times a millisecond is waiting in a loop of
// short sleeps, not working, even when a sample finds it awake: the sampler's own wake-up wakes
// such a sleeper with it (the kernel fires the timers that are due together), so that it looks
// awake at the very instant it is sampled far more often than it is.
constexpr double wakes_per_ms = 2.5;

void sample(std::int64_t tick) {
  const int count = std::min(used.load(std::memory_order_acquire), max_slots);
  unsigned running = 0, own = 0, team = 0;
  const bool region_open = open_regions.load(std::memory_order_relaxed) > 0;
  for (int i = 0; i < count; ++i) {
    Slot& s = slots[i];
    const int phase = s.phase.load(std::memory_order_acquire);
    if (phase != 1) {
      if (phase == 2 && s.stat_fd >= 0) close(s.stat_fd), s.stat_fd = -1;
      if (phase == 2 && s.status_fd >= 0) close(s.status_fd), s.status_fd = -1;
      continue;
    }
    std::uint64_t word = s.word.load(std::memory_order_relaxed);
    if (region_open) {
      team += s.in_region.load(std::memory_order_relaxed);
    } else if (!s.initial && s.in_region.load(std::memory_order_relaxed)) {
      word = pp::word(pp::idle); // a worker still "in" a region that is over: back in the pool
    }
    const unsigned state = static_cast<unsigned>(word & 3);
    const char kernel = kernel_state(s.stat_fd);
    const std::int64_t given = s.status_fd >= 0 ? voluntary_switches(s.status_fd) : 0;
    const std::int64_t at = now_ns();
    const bool restless = s.seen && at > s.last_sample &&
                          static_cast<double>(given - s.last_switches) * 1e6 / static_cast<double>(at - s.last_sample) >
                              wakes_per_ms;
    s.last_switches = given, s.last_sample = at;
    timespec cpu{};
    if (clock_gettime(s.clock, &cpu) == 0) {
      const std::int64_t now = static_cast<std::int64_t>(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec;
      if (s.seen) { // the CPU time since the last sample, to the state at both ends (half each)
        const std::int64_t delta = now - s.last_cpu;
        if (state == s.last_state) {
          s.cpu_ns[state] += delta;
        } else {
          s.cpu_ns[state] += delta / 2;
          s.cpu_ns[s.last_state] += delta - delta / 2;
        }
      }
      s.last_cpu = now, s.last_state = state, s.seen = true;
    }
    ++s.ticks[state];
    if (state == pp::own || state == pp::serial) {
      ++own;
      if (kernel == 'R') {
        ++s.awake_own;
        if (!restless) ++running, ++s.running_own;
      }
    } else if (state == pp::waiting) {
      ++sampler.waits[{word >> 2, i}];
    }
  }
  ++sampler.samples;
  auto& runs = sampler.runs;
  if (!runs.empty() && runs.back().first + runs.back().length == tick && runs.back().running == running &&
      runs.back().own == own && runs.back().team == team)
    ++runs.back().length;
  else
    runs.push_back({tick, 1, static_cast<std::uint16_t>(running), static_cast<std::uint16_t>(own),
                    static_cast<std::uint16_t>(team)});
}

void* sample_loop(void*) {
  std::int64_t next = (now_ns() / tick_ns + 1) * tick_ns;
  while (!sampler.stopping.load(std::memory_order_acquire)) {
    const timespec at{static_cast<time_t>(next / 1'000'000'000), static_cast<long>(next % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) {
    }
    const std::int64_t t = now_ns();
    sample(t / tick_ns);
    next = (t / tick_ns + 1) * tick_ns;
  }
  return nullptr;
}

// Where a code address lies: the file of the object that holds it, and the offset in it.
struct Place {
  std::string file;
  std::uintptr_t offset = 0;
};

Place place_of(std::uintptr_t address) {
  struct Search {
    std::uintptr_t address;
    Place found;
  } search{address, {}};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        for (int k = 0; k < info->dlpi_phnum; ++k) {
          const auto& h = info->dlpi_phdr[k];
          const std::uintptr_t begin = info->dlpi_addr + h.p_vaddr;
          if (h.p_type == PT_LOAD && s->address >= begin && s->address < begin + h.p_memsz) {
            s->found.file = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "";
            if (s->found.file.empty()) { // the program itself
              char path[4096];
              const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
              s->found.file = n > 0 ? std::string(path, static_cast<std::size_t>(n)) : "";
            }
            s->found.offset = s->address - info->dlpi_addr;
            return 1;
          }
        }
        return 0;
      },
      &search);
  return search.found;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "\"";
}

const char* kind_name(unsigned kind) {
  static const char* const names[] = {"",          "barrier",  "barrier_region", "barrier_construct",
                                      "barrier_implicit", "taskwait",  "taskgroup", "reduction",     "critical",
                                      "lock",      "ordered",   "atomic",        "mpi"};
  return kind < sizeof names / sizeof *names ? names[kind] : "";
}

double seconds(std::int64_t ns) { return static_cast<double>(ns) * 1e-9; }

void record(Slot* s) {
  Tracer* t = tracer();
  if (!t || !s) return;
  const Mark m{now_ns(), s->word.load(std::memory_order_relaxed), s->in_region.load(std::memory_order_relaxed)};
  std::lock_guard hold(t->lock);
  auto& marks = t->marks[s - slots];
  if (marks.size() < max_marks) marks.push_back(m);
  else ++t->dropped;
}

// The trace: each thread's marks, the places of the code addresses they name, and the notes.
void write_trace() {
  Tracer* t = tracer();
  if (!t) return;
  const std::string path = std::string(std::getenv("PARACON_PROBE_DIR")) + "/trace-" + std::to_string(getpid()) + ".json";
  const std::string partial = path + ".partial";
  std::FILE* out = std::fopen(partial.c_str(), "w");
  if (!out) return;
  std::lock_guard hold(t->lock);
  std::fprintf(out, "{\"pid\": %d, \"rank\": %d, \"dropped\": %ld, \"calls\": [", static_cast<int>(getpid()),
               sampler.rank, t->dropped);
  for (unsigned k = 0; k < sampler.call_count; ++k) std::fprintf(out, "%s\"%s\"", k ? ", " : "", sampler.call_names[k]);
  std::fprintf(out, "],\n \"threads\": [");
  std::map<std::uintptr_t, Place> places;
  const int count = std::min(used.load(), max_slots);
  for (int i = 0; i < count; ++i) {
    std::fprintf(out, "%s\n  {\"tid\": %ld, \"initial\": %s, \"marks\": [", i ? "," : "", slots[i].tid,
                 slots[i].initial ? "true" : "false");
    const auto& marks = t->marks[i];
    for (std::size_t k = 0; k < marks.size(); ++k) {
      std::fprintf(out, "%s[%lld, %llu, %d]", k ? ", " : "", static_cast<long long>(marks[k].t),
                   static_cast<unsigned long long>(marks[k].word), marks[k].in_region ? 1 : 0);
      const std::uintptr_t address = static_cast<std::uintptr_t>(marks[k].word >> 16);
      if (address && !places.count(address)) places[address] = place_of(address);
    }
    std::fprintf(out, "]}");
  }
  std::fprintf(out, "],\n \"places\": {");
  bool first = true;
  for (const auto& [address, where] : places) {
    std::fprintf(out, "%s\"%llu\": [%s, %llu]", first ? "" : ", ", static_cast<unsigned long long>(address),
                 quoted(where.file).c_str(), static_cast<unsigned long long>(where.offset));
    first = false;
  }
  std::fprintf(out, "},\n \"notes\": [");
  for (std::size_t k = 0; k < t->notes.size(); ++k)
    std::fprintf(out, "%s[%d, %zu, %s]", k ? ", " : "", t->notes[k].first.first, t->notes[k].first.second,
                 quoted(t->notes[k].second).c_str());
  std::fprintf(out, "]}\n");
  const bool written = std::fflush(out) == 0 && !std::ferror(out);
  std::fclose(out);
  if (written) std::rename(partial.c_str(), path.c_str());
  else std::remove(partial.c_str());
}

// The evidence file's room, taken when sampling starts: a program that fills its disk once its
// work is done (its folder is all it may write) still leaves its evidence.
constexpr off_t evidence_room = 8 << 20;
int reserved_fd = -1;

std::string evidence_path() {
  return std::string(std::getenv("PARACON_PROBE_DIR")) + "/evidence-" + std::to_string(getpid()) + ".json";
}

void reserve_evidence() {
  const std::string partial = evidence_path() + ".partial";
  reserved_fd = open(partial.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (reserved_fd >= 0 && posix_fallocate(reserved_fd, 0, evidence_room) != 0) {
    close(reserved_fd);
    reserved_fd = -1;
  }
}

void write_evidence() {
  const char* folder = std::getenv("PARACON_PROBE_DIR");
  if (!folder) return;
  const std::string path = evidence_path();
  const std::string partial = path + ".partial";
  std::FILE* out = reserved_fd >= 0 ? fdopen(reserved_fd, "w") : std::fopen(partial.c_str(), "w");
  reserved_fd = -1;
  if (!out) return;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double process_cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                             1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  std::fprintf(out, "{\"pid\": %d, \"session\": %d, \"rank\": %d, \"tick_seconds\": %.6f, \"start\": %.9f, "
               "\"end\": %.9f,\n", static_cast<int>(getpid()), static_cast<int>(getsid(0)), sampler.rank, seconds(tick_ns), seconds(sampler.start_ns),
               seconds(sampler.end_ns));
  std::fprintf(out, " \"samples\": %lld, \"untracked_threads\": %ld, \"process_cpu_seconds\": %.6f,\n",
               static_cast<long long>(sampler.samples), too_many.load(), process_cpu);
  std::fprintf(out, " \"ticks\": [");
  for (std::size_t k = 0; k < sampler.runs.size(); ++k) {
    const Run& r = sampler.runs[k];
    std::fprintf(out, "%s[%lld, %d, %u, %u, %u]", k ? ", " : "", static_cast<long long>(r.first), r.length,
                 r.running, r.own, r.team);
  }
  std::fprintf(out, "],\n \"threads\": [");
  const int count = std::min(used.load(), max_slots);
  for (int i = 0; i < count; ++i) {
    Slot& s = slots[i];
    timespec cpu{}; // every CPU second of the thread so far (the kernel's count cannot be smaller)
    const std::int64_t total = clock_gettime(s.clock, &cpu) == 0
                                   ? static_cast<std::int64_t>(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec
                                   : std::max<std::int64_t>(s.all[0].load() + s.all[1].load(), 0);
    std::fprintf(out,
                 "%s\n  {\"tid\": %ld, \"initial\": %s, \"ticks\": {\"idle\": %lld, \"own\": %lld, \"serial\": %lld, "
                 "\"waiting\": %lld}, \"awake_own_ticks\": %lld, \"running_own_ticks\": %lld, \"cpu_seconds\": {\"idle\": %.6f, \"own\": %.6f, "
                 "\"serial\": %.6f, \"waiting\": %.6f}, \"cpu_seconds_total\": %.6f, \"exact\": {\"user\": %.6f, "
                 "\"system\": %.6f, \"user_in_regions\": %.6f, \"system_in_regions\": %.6f, \"user_in_mpi\": %.6f, "
                 "\"system_in_mpi\": %.6f, \"open_region\": %.6f}}",
                 i ? "," : "", s.tid, s.initial ? "true" : "false", static_cast<long long>(s.ticks[0]),
                 static_cast<long long>(s.ticks[1]), static_cast<long long>(s.ticks[2]),
                 static_cast<long long>(s.ticks[3]), static_cast<long long>(s.awake_own), static_cast<long long>(s.running_own), seconds(s.cpu_ns[0]),
                 seconds(s.cpu_ns[1]), seconds(s.cpu_ns[2]), seconds(s.cpu_ns[3]), seconds(total),
                 s.all[0].load() < 0 ? -1.0 : seconds(s.all[0].load()), s.all[1].load() < 0 ? -1.0 : seconds(s.all[1].load()),
                 seconds(s.accounted[pp::in_region][0].load()), seconds(s.accounted[pp::in_region][1].load()),
                 seconds(s.accounted[pp::in_mpi][0].load()), seconds(s.accounted[pp::in_mpi][1].load()),
                 s.in_region.load() ? seconds(std::max<std::int64_t>(total - s.region_began.load(), 0)) : 0.0);
  }
  std::fprintf(out, "],\n \"waits\": [");
  bool first = true;
  for (const auto& [where_thread, ticks] : sampler.waits) {
    const auto [key, thread] = where_thread;
    const unsigned kind = static_cast<unsigned>(key & 0x3f), detail = static_cast<unsigned>((key >> 6) & 0xff);
    const std::uintptr_t address = static_cast<std::uintptr_t>(key >> 14);
    const Place where = address ? place_of(address) : Place{};
    const char* call = kind == pp::mpi && detail < sampler.call_count ? sampler.call_names[detail] : "";
    std::fprintf(out, "%s\n  {\"kind\": \"%s\", \"call\": \"%s\", \"thread\": %d, \"ticks\": %lld, \"file\": %s, "
                      "\"offset\": %llu}",
                 first ? "" : ",", kind_name(kind), call, thread, static_cast<long long>(ticks),
                 quoted(where.file).c_str(), static_cast<unsigned long long>(where.offset));
    first = false;
  }
  std::fprintf(out, "]");
  for (const pp::Section writer : sampler.sections) {
    std::fprintf(out, ",\n ");
    writer(out);
  }
  std::fprintf(out, "}\n");
  bool written = std::fflush(out) == 0 && !std::ferror(out);
  const long size = std::ftell(out);
  written = written && size >= 0 && ftruncate(fileno(out), size) == 0; // the room not used goes back
  std::fclose(out);
  if (written) std::rename(partial.c_str(), path.c_str());
  else std::remove(partial.c_str());
}

// A child made by fork() has no sampler thread: it must neither join one nor write evidence.
void forked_child() {
  sampler.running = false;
  sampler.wanted = false;
}

} // namespace

namespace paracon::probe {

Slot* thread_slot(bool initial) {
  if (mine) return mine;
  const int index = used.fetch_add(1, std::memory_order_relaxed);
  if (index >= max_slots) {
    ++too_many;
    return nullptr;
  }
  Slot& s = slots[index];
  s.tid = static_cast<long>(syscall(SYS_gettid));
  s.initial = initial;
  pthread_getcpuclockid(pthread_self(), &s.clock);
  const std::string stat = "/proc/self/task/" + std::to_string(s.tid) + "/stat";
  s.stat_fd = open(stat.c_str(), O_RDONLY | O_CLOEXEC);
  s.status_fd = open((stat + "us").c_str(), O_RDONLY | O_CLOEXEC);
  s.word.store(initial ? word(serial) : word(idle), std::memory_order_relaxed);
  s.registered = thread_usage();
  s.phase.store(s.stat_fd >= 0 ? 1 : 2, std::memory_order_release);
  mine = &s;
  record(mine);
  return mine;
}

Slot* current() { return mine; }

void set(Slot* slot, std::uint64_t value) {
  if (!slot) return;
  slot->word.store(value, std::memory_order_relaxed);
  record(slot);
}

bool tracing() { return tracer() != nullptr; }

void note(Slot* slot, const char* text) {
  Tracer* t = tracer();
  if (!t || !slot || !text) return;
  std::lock_guard hold(t->lock);
  const int index = static_cast<int>(slot - slots);
  if (!t->marks[index].empty()) t->notes.push_back({{index, t->marks[index].size() - 1}, text});
}

std::uint64_t get(const Slot* slot) { return slot ? slot->word.load(std::memory_order_relaxed) : word(idle); }

// The calling thread's accounts end here: everything it used since it was registered.
void close_accounts(Slot* slot) {
  if (!slot || slot->all[0].load() >= 0) return;
  const Usage now = thread_usage();
  slot->all[0].store(now.user_ns - slot->registered.user_ns);
  slot->all[1].store(now.system_ns - slot->registered.system_ns);
}

void thread_ended(Slot* slot) {
  if (slot) {
    close_accounts(slot);
    slot->phase.store(2, std::memory_order_release);
  }
  if (slot == mine) mine = nullptr;
}

void set_in_region(Slot* slot, bool inside) {
  if (!slot) return;
  if (inside) {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    slot->region_began.store(static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec);
  }
  slot->in_region.store(inside, std::memory_order_relaxed);
  record(slot);
}

void region_opened() { open_regions.fetch_add(1, std::memory_order_relaxed); }
void region_closed() { open_regions.fetch_sub(1, std::memory_order_relaxed); }

Usage thread_usage() {
  rusage r{};
  getrusage(RUSAGE_THREAD, &r);
  return {static_cast<std::int64_t>(r.ru_utime.tv_sec) * 1'000'000'000 + r.ru_utime.tv_usec * 1000,
          static_cast<std::int64_t>(r.ru_stime.tv_sec) * 1'000'000'000 + r.ru_stime.tv_usec * 1000};
}

void add_usage(Slot* slot, Account account, Usage since) {
  if (!slot) return;
  const Usage now = thread_usage();
  slot->accounted[account][0].fetch_add(now.user_ns - since.user_ns, std::memory_order_relaxed);
  slot->accounted[account][1].fetch_add(now.system_ns - since.system_ns, std::memory_order_relaxed);
}

bool start() {
  std::call_once(sampler.started, [] {
    if (!std::getenv("PARACON_PROBE_DIR")) return;
    sampler.wanted = true;
    reserve_evidence();
    sampler.start_ns = now_ns();
    sampler.runs.reserve(1 << 16);
    pthread_atfork(nullptr, nullptr, forked_child);
    // The sampler takes none of the program's signals: they stay the program's to handle.
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &before);
    sampler.running = pthread_create(&sampler.thread, nullptr, sample_loop, nullptr) == 0;
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
  });
  return sampler.wanted;
}

void finish() {
  if (!sampler.wanted) return;
  std::call_once(sampler.finished, [] {
    if (!sampler.running) return;
    close_accounts(mine); // the thread that ends the run (the initial one, or a rank's main thread)
    // A worker that left the last parallel region with the rest of its team still has to say
    // so (it runs its end of the region after the initial thread has gone on, to MPI_Finalize
    // say): give the team a moment to close its accounts.
    const std::int64_t deadline = now_ns() + 200'000'000;
    auto open = [] {
      const int count = std::min(used.load(), max_slots);
      for (int i = 0; i < count; ++i)
        if (&slots[i] != mine && slots[i].phase.load() == 1 && slots[i].in_region.load() &&
            open_regions.load() > 0)
          return true;
      return false;
    };
    while (open() && now_ns() < deadline) {
      const timespec pause{0, 1'000'000};
      nanosleep(&pause, nullptr);
    }
    sampler.stopping.store(true, std::memory_order_release);
    pthread_join(sampler.thread, nullptr);
    sampler.running = false;
    sampler.end_ns = now_ns();
    write_evidence();
    write_trace();
  });
}

void add_section(Section writer) { sampler.sections.push_back(writer); }
void set_rank(int rank) { sampler.rank = rank; }
void set_call_names(const char* const* names, unsigned count) {
  sampler.call_names = names;
  sampler.call_count = count;
}

} // namespace paracon::probe

// A program that ends without the runtime's finalize (exit() from a parallel region, an MPI
// program that never calls MPI_Finalize) still leaves its evidence.
__attribute__((destructor)) static void probe_at_exit() { paracon::probe::finish(); }
