// The grader's probe, the part the OMPT tool (ompt_probe.cpp) and the PMPI layer (pmpi_probe.cpp)
// share: one copy per process (a shared library both link), whichever of the two is loaded.
//
// Every thread the runtime or the MPI library tells us about has a slot holding one word: what
// the thread is doing now (idle, its own code, or waiting: where, in which construct or MPI
// call). The tools only store that word, which costs a store per event. A sampler thread reads
// every slot once a millisecond, on the millisecond boundaries of CLOCK_MONOTONIC (so that the
// samples of two MPI ranks on one host are taken at the same instants), together with what the
// kernel says of the same thread at that instant: running or ready to run ('R' in
// /proc/self/task/TID/stat) or not, and its CPU time. "Two workers ran their own code at the
// same time" is then a count at one instant, not a sum of durations; a thread that sleeps,
// blocks in a mutex or waits in the runtime does not count, whatever it was doing.
//
// At the end (the OMPT tool's finalize, or MPI_Finalize) it writes the evidence, whole, to
// $PARACON_PROBE_DIR/evidence-<pid>.json.
#pragma once

#include <cstdint>
#include <cstdio>

namespace paracon::probe {

// The word of a slot: bits 0-1 the state, 2-7 the kind of wait, 8-15 a detail (the MPI call's
// number), 16-63 the code address of the construct or call (user-space addresses fit 48 bits).
enum State : std::uint64_t {
  idle = 0,   // a thread of the runtime's pool, between parallel regions
  own = 1,    // the program's own code, in a parallel region (or, for a rank, outside MPI)
  serial = 2, // the program's own code, on the initial thread outside every parallel region
  waiting = 3 // in the runtime or the MPI library, waiting
};

enum Kind : std::uint64_t {
  no_kind = 0,
  barrier,          // an explicit barrier (or one of the runtime's own)
  barrier_region,   // the implicit barrier that ends a parallel region
  barrier_construct, // the implicit barrier that ends a worksharing construct (for, single, sections)
  barrier_implicit, // an implicit barrier, either of those (OpenMP 5.0's runtimes do not say which)
  taskwait,
  taskgroup,
  reduction,        // the runtime's own wait while it combines a reduction
  critical,         // waiting to enter a critical section
  lock,             // waiting for an OpenMP lock (omp_set_lock, omp_set_nest_lock)
  ordered,          // waiting for the turn of an ordered region
  atomic,           // waiting inside an atomic the runtime carries out with a lock
  mpi,              // inside an MPI call (the detail says which)
  kinds
};

inline std::uint64_t word(State state, Kind kind = no_kind, unsigned detail = 0, const void* where = nullptr) {
  return static_cast<std::uint64_t>(state) | (static_cast<std::uint64_t>(kind) << 2) |
         (static_cast<std::uint64_t>(detail & 0xffu) << 8) |
         (reinterpret_cast<std::uintptr_t>(where) << 16);
}

struct Slot;

// The calling thread's slot, made on first use (initial: the program's initial thread, whose
// own code outside parallel regions is serial).
Slot* thread_slot(bool initial);
// The calling thread's slot if it has one, else nullptr.
Slot* current();
void set(Slot* slot, std::uint64_t word);
std::uint64_t get(const Slot* slot);
void thread_ended(Slot* slot);

// Whether the slot's thread is inside a parallel region (the team the sampler counts), and how
// many regions are open (between parallel-begin and parallel-end on their initial threads). A
// worker of the runtime's pool says it left a region only when the next one starts or the
// program ends: while no region is open, a worker that has not said so yet is idle.
void set_in_region(Slot* slot, bool inside);
void region_opened();
void region_closed();

// The kernel's exact count of the calling thread's CPU time, user and system apart (page faults,
// a first touch of memory, are system time: the machine's, not the program's work), read by the
// thread itself at the edges of what it accounts: a parallel region (the OMPT tool), an MPI call
// (the PMPI layer).
struct Usage {
  std::int64_t user_ns = 0, system_ns = 0;
};
Usage thread_usage();
enum Account { in_region = 0, in_mpi = 1 };
void add_usage(Slot* slot, Account account, Usage since);

// Starts the sampler (once; later calls do nothing). Returns false when no evidence is wanted
// ($PARACON_PROBE_DIR unset).
bool start();
// Stops the sampler and writes the evidence (once).
void finish();

// What else goes into the evidence file: a tool registers a writer of one JSON member
// ("name": value), called by finish() under no lock of ours.
using Section = void (*)(std::FILE* out);
void add_section(Section writer);
// The tracer: with $PARACON_TRACE set (beside $PARACON_PROBE_DIR), every change of a slot's word
// and of whether it is in a region is kept too, with its time to the nanosecond, and written at
// the end to $PARACON_PROBE_DIR/trace-<pid>.json (scripts/trace draws it). note() gives words to
// the thread's latest change (an MPI call's partner and bytes). Without it, nothing is kept.
bool tracing();
void note(Slot* slot, const char* text);
// MPI's rank of this process, when it has one.
void set_rank(int rank);
// Names of the MPI calls by detail number, for the evidence file (the PMPI layer's table).
void set_call_names(const char* const* names, unsigned count);

} // namespace paracon::probe
