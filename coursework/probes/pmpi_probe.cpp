// The MPI half of the grader's evidence: a PMPI layer. Preloaded into every rank (LD_PRELOAD),
// its MPI_Xxx functions stand in front of the library's: each tells the probe's sampler
// (probe.hpp) that the rank is inside MPI, in which call and called from where, counts the call
// and the bytes it moves, and passes it on to PMPI_Xxx, the library's own entry. Outside MPI
// calls a rank runs its own code: the sampler sees, at each instant, which ranks computed.
//
// At MPI_Finalize the rank's evidence file gets an "mpi" member: rank, size, calls, bytes sent
// and received, seconds inside MPI and in all, and the nonblocking requests it never completed.
// While it runs, each rank keeps a one-line status in $PARACON_PROBE_DIR/rank-<r>.status (the
// blocking call it is in, or "computing"): when a run hangs, the grader reads there which ranks
// were still running, and where.
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <set>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probe.hpp"

namespace {

namespace pp = paracon::probe;

// Every call this layer stands in front of, by number (the probe's detail field).
#define PARACON_MPI_CALLS(X)                                                                                          \
  X(MPI_Init) X(MPI_Init_thread) X(MPI_Finalize) X(MPI_Send) X(MPI_Ssend) X(MPI_Bsend) X(MPI_Rsend) X(MPI_Isend)      \
  X(MPI_Issend) X(MPI_Recv) X(MPI_Irecv) X(MPI_Sendrecv) X(MPI_Sendrecv_replace) X(MPI_Probe) X(MPI_Iprobe)            \
  X(MPI_Mprobe) X(MPI_Mrecv) X(MPI_Wait) X(MPI_Waitall) X(MPI_Waitany) X(MPI_Waitsome) X(MPI_Test) X(MPI_Testall)     \
  X(MPI_Testany) X(MPI_Barrier) X(MPI_Ibarrier) X(MPI_Bcast) X(MPI_Ibcast) X(MPI_Reduce) X(MPI_Ireduce)               \
  X(MPI_Allreduce) X(MPI_Iallreduce) X(MPI_Gather) X(MPI_Gatherv) X(MPI_Igather) X(MPI_Igatherv) X(MPI_Scatter)        \
  X(MPI_Scatterv) X(MPI_Allgather) X(MPI_Allgatherv) X(MPI_Alltoall) X(MPI_Alltoallv) X(MPI_Scan) X(MPI_Exscan)       \
  X(MPI_Reduce_scatter_block) X(MPI_Comm_split) X(MPI_Comm_dup) X(MPI_Win_create) X(MPI_Win_allocate)                 \
  X(MPI_Win_free) X(MPI_Win_fence) X(MPI_Win_lock) X(MPI_Win_unlock) X(MPI_Win_lock_all) X(MPI_Win_unlock_all)        \
  X(MPI_Win_flush) X(MPI_Win_flush_all) X(MPI_Put) X(MPI_Get) X(MPI_Accumulate) X(MPI_Get_accumulate)                 \
  X(MPI_Fetch_and_op) X(MPI_Compare_and_swap)

#define PARACON_ID(name) id_##name,
#define PARACON_NAME(name) #name,
enum Id : unsigned { PARACON_MPI_CALLS(PARACON_ID) call_count };
const char* const call_names[] = {PARACON_MPI_CALLS(PARACON_NAME)};

double now() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Probe {
  int rank = -1, size = 0;
  double started = 0, ended = 0, in_mpi = 0;
  long long sent = 0, received = 0;
  long long calls[call_count] = {};
  std::set<MPI_Request> pending; // nonblocking requests not yet completed
  char* status = nullptr;        // the mapped status line
};
Probe& probe = *new Probe; // never destroyed: a call may come after the program's static destructors

constexpr std::size_t status_size = 256;

long long bytes(int count, MPI_Datatype type) {
  int size = 0;
  if (type != MPI_DATATYPE_NULL) PMPI_Type_size(type, &size);
  return static_cast<long long>(count) * size;
}

void say(const char* what) {
  if (probe.status) std::snprintf(probe.status, status_size, "%s", what);
}

// One call in progress: counted, shown in the status line while it runs, timed, and the calling
// thread's slot says "waiting in this call, called from there" until it returns.
thread_local int depth = 0; // MPI calls in progress on this thread (the library may call itself)

struct Call {
  double begun;
  pp::Slot* slot = nullptr;
  std::uint64_t before = 0;
  pp::Usage cpu;
  Call(Id id, const void* from, const char* doing = nullptr) : begun(now()) {
    ++probe.calls[id];
    if (++depth == 1) {
      slot = pp::current() ? pp::current() : pp::thread_slot(false);
      cpu = pp::thread_usage();
      before = pp::get(slot);
      pp::set(slot, pp::word(pp::waiting, pp::mpi, id, from));
      if (doing) say(doing), pp::note(slot, doing);
    }
  }
  ~Call() {
    if (--depth == 0) {
      probe.in_mpi += now() - begun;
      pp::add_usage(slot, pp::in_mpi, cpu);
      pp::set(slot, before);
      say("computing");
    }
  }
};

#define CALLED_FROM __builtin_return_address(0)

std::string describe(const char* call, int peer, const char* role, long long moved) {
  char text[160];
  if (peer >= 0)
    std::snprintf(text, sizeof text, "in %s (%s rank %d, %lld bytes)", call, role, peer, moved);
  else
    std::snprintf(text, sizeof text, "in %s (%lld bytes)", call, moved);
  return text;
}

void write_section(std::FILE* out) {
  std::fprintf(out, "\"mpi\": {\"rank\": %d, \"size\": %d, \"seconds\": %.9f, \"seconds_in_mpi\": %.9f, ",
               probe.rank, probe.size, probe.ended - probe.started, probe.in_mpi);
  std::fprintf(out, "\"bytes_sent\": %lld, \"bytes_received\": %lld, \"pending_requests\": %zu, \"calls\": {",
               probe.sent, probe.received, probe.pending.size());
  bool first = true;
  for (unsigned id = 0; id < call_count; ++id)
    if (probe.calls[id]) std::fprintf(out, "%s\"%s\": %lld", first ? "" : ", ", call_names[id], probe.calls[id]), first = false;
  std::fprintf(out, "}}");
}

void started() {
  PMPI_Comm_rank(MPI_COMM_WORLD, &probe.rank);
  PMPI_Comm_size(MPI_COMM_WORLD, &probe.size);
  probe.started = now();
  if (const char* folder = std::getenv("PARACON_PROBE_DIR")) {
    const std::string path = std::string(folder) + "/rank-" + std::to_string(probe.rank) + ".status";
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0 && ftruncate(fd, status_size) == 0) {
      void* page = mmap(nullptr, status_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if (page != MAP_FAILED) probe.status = static_cast<char*>(page);
    }
    if (fd >= 0) close(fd);
  }
  if (!pp::current()) pp::thread_slot(true); // the rank's main thread: its code outside MPI is its own
  pp::set_rank(probe.rank);
  pp::set_call_names(call_names, call_count);
  pp::add_section(&write_section);
  pp::start();
  say("computing");
}

// Requests that completed leave the pending set (the library sets them to MPI_REQUEST_NULL).
void settle(int count, const MPI_Request* before, const MPI_Request* after) {
  for (int k = 0; k < count; ++k)
    if (before[k] != MPI_REQUEST_NULL && after[k] == MPI_REQUEST_NULL) probe.pending.erase(before[k]);
}

void started_request(const MPI_Request* request) {
  if (*request != MPI_REQUEST_NULL) probe.pending.insert(*request);
}

// The rank's main thread is registered before MPI starts: the library's start-up is MPI's time
// (and, for the trace, a call the rank is in).
pp::Usage starting(Id id, const void* from) {
  if (!pp::current()) pp::thread_slot(true);
  pp::set(pp::current(), pp::word(pp::waiting, pp::mpi, id, from));
  return pp::thread_usage();
}

} // namespace

extern "C" {

int MPI_Init(int* argc, char*** argv) {
  const pp::Usage before = starting(id_MPI_Init, CALLED_FROM);
  const int code = PMPI_Init(argc, argv);
  pp::add_usage(pp::current(), pp::in_mpi, before);
  pp::set(pp::current(), pp::word(pp::serial));
  started();
  ++probe.calls[id_MPI_Init];
  return code;
}

int MPI_Init_thread(int* argc, char*** argv, int required, int* provided) {
  const pp::Usage before = starting(id_MPI_Init_thread, CALLED_FROM);
  const int code = PMPI_Init_thread(argc, argv, required, provided);
  pp::add_usage(pp::current(), pp::in_mpi, before);
  pp::set(pp::current(), pp::word(pp::serial));
  started();
  ++probe.calls[id_MPI_Init_thread];
  return code;
}

int MPI_Finalize() {
  ++probe.calls[id_MPI_Finalize];
  probe.ended = now();
  pp::finish(); // the run ends here for the sampler: the evidence is written now
  say("finished");
  return PMPI_Finalize();
}

// --- point to point ------------------------------------------------------------------------------

int MPI_Send(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  const Call call(id_MPI_Send, CALLED_FROM, describe("MPI_Send", dest, "to", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Send(buf, count, type, dest, tag, comm);
}

int MPI_Ssend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  const Call call(id_MPI_Ssend, CALLED_FROM, describe("MPI_Ssend", dest, "to", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Ssend(buf, count, type, dest, tag, comm);
}

int MPI_Bsend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  const Call call(id_MPI_Bsend, CALLED_FROM, describe("MPI_Bsend", dest, "to", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Bsend(buf, count, type, dest, tag, comm);
}

int MPI_Rsend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  const Call call(id_MPI_Rsend, CALLED_FROM, describe("MPI_Rsend", dest, "to", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Rsend(buf, count, type, dest, tag, comm);
}

int MPI_Isend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Isend, CALLED_FROM);
  probe.sent += bytes(count, type);
  const int code = PMPI_Isend(buf, count, type, dest, tag, comm, request);
  started_request(request);
  return code;
}

int MPI_Issend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Issend, CALLED_FROM);
  probe.sent += bytes(count, type);
  const int code = PMPI_Issend(buf, count, type, dest, tag, comm, request);
  started_request(request);
  return code;
}

int MPI_Recv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Status* status) {
  const Call call(id_MPI_Recv, CALLED_FROM, describe("MPI_Recv", source, "from", bytes(count, type)).c_str());
  MPI_Status own;
  const int code = PMPI_Recv(buf, count, type, source, tag, comm, status == MPI_STATUS_IGNORE ? &own : status);
  int got = 0;
  PMPI_Get_count(status == MPI_STATUS_IGNORE ? &own : status, type, &got);
  probe.received += bytes(got, type);
  return code;
}

int MPI_Irecv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Irecv, CALLED_FROM);
  probe.received += bytes(count, type); // what it may receive: the request's own size
  const int code = PMPI_Irecv(buf, count, type, source, tag, comm, request);
  started_request(request);
  return code;
}

int MPI_Sendrecv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag, void* recvbuf,
                 int recvcount, MPI_Datatype recvtype, int source, int recvtag, MPI_Comm comm, MPI_Status* status) {
  const Call call(id_MPI_Sendrecv, CALLED_FROM,
                  describe("MPI_Sendrecv", dest, "to", bytes(sendcount, sendtype)).c_str());
  probe.sent += bytes(sendcount, sendtype);
  probe.received += bytes(recvcount, recvtype);
  return PMPI_Sendrecv(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag, comm,
                       status);
}

int MPI_Sendrecv_replace(void* buf, int count, MPI_Datatype type, int dest, int sendtag, int source, int recvtag,
                         MPI_Comm comm, MPI_Status* status) {
  const Call call(id_MPI_Sendrecv_replace, CALLED_FROM,
                  describe("MPI_Sendrecv_replace", dest, "to", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  probe.received += bytes(count, type);
  return PMPI_Sendrecv_replace(buf, count, type, dest, sendtag, source, recvtag, comm, status);
}

int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status* status) {
  const Call call(id_MPI_Probe, CALLED_FROM, describe("MPI_Probe", source, "from", 0).c_str());
  return PMPI_Probe(source, tag, comm, status);
}

int MPI_Iprobe(int source, int tag, MPI_Comm comm, int* flag, MPI_Status* status) {
  const Call call(id_MPI_Iprobe, CALLED_FROM);
  return PMPI_Iprobe(source, tag, comm, flag, status);
}

int MPI_Mprobe(int source, int tag, MPI_Comm comm, MPI_Message* message, MPI_Status* status) {
  const Call call(id_MPI_Mprobe, CALLED_FROM, describe("MPI_Mprobe", source, "from", 0).c_str());
  return PMPI_Mprobe(source, tag, comm, message, status);
}

int MPI_Mrecv(void* buf, int count, MPI_Datatype type, MPI_Message* message, MPI_Status* status) {
  const Call call(id_MPI_Mrecv, CALLED_FROM, "in MPI_Mrecv");
  probe.received += bytes(count, type);
  return PMPI_Mrecv(buf, count, type, message, status);
}

// --- completion ----------------------------------------------------------------------------------

int MPI_Wait(MPI_Request* request, MPI_Status* status) {
  const Call call(id_MPI_Wait, CALLED_FROM, "in MPI_Wait");
  const MPI_Request before = *request;
  const int code = PMPI_Wait(request, status);
  settle(1, &before, request);
  return code;
}

int MPI_Waitall(int count, MPI_Request requests[], MPI_Status statuses[]) {
  const Call call(id_MPI_Waitall, CALLED_FROM, "in MPI_Waitall");
  const std::set<MPI_Request> mine(requests, requests + count);
  const int code = PMPI_Waitall(count, requests, statuses);
  for (MPI_Request r : mine) probe.pending.erase(r); // all of them completed
  return code;
}

int MPI_Waitany(int count, MPI_Request requests[], int* index, MPI_Status* status) {
  const Call call(id_MPI_Waitany, CALLED_FROM, "in MPI_Waitany");
  std::map<int, MPI_Request> before;
  for (int k = 0; k < count; ++k) before[k] = requests[k];
  const int code = PMPI_Waitany(count, requests, index, status);
  if (*index != MPI_UNDEFINED) probe.pending.erase(before[*index]);
  return code;
}

int MPI_Waitsome(int incount, MPI_Request requests[], int* outcount, int indices[], MPI_Status statuses[]) {
  const Call call(id_MPI_Waitsome, CALLED_FROM, "in MPI_Waitsome");
  std::map<int, MPI_Request> before;
  for (int k = 0; k < incount; ++k) before[k] = requests[k];
  const int code = PMPI_Waitsome(incount, requests, outcount, indices, statuses);
  for (int k = 0; *outcount != MPI_UNDEFINED && k < *outcount; ++k) probe.pending.erase(before[indices[k]]);
  return code;
}

int MPI_Test(MPI_Request* request, int* flag, MPI_Status* status) {
  const Call call(id_MPI_Test, CALLED_FROM);
  const MPI_Request before = *request;
  const int code = PMPI_Test(request, flag, status);
  settle(1, &before, request);
  return code;
}

int MPI_Testall(int count, MPI_Request requests[], int* flag, MPI_Status statuses[]) {
  const Call call(id_MPI_Testall, CALLED_FROM);
  const std::set<MPI_Request> mine(requests, requests + count);
  const int code = PMPI_Testall(count, requests, flag, statuses);
  if (*flag)
    for (MPI_Request r : mine) probe.pending.erase(r);
  return code;
}

int MPI_Testany(int count, MPI_Request requests[], int* index, int* flag, MPI_Status* status) {
  const Call call(id_MPI_Testany, CALLED_FROM);
  std::map<int, MPI_Request> before;
  for (int k = 0; k < count; ++k) before[k] = requests[k];
  const int code = PMPI_Testany(count, requests, index, flag, status);
  if (*flag && *index != MPI_UNDEFINED) probe.pending.erase(before[*index]);
  return code;
}

// --- collectives ---------------------------------------------------------------------------------

int MPI_Barrier(MPI_Comm comm) {
  const Call call(id_MPI_Barrier, CALLED_FROM, "in MPI_Barrier");
  return PMPI_Barrier(comm);
}

int MPI_Ibarrier(MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Ibarrier, CALLED_FROM);
  const int code = PMPI_Ibarrier(comm, request);
  started_request(request);
  return code;
}

int MPI_Bcast(void* buf, int count, MPI_Datatype type, int root, MPI_Comm comm) {
  const Call call(id_MPI_Bcast, CALLED_FROM, describe("MPI_Bcast", root, "root", bytes(count, type)).c_str());
  (probe.rank == root ? probe.sent : probe.received) += bytes(count, type);
  return PMPI_Bcast(buf, count, type, root, comm);
}

int MPI_Ibcast(void* buf, int count, MPI_Datatype type, int root, MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Ibcast, CALLED_FROM);
  (probe.rank == root ? probe.sent : probe.received) += bytes(count, type);
  const int code = PMPI_Ibcast(buf, count, type, root, comm, request);
  started_request(request);
  return code;
}

int MPI_Reduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, int root, MPI_Comm comm) {
  const Call call(id_MPI_Reduce, CALLED_FROM, describe("MPI_Reduce", root, "root", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Reduce(sendbuf, recvbuf, count, type, op, root, comm);
}

int MPI_Ireduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, int root, MPI_Comm comm,
                MPI_Request* request) {
  const Call call(id_MPI_Ireduce, CALLED_FROM);
  probe.sent += bytes(count, type);
  const int code = PMPI_Ireduce(sendbuf, recvbuf, count, type, op, root, comm, request);
  started_request(request);
  return code;
}

int MPI_Allreduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  const Call call(id_MPI_Allreduce, CALLED_FROM, describe("MPI_Allreduce", -1, "", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Allreduce(sendbuf, recvbuf, count, type, op, comm);
}

int MPI_Iallreduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm,
                   MPI_Request* request) {
  const Call call(id_MPI_Iallreduce, CALLED_FROM);
  probe.sent += bytes(count, type);
  const int code = PMPI_Iallreduce(sendbuf, recvbuf, count, type, op, comm, request);
  started_request(request);
  return code;
}

int MPI_Gather(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,
               MPI_Datatype recvtype, int root, MPI_Comm comm) {
  const Call call(id_MPI_Gather, CALLED_FROM, describe("MPI_Gather", root, "root", bytes(sendcount, sendtype)).c_str());
  probe.sent += bytes(sendcount, sendtype);
  return PMPI_Gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm);
}

int MPI_Gatherv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],
                const int displs[], MPI_Datatype recvtype, int root, MPI_Comm comm) {
  const Call call(id_MPI_Gatherv, CALLED_FROM,
                  describe("MPI_Gatherv", root, "root", bytes(sendcount, sendtype)).c_str());
  probe.sent += bytes(sendcount, sendtype);
  return PMPI_Gatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm);
}

int MPI_Igather(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,
                MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Igather, CALLED_FROM);
  probe.sent += bytes(sendcount, sendtype);
  const int code = PMPI_Igather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request);
  started_request(request);
  return code;
}

int MPI_Igatherv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],
                 const int displs[], MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request* request) {
  const Call call(id_MPI_Igatherv, CALLED_FROM);
  probe.sent += bytes(sendcount, sendtype);
  const int code =
      PMPI_Igatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm, request);
  started_request(request);
  return code;
}

int MPI_Scatter(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,
                MPI_Datatype recvtype, int root, MPI_Comm comm) {
  const Call call(id_MPI_Scatter, CALLED_FROM,
                  describe("MPI_Scatter", root, "root", bytes(recvcount, recvtype)).c_str());
  probe.received += bytes(recvcount, recvtype);
  return PMPI_Scatter(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm);
}

int MPI_Scatterv(const void* sendbuf, const int sendcounts[], const int displs[], MPI_Datatype sendtype, void* recvbuf,
                 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm) {
  const Call call(id_MPI_Scatterv, CALLED_FROM,
                  describe("MPI_Scatterv", root, "root", bytes(recvcount, recvtype)).c_str());
  probe.received += bytes(recvcount, recvtype);
  return PMPI_Scatterv(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm);
}

int MPI_Allgather(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,
                  MPI_Datatype recvtype, MPI_Comm comm) {
  const Call call(id_MPI_Allgather, CALLED_FROM,
                  describe("MPI_Allgather", -1, "", bytes(sendcount, sendtype)).c_str());
  probe.sent += bytes(sendcount, sendtype);
  return PMPI_Allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
}

int MPI_Allgatherv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],
                   const int displs[], MPI_Datatype recvtype, MPI_Comm comm) {
  const Call call(id_MPI_Allgatherv, CALLED_FROM,
                  describe("MPI_Allgatherv", -1, "", bytes(sendcount, sendtype)).c_str());
  probe.sent += bytes(sendcount, sendtype);
  return PMPI_Allgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm);
}

int MPI_Alltoall(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,
                 MPI_Datatype recvtype, MPI_Comm comm) {
  const Call call(id_MPI_Alltoall, CALLED_FROM, describe("MPI_Alltoall", -1, "", bytes(sendcount, sendtype)).c_str());
  probe.sent += bytes(sendcount, sendtype) * probe.size;
  return PMPI_Alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
}

int MPI_Alltoallv(const void* sendbuf, const int sendcounts[], const int sdispls[], MPI_Datatype sendtype,
                  void* recvbuf, const int recvcounts[], const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm) {
  const Call call(id_MPI_Alltoallv, CALLED_FROM, "in MPI_Alltoallv");
  return PMPI_Alltoallv(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm);
}

int MPI_Scan(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  const Call call(id_MPI_Scan, CALLED_FROM, describe("MPI_Scan", -1, "", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Scan(sendbuf, recvbuf, count, type, op, comm);
}

int MPI_Exscan(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  const Call call(id_MPI_Exscan, CALLED_FROM, describe("MPI_Exscan", -1, "", bytes(count, type)).c_str());
  probe.sent += bytes(count, type);
  return PMPI_Exscan(sendbuf, recvbuf, count, type, op, comm);
}

int MPI_Reduce_scatter_block(const void* sendbuf, void* recvbuf, int recvcount, MPI_Datatype type, MPI_Op op,
                             MPI_Comm comm) {
  const Call call(id_MPI_Reduce_scatter_block, CALLED_FROM, "in MPI_Reduce_scatter_block");
  probe.sent += bytes(recvcount, type) * probe.size;
  return PMPI_Reduce_scatter_block(sendbuf, recvbuf, recvcount, type, op, comm);
}

int MPI_Comm_split(MPI_Comm comm, int color, int key, MPI_Comm* newcomm) {
  const Call call(id_MPI_Comm_split, CALLED_FROM, "in MPI_Comm_split");
  return PMPI_Comm_split(comm, color, key, newcomm);
}

int MPI_Comm_dup(MPI_Comm comm, MPI_Comm* newcomm) {
  const Call call(id_MPI_Comm_dup, CALLED_FROM, "in MPI_Comm_dup");
  return PMPI_Comm_dup(comm, newcomm);
}

// --- one-sided -----------------------------------------------------------------------------------

int MPI_Win_create(void* base, MPI_Aint size, int unit, MPI_Info info, MPI_Comm comm, MPI_Win* win) {
  const Call call(id_MPI_Win_create, CALLED_FROM, "in MPI_Win_create");
  return PMPI_Win_create(base, size, unit, info, comm, win);
}

int MPI_Win_allocate(MPI_Aint size, int unit, MPI_Info info, MPI_Comm comm, void* base, MPI_Win* win) {
  const Call call(id_MPI_Win_allocate, CALLED_FROM, "in MPI_Win_allocate");
  return PMPI_Win_allocate(size, unit, info, comm, base, win);
}

int MPI_Win_free(MPI_Win* win) {
  const Call call(id_MPI_Win_free, CALLED_FROM, "in MPI_Win_free");
  return PMPI_Win_free(win);
}

int MPI_Win_fence(int assertion, MPI_Win win) {
  const Call call(id_MPI_Win_fence, CALLED_FROM, "in MPI_Win_fence");
  return PMPI_Win_fence(assertion, win);
}

int MPI_Win_lock(int type, int rank, int assertion, MPI_Win win) {
  const Call call(id_MPI_Win_lock, CALLED_FROM, describe("MPI_Win_lock", rank, "target", 0).c_str());
  return PMPI_Win_lock(type, rank, assertion, win);
}

int MPI_Win_unlock(int rank, MPI_Win win) {
  const Call call(id_MPI_Win_unlock, CALLED_FROM, describe("MPI_Win_unlock", rank, "target", 0).c_str());
  return PMPI_Win_unlock(rank, win);
}

int MPI_Win_lock_all(int assertion, MPI_Win win) {
  const Call call(id_MPI_Win_lock_all, CALLED_FROM, "in MPI_Win_lock_all");
  return PMPI_Win_lock_all(assertion, win);
}

int MPI_Win_unlock_all(MPI_Win win) {
  const Call call(id_MPI_Win_unlock_all, CALLED_FROM, "in MPI_Win_unlock_all");
  return PMPI_Win_unlock_all(win);
}

int MPI_Win_flush(int rank, MPI_Win win) {
  const Call call(id_MPI_Win_flush, CALLED_FROM, describe("MPI_Win_flush", rank, "target", 0).c_str());
  return PMPI_Win_flush(rank, win);
}

int MPI_Win_flush_all(MPI_Win win) {
  const Call call(id_MPI_Win_flush_all, CALLED_FROM, "in MPI_Win_flush_all");
  return PMPI_Win_flush_all(win);
}

int MPI_Put(const void* origin, int origin_count, MPI_Datatype origin_type, int target, MPI_Aint displacement,
            int target_count, MPI_Datatype target_type, MPI_Win win) {
  const Call call(id_MPI_Put, CALLED_FROM);
  probe.sent += bytes(origin_count, origin_type);
  return PMPI_Put(origin, origin_count, origin_type, target, displacement, target_count, target_type, win);
}

int MPI_Get(void* origin, int origin_count, MPI_Datatype origin_type, int target, MPI_Aint displacement,
            int target_count, MPI_Datatype target_type, MPI_Win win) {
  const Call call(id_MPI_Get, CALLED_FROM);
  probe.received += bytes(origin_count, origin_type);
  return PMPI_Get(origin, origin_count, origin_type, target, displacement, target_count, target_type, win);
}

int MPI_Accumulate(const void* origin, int origin_count, MPI_Datatype origin_type, int target, MPI_Aint displacement,
                   int target_count, MPI_Datatype target_type, MPI_Op op, MPI_Win win) {
  const Call call(id_MPI_Accumulate, CALLED_FROM);
  probe.sent += bytes(origin_count, origin_type);
  return PMPI_Accumulate(origin, origin_count, origin_type, target, displacement, target_count, target_type, op, win);
}

int MPI_Get_accumulate(const void* origin, int origin_count, MPI_Datatype origin_type, void* result, int result_count,
                       MPI_Datatype result_type, int target, MPI_Aint displacement, int target_count,
                       MPI_Datatype target_type, MPI_Op op, MPI_Win win) {
  const Call call(id_MPI_Get_accumulate, CALLED_FROM);
  probe.sent += bytes(origin_count, origin_type);
  probe.received += bytes(result_count, result_type);
  return PMPI_Get_accumulate(origin, origin_count, origin_type, result, result_count, result_type, target, displacement,
                             target_count, target_type, op, win);
}

int MPI_Fetch_and_op(const void* origin, void* result, MPI_Datatype type, int target, MPI_Aint displacement, MPI_Op op,
                     MPI_Win win) {
  const Call call(id_MPI_Fetch_and_op, CALLED_FROM);
  probe.sent += bytes(1, type);
  probe.received += bytes(1, type);
  return PMPI_Fetch_and_op(origin, result, type, target, displacement, op, win);
}

int MPI_Compare_and_swap(const void* origin, const void* compare, void* result, MPI_Datatype type, int target,
                         MPI_Aint displacement, MPI_Win win) {
  const Call call(id_MPI_Compare_and_swap, CALLED_FROM);
  probe.sent += bytes(1, type);
  probe.received += bytes(1, type);
  return PMPI_Compare_and_swap(origin, compare, result, type, target, displacement, win);
}

} // extern "C"
