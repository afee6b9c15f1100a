#include "paracon/plumbing/files.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace paracon::files {
namespace {

std::string host_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string name = host;
  for (char& c : name)
    if (c == '.' || c == '/') c = '_'; // the name's fields are separated by dots
  return name.empty() ? "host" : name;
}

// The temporaries being written now, for the signal handler. A handler may only call
// async-signal-safe functions (unlink, signal, raise): so no allocation, no lock, just fixed
// slots whose state says whether the path in them is complete.
constexpr std::size_t slots = 1024, longest_path = 1024;
std::atomic<int> state[slots]; // 0 free, 1 being filled, 2 a temporary being written
char paths[slots][longest_path];
// The signal goes to whichever thread does not block it, while other threads go on: `creating`
// counts the threads between mkstemp and registering its name, which the handler waits out, and
// `dying` keeps any thread from creating a temporary once the handler has begun.
std::atomic<int> creating{0};
std::atomic<bool> dying{false};
std::atomic<int> stop_signal{0}; // the first SIGINT, SIGTERM or SIGHUP: a request to stop

void remove_temporaries_and_die(int signal) {
  dying = true;
  const timespec pause{0, 100000}; // 0.1 ms; nanosleep is async-signal-safe
  for (int k = 0; creating.load() > 0 && k < 10000; ++k) nanosleep(&pause, nullptr);
  for (std::size_t k = 0; k < slots; ++k)
    if (state[k].load() == 2) unlink(paths[k]);
  std::signal(signal, SIG_DFL); // then end as the signal asked: exit status 128 + signal
  std::raise(signal);
}

// The first signal asks; a second, when the program has not stopped yet, ends it at once.
void on_stop_signal(int signal) {
  int none = 0;
  if (!stop_signal.compare_exchange_strong(none, signal)) remove_temporaries_and_die(signal);
}

void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction action {};
      action.sa_handler = on_stop_signal;
      sigemptyset(&action.sa_mask);
      struct sigaction previous {};
      sigaction(signal, nullptr, &previous);
      if (previous.sa_handler == SIG_DFL) sigaction(signal, &action, nullptr); // never replace a handler of MPI's
    }
  });
}

// A slot holding `path` while the guard lives (none when every slot is taken or the path is too
// long: then only the next run's sweep can remove a temporary left by a signal).
class Registered {
public:
  explicit Registered(const std::string& path) {
    if (path.size() >= longest_path) return;
    for (std::size_t k = 0; k < slots; ++k) {
      int free = 0;
      if (state[k].compare_exchange_strong(free, 1, std::memory_order_acquire)) {
        std::memcpy(paths[k], path.c_str(), path.size() + 1);
        state[k].store(2, std::memory_order_release);
        slot_ = k;
        return;
      }
    }
  }
  ~Registered() {
    if (slot_ < slots) state[slot_].store(0, std::memory_order_release);
  }
  Registered(const Registered&) = delete;
  Registered& operator=(const Registered&) = delete;

private:
  std::size_t slot_ = slots;
};

} // namespace

void write_atomically(const std::filesystem::path& path, std::string_view contents) {
  install_handlers();
  const auto fail = [&](const std::string& what) {
    return WriteError("cannot write " + path.string() + ": " + what + ": " + std::strerror(errno));
  };
  std::string name = "."; // built by appending: GCC 12 warns falsely on "." + std::string
  name.append(path.filename().string()).append(".paracon.").append(host_name()).append(".");
  name.append(std::to_string(getpid())).append(".XXXXXX");
  std::string temporary = (path.parent_path() / name).string();
  // The temporary is created and registered with signals blocked in this thread, and counted
  // in `creating` for the handler that another thread may be running.
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&blocked, signal);
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  ++creating;
  const bool stopping = dying || stop_signal.load() != 0;
  const int fd = stopping ? -1 : mkstemp(temporary.data());
  const int saved_errno = stopping ? EINTR : errno;
  Registered registered(fd >= 0 ? temporary : std::string());
  --creating;
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = saved_errno;
  if (fd < 0) throw fail("create");

  bool ok = fchmod(fd, 0644) == 0;
  for (std::size_t written = 0; ok && written < contents.size();) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && fsync(fd) == 0; // on disk before the rename makes it visible
  const int write_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(temporary.c_str(), path.c_str()) == 0) return;
  errno = errno ? errno : write_errno;
  const WriteError error = fail("write");
  ::unlink(temporary.c_str());
  throw error;
}

void stop_on_signals() { install_handlers(); }

int stop_requested() { return stop_signal.load(std::memory_order_relaxed); }

std::size_t sweep_temporaries(const std::filesystem::path& folder) {
  const std::string mark = ".paracon." + host_name() + ".";
  std::size_t removed = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    const auto at = name.find(mark);
    if (name.empty() || name[0] != '.' || at == std::string::npos) continue;
    // .NAME.paracon.HOST.PID.XXXXXX: the PID, and whether that process still lives.
    const std::string rest = name.substr(at + mark.size());
    const auto dot = rest.find('.');
    if (dot == std::string::npos || dot == 0 || rest.size() - dot != 7) continue;
    const pid_t pid = static_cast<pid_t>(std::atoll(rest.substr(0, dot).c_str()));
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) removed += std::filesystem::remove(entry.path(), error);
  }
  return removed;
}

} // namespace paracon::files
