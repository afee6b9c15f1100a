// gather (MPI): Python's asyncio.gather, not MPI_Gather: two MPI_Irecv requests are the futures,
// MPI_Testall asks whether they are done, MPI_Waitall awaits them both.
//
// Mirrors notebook 000, Act 1, "Concurrency" (start() awaits asyncio.gather(a(), b()); output
// a, ba, ca, xi, !) and "Awaitables": a Future is something you can await.
//
// Teaches requests as futures, and what makes them progress. Rank 0 runs start(): it posts an
// MPI_Irecv for a()'s value and one for b()'s, each a request, the future of a value that a
// coroutine rank (1 and 2, or rank 0 itself when there are fewer ranks) will send after its
// --delay. MPI_Test is done(), MPI_Wait is await, MPI_Waitall(both) is gather: the values come
// back in submission order. While they are not done, rank 0 does unrelated work (checked range
// sums) and asks MPI_Test between units: the report says how much work fit into the wait.
//
// Then the part asyncio hides: a request moves only while its process is inside MPI (unless the
// library runs a progress thread). A large message (--payload bytes) from rank 1 is posted to
// rank 0, which then computes for --compute seconds: once with no MPI call at all, so the
// transfer waits and MPI_Wait afterwards still has it all to do; once calling MPI_Test between
// units, so it is done by the time MPI_Wait is called. The report gives both waits. (On one
// rank the message goes to rank 0 itself and is delivered at once.)
//
// Usage: mpirun -n 3 gather [--delay S] [--payload BYTES] [--compute S] [--json]

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <mpi.h>

#include "paracon/experiments/gather.hpp"
#include "paracon/kernels/range_sum.hpp"
#include "paracon/plumbing/mpi.hpp"

namespace ga = paracon::experiments::gather;

namespace {
enum Tag { tag_a = 1, tag_b = 2, tag_payload = 3 };

// One unit of unrelated work: a range sum checked against its closed form.
bool work_unit(std::uint64_t k) {
  const std::uint64_t begin = k * 100000, end = begin + 100000;
  return paracon::range_sum(begin, end) == paracon::range_sum_closed_form(begin, end);
}
} // namespace

int main(int argc, char** argv) {
  paracon::mpi::Session mpi(argc, argv); // MPI_Init_thread; MPI_Finalize when main returns
  const int rank = mpi.rank(), ranks = mpi.size();

  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters (every rank the same verdict; rank 0 speaks)
  //////////////////////////////////////////////////////////////////////////////////////////
  ga::Options options;
  std::uint64_t payload = 16u << 20;
  double compute = 0.2;
  paracon::Cli cli("gather", "asyncio.gather(a(), b()) with MPI requests: MPI_Irecv, MPI_Test, MPI_Waitall");
  ga::add_options(cli, options);
  cli.add_count("--payload", payload, "Bytes of the large message in the progress experiment", 1, 1u << 30);
  cli.add_decimal("--compute", compute, "Seconds rank 0 computes while the large message is posted", 0, 10);
  if (auto code = cli.parse(argc, argv, mpi.root())) return *code;
  paracon::Report report("gather", "mpi", cli.json());
  if (mpi.root())
    report.print_title(std::to_string(ranks) + " ranks, a() and b() each wait " + paracon::show(options.delay) + " s");
  const int owner_a = 1 % ranks, owner_b = 2 % ranks, sender = 1 % ranks; // rank 0 itself when alone

  //////////////////////////////////////////////////////////////////////////////////////////
  // Timed: print(*await asyncio.gather(start()))
  //////////////////////////////////////////////////////////////////////////////////////////
  std::vector<std::string> lines;
  const auto say = [&](const std::string& line) {
    lines.push_back(line);
    if (!report.json()) std::printf("%s\n", line.c_str());
  };
  char value_a[8] = {}, value_b[8] = {};
  std::uint64_t units = 0, polls = 0;
  bool units_right = true;
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  MPI_Request futures[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  if (mpi.root()) { // start()
    say("a");
    //@ task 1: Make a() and b()'s futures: post a receive for each value (from owner_a with
    //@ tag_a, from owner_b with tag_b) that returns at once, its request in futures[0] and [1].
    //@ hint: MPI_Irecv.
    MPI_Irecv(value_a, sizeof value_a, MPI_CHAR, owner_a, tag_a, MPI_COMM_WORLD, &futures[0]); // a()'s future
    MPI_Irecv(value_b, sizeof value_b, MPI_CHAR, owner_b, tag_b, MPI_COMM_WORLD, &futures[1]); // b()'s future
    //@ end
  }
  // The coroutines: whoever owns one waits its delay, then sends the value (rank 0 to itself).
  MPI_Request sent[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  std::string a, b;
  if (rank == owner_a) {
    a = ga::coroutine_a(options);
    MPI_Isend(a.c_str(), static_cast<int>(a.size() + 1), MPI_CHAR, 0, tag_a, MPI_COMM_WORLD, &sent[0]);
  }
  if (rank == owner_b) {
    b = ga::coroutine_b(options);
    MPI_Isend(b.c_str(), static_cast<int>(b.size() + 1), MPI_CHAR, 0, tag_b, MPI_COMM_WORLD, &sent[1]);
  }
  if (mpi.root()) {
    //@ task 2: While the futures are not done, do units of unrelated work (work_unit(units++)),
    //@ asking between units whether both are done; then await them both.
    //@ hint: MPI_Testall(2, futures, &done, ...) is done(); MPI_Waitall is the await.
    //@ start: MPI_Recv(value_a, sizeof value_a, MPI_CHAR, owner_a, tag_a, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    //@ start: MPI_Recv(value_b, sizeof value_b, MPI_CHAR, owner_b, tag_b, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    int done = 0; // while not done(): unrelated work, asking between units
    for (MPI_Testall(2, futures, &done, MPI_STATUSES_IGNORE); !done;
         MPI_Testall(2, futures, &done, MPI_STATUSES_IGNORE)) {
      ++polls;
      units_right = work_unit(units++) && units_right;
    }
    MPI_Waitall(2, futures, MPI_STATUSES_IGNORE); // await gather(a(), b()): already complete here
    //@ end
    say(value_a);                                 // in submission order, whichever came first
    say(value_b);
    say("xi");
    say(ga::start_value); // start()'s return value, printed by the outer gather
  }
  MPI_Waitall(2, sent, MPI_STATUSES_IGNORE);
  const double seconds = paracon::mpi::max_over_ranks(MPI_Wtime() - start);

  //////////////////////////////////////////////////////////////////////////////////////////
  // Timed: does a request progress while its rank computes? Without MPI calls, then with
  //////////////////////////////////////////////////////////////////////////////////////////
  double in_wait[2] = {0, 0};
  bool payload_right = true;
  std::vector<unsigned char> outgoing(rank == sender ? payload : 0), incoming(mpi.root() ? payload : 0);
  for (std::size_t i = 0; i < outgoing.size(); ++i) outgoing[i] = static_cast<unsigned char>(i * 7 + 1);
  for (int polling = 0; polling < 2; ++polling) {
    MPI_Request receive = MPI_REQUEST_NULL, send = MPI_REQUEST_NULL;
    if (mpi.root())
      MPI_Irecv(incoming.data(), static_cast<int>(payload), MPI_BYTE, sender, tag_payload, MPI_COMM_WORLD, &receive);
    MPI_Barrier(MPI_COMM_WORLD); // the receive is posted; the send starts once rank 0 is computing
    if (rank == sender) {
      if (ranks > 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      MPI_Isend(outgoing.data(), static_cast<int>(payload), MPI_BYTE, 0, tag_payload, MPI_COMM_WORLD, &send);
    }
    if (mpi.root()) {
      const double until = MPI_Wtime() + compute;
      for (std::uint64_t k = 0; MPI_Wtime() < until; ++k) {
        units_right = work_unit(k) && units_right;
        if (polling) {
          int flag = 0;
          MPI_Test(&receive, &flag, MPI_STATUS_IGNORE); // lets MPI move the message along
        }
      }
      const double before = MPI_Wtime();
      MPI_Wait(&receive, MPI_STATUS_IGNORE);
      in_wait[polling] = MPI_Wtime() - before;
      for (std::size_t i = 0; i < incoming.size(); ++i)
        payload_right = payload_right && incoming[i] == static_cast<unsigned char>(i * 7 + 1);
      std::memset(incoming.data(), 0, incoming.size());
    }
    MPI_Wait(&send, MPI_STATUS_IGNORE);
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Analyse and report
  //////////////////////////////////////////////////////////////////////////////////////////
  if (mpi.root()) {
    ga::RequestRun run{
        lines,      seconds,   owner_a == owner_b ? 1 : 2, units, polls, units_right, payload, payload_right,
        in_wait[0], in_wait[1]};
    ga::report_requests(report, options, ranks, run);
    report.print();
  }
  const bool valid = paracon::mpi::all_ranks(!mpi.root() || report.valid());
  return valid ? paracon::exit_validated : paracon::exit_failed;
}
