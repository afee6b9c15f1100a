// gather (OpenMP): Python's asyncio.gather with OpenMP tasks: two coroutines awaited together
// (taskwait, taskgroup), results in submission order, and the same chain as futures (depend).
//
// Mirrors notebook 000, Act 1, "Concurrency": start() prints 'a', awaits
// asyncio.gather(a(), b()) (which print 'ba' and 'ca'), prints 'xi' and returns '!', which the
// outer gather prints: a, ba, ca, xi, !.
//
// Teaches tasks as awaitables. In asyncio one thread interleaves the coroutines while each
// waits; here each coroutine is an `omp task`, any thread of the team may run it, and the
// producer waits for both with `taskwait` (or a `taskgroup`, which also waits for the tasks'
// own children). Like gather, the results come back in submission order whatever order the
// tasks finish in, so the output is the notebook's, deterministically; and with two threads
// the two waits overlap: the gather takes one --delay, not two. --mode depend writes the chain
// as futures instead: a task that `depend(in:)`s on a variable starts only after the task that
// `depend(out:)`s it, so each coroutine can print as it finishes, in order, at the price of
// running them one after the other.
//
// Usage: OMP_NUM_THREADS=2 gather [--mode all|taskwait|taskgroup|depend] [--delay S]
//        [--tolerance S] [--json]

#include <cstdio>
#include <string>
#include <vector>

#include <omp.h>

#include "paracon/experiments/gather.hpp"

namespace ga = paracon::experiments::gather;

int main(int argc, char** argv) {
  //////////////////////////////////////////////////////////////////////////////////////////
  // Read and check the parameters
  //////////////////////////////////////////////////////////////////////////////////////////
  ga::Options options;
  std::string chosen = "all";
  double tolerance = 0.5;
  paracon::Cli cli("gather", "asyncio.gather(a(), b()) as OpenMP tasks: taskwait, taskgroup, depend",
                   paracon::Threads::openmp);
  ga::add_options(cli, options);
  cli.add_choice("--mode", chosen, {"all", "taskwait", "taskgroup", "depend"}, "How start() awaits a() and b()");
  cli.add_decimal("--tolerance", tolerance, "Seconds a run may take beyond its prediction", 0, 60);
  if (auto code = cli.parse(argc, argv)) return *code;
  const std::vector<std::string> modes =
      chosen == "all" ? std::vector<std::string>{"taskwait", "taskgroup", "depend"} : std::vector<std::string>{chosen};

  const int threads = omp_get_max_threads();
  paracon::Report report("gather", "openmp", cli.json());
  report.print_title(std::to_string(threads) + " threads, a() and b() each wait " + paracon::show(options.delay) +
                     " s");
  std::vector<ga::TaskRun> runs;

  //////////////////////////////////////////////////////////////////////////////////////////
  // The timed regions: print(*await asyncio.gather(start())), once per mode
  //////////////////////////////////////////////////////////////////////////////////////////
  for (const std::string& mode : modes) {
    std::vector<std::string> lines;
    const auto say = [&](const std::string& line) { // print(), one thread at a time
#pragma omp critical(say)
      {
        lines.push_back(line);
        if (!report.json()) std::printf("%s\n", line.c_str());
      }
    };
    if (!report.json()) std::printf("-- %s\n", mode.c_str());
    std::string result;
    paracon::Stopwatch clock;
#pragma omp parallel num_threads(threads)
#pragma omp single
    { // start(), run by one thread; the team runs the tasks it creates
      say("a");
      std::string ra, rb;
      if (mode == "taskwait") {
        //@ task 1: Run a() and b() as two tasks, which the team's threads wait out at once, and
        //@ await both before going on: asyncio.gather(a(), b()). The results are written by the
        //@ tasks into ra and rb, which outlive them.
        //@ hint: #pragma omp task shared(ra) before a statement makes it a task; then a taskwait.
        //@ start: ra = ga::coroutine_a(options); // one after the other, for now
        //@ start: rb = ga::coroutine_b(options);
#pragma omp task shared(ra)
        ra = ga::coroutine_a(options);
#pragma omp task shared(rb)
        rb = ga::coroutine_b(options);
#pragma omp taskwait // await asyncio.gather(a(), b())
        //@ end
      } else if (mode == "taskgroup") {
        //@ task 2: The same two tasks, awaited by a taskgroup instead: it waits for the tasks
        //@ created inside it and for theirs, as a gather of coroutines that await others would.
        //@ start: ra = ga::coroutine_a(options);
        //@ start: rb = ga::coroutine_b(options);
#pragma omp taskgroup // the same await; it would also wait for tasks that a() and b() create
        {
#pragma omp task shared(ra)
          ra = ga::coroutine_a(options);
#pragma omp task shared(rb)
          rb = ga::coroutine_b(options);
        }
        //@ end
      }
      if (mode != "depend") { // gather's results, in submission order
        say(ra);
        say(rb);
        say("xi");
        result = ga::start_value;
      } else { // futures: ra, rb and result are each written by one task and read by the next
        //@ task 3: Futures: three tasks, a() then b() then start()'s end, each waiting for the
        //@ value the one before it writes, so they run in order whichever threads take them.
        //@ hint: depend(out : ra) on the task that writes ra, depend(in : ra) on the one that reads it.
        //@ start: ra = ga::coroutine_a(options);
        //@ start: say(ra);
        //@ start: rb = ga::coroutine_b(options);
        //@ start: say(rb);
        //@ start: say("xi");
        //@ start: result = ga::start_value;
#pragma omp task depend(out : ra) shared(ra)
        {
          ra = ga::coroutine_a(options);
          say(ra);
        }
#pragma omp task depend(in : ra) depend(out : rb) shared(rb)
        {
          rb = ga::coroutine_b(options);
          say(rb);
        }
#pragma omp task depend(in : rb) depend(out : result) shared(result)
        {
          say("xi");
          result = ga::start_value;
        }
#pragma omp taskwait
        //@ end
      }
    }
    say(result); // the outer gather prints start()'s return value
    const double seconds = clock.seconds();

    runs.push_back({mode, lines, seconds, ga::predicted_seconds(options, mode, threads)});
  }

  //////////////////////////////////////////////////////////////////////////////////////////
  // Report
  //////////////////////////////////////////////////////////////////////////////////////////
  ga::report_tasks(report, options, threads, runs, tolerance);
  report.print();
  return report.valid() ? paracon::exit_validated : paracon::exit_failed;
}
