# Protocol.capnp - What the processes of a Mars cluster say to each other.
#
# Three kinds of process, each listening on one TCP port whose bootstrap
# interface is a gate: every call through it carries the cluster token and
# is refused without it.
#
#   client (mars-run --cluster)  --submit-->   scheduler (SchedulerGate)
#   worker (mars-worker)         --join---->   every scheduler
#   scheduler                    --run/free->  worker (Worker, handed over at join)
#   scheduler                    --hello--->   every other scheduler
#   worker, client               --fetch--->   worker (PeerGate): chunk bytes,
#                                              peer to peer, streamed
#
# Several schedulers share the workers; each job belongs to one, placed on
# a consistent-hash ring of the schedulers (Ring.h). A job's owner can
# change (takeover, when its scheduler is lost): every call about a job to
# a worker carries the job's epoch, which each takeover raises, and a
# worker refuses calls of an older epoch than it has seen (fencing), so a
# scheduler that was cut off and comes back cannot act on a job it lost.
#
# Every job is the tiled (and fused) program as MLIR text: the scheduler and
# every worker enumerate the same task graph from it (TaskGraph.h), so tasks
# and objects (chunks, reduction partials) travel as numbers.

@0xfcdcbc69086213f8;

$import "/capnp/c++.capnp".namespace("mars::rpc");

struct Array {
  dtype @0 :UInt8;          # numeric::DType
  shape @1 :List(Int64);
  data @2 :Data;            # C order, little-endian; CSR: indptr, indices,
                            # values (numeric::Format)
  format @3 :UInt8;         # numeric::Format
}

struct ArrayMeta {
  dtype @0 :UInt8;
  shape @1 :List(Int64);
  absent @2 :Bool;          # a partial's aux that holds nothing
  format @3 :UInt8;         # numeric::Format
  nnz @4 :Int64;            # CSR: elements stored
}

# One object of a job: a chunk (one array) or a reduction's partials (the
# value and aux of each, one per result of a multi-output group, and the
# element count they share).
struct ObjectMeta {
  arrays @0 :List(ArrayMeta);
  count @1 :Int64;
}

struct JobSpec {
  program @0 :Text;         # tiled/fused MLIR, with locations
  entry @1 :Text;
  compiled @2 :Bool;        # compiled kernels and OpenBLAS, or reference kernels
  fanIn @3 :UInt32;
  args @4 :List(Array);     # bound to the entry's arguments
  saveFiles @5 :List(Text); # per mars.save in program order: the file the
                            # client created, that workers write boxes into
  trace @6 :Bool;           # workers time every task for the client's trace
  libm @7 :Text;            # dist::libmName() of the client (its constant
                            # folder computes small values)
}

# When and where one task ran, for a traced job (JobSpec.trace). Times are
# wall-clock microseconds since the Unix epoch (the one clock the processes
# of a cluster share).
struct TaskTrace {
  task @0 :UInt32;
  received @1 :Int64;       # the worker got the task; input fetches start
  fetched @2 :Int64;        # every input fetched
  started @3 :Int64;        # computing starts (after waiting for memory)
  ended @4 :Int64;
  thread @5 :UInt32;        # the worker's pool thread that computed it
  fetchedBytes @6 :UInt64;
  # Filled by the scheduler:
  worker @7 :UInt32;
  op @8 :UInt32;            # index into JobResults.traceOps
  kind @9 :UInt8;           # a TaskKind (taskKindName)
  chunk @10 :Int64;
  # A task that did not run (its inputs were lost) has started = ended = 0:
  # only its fetch is drawn.
}

# Where an object of a job can be fetched from.
struct Location {
  object @0 :UInt32;
  address @1 :Text;         # host:port of the worker's PeerGate
}

struct RunResult {
  union {
    ok @0 :Void;
    inputLost @1 :Text;     # an input could not be fetched: not the task's fault
    failed @2 :Text;        # the task failed: the job fails with this message
  }
  bytes @3 :UInt64;         # the output's size
  fetchedBytes @4 :UInt64;  # input bytes fetched from peers for it
  spilledBytes @5 :UInt64;  # the job's bytes this worker spilled since its
                            # last reply
  trace @6 :TaskTrace;      # a traced job's task: when it ran
}

# One task to run (Worker.run): its inputs' holders and the bytes to
# reserve for its output; `attempt` comes back with its outcome.
struct TaskRun {
  task @0 :UInt32;
  attempt @1 :UInt32;
  inputs @2 :List(Location);
  reserve @3 :UInt64;
}

struct TaskDone {
  job @0 :UInt64;
  epoch @1 :UInt32;
  task @2 :UInt32;
  attempt @3 :UInt32;
  result @4 :RunResult;
}

# Where a worker reports tasks as they finish: the outcomes of one turn of
# its event loop travel in one message.
interface TaskSink {
  done @0 (tasks :List(TaskDone));
}

interface ObjectSink {
  begin @0 (meta :ObjectMeta);
  write @1 (data :Data) -> stream;
  done @2 ();
}

interface PeerGate {
  # Objects up to 256 KiB come back in the reply (`inline`, arrays back to
  # back); larger ones are streamed into `sink`.
  fetch @0 (token :Text, job :UInt64, object :UInt32, sink :ObjectSink)
      -> (inline :Bool, meta :ObjectMeta, data :Data);
}

interface Worker {
  # `schedulers`: every scheduler the pinging one knows (the worker joins
  # those it has not joined).
  ping @0 (schedulers :List(Text)) -> (bytesInMemory :UInt64,
                                       bytesSpilled :UInt64);
  # error: "" when opened. A job the worker already holds (an earlier
  # epoch's owner opened it) is kept: `held` lists its objects on this
  # worker and `saved` the save tasks (no output object) it ran.
  open @1 (job :UInt64, spec :JobSpec, epoch :UInt32)
      -> (error :Text, held :List(UInt32), saved :List(UInt32));
  # Runs `tasks` of `job` (those the scheduler started in one turn of its
  # event loop: one message), reporting each to `sink` as it finishes;
  # answers once every one has.
  run @2 (job :UInt64, epoch :UInt32, tasks :List(TaskRun), sink :TaskSink);
  free @3 (job :UInt64, objects :List(UInt32), epoch :UInt32);
  close @4 (job :UInt64, epoch :UInt32);
  # A scheduler takes the job over at `epoch`: from now on the worker
  # refuses calls about it of an older epoch.
  claim @5 (job :UInt64, epoch :UInt32);
}

struct Progress {
  tasksDone @0 :UInt64;
  tasksTotal @1 :UInt64;
  workers @2 :UInt32;
  bytesInMemory @3 :UInt64;  # over all workers, as of their last heartbeat
  bytesSpilled @4 :UInt64;
}

interface JobListener {
  progress @0 (progress :Progress);
}

struct JobStats {
  tasks @0 :UInt64;          # tasks run, recomputations included
  recomputed @1 :UInt64;     # tasks run again after a worker was lost
  workersLost @2 :UInt32;
  workers @3 :UInt32;        # workers that ran tasks
  bytesFetched @4 :UInt64;   # bytes moved between workers
  tasksPerWorker @5 :List(UInt64);
  bytesSpilled @6 :UInt64;   # written to workers' spill files
}

struct JobResults {
  union {
    ok @0 :List(List(Location));   # per returned value, its chunks in order
    failed @1 :Text;
  }
  stats @2 :JobStats;
  job @3 :UInt64;                  # the job's number, for fetching from workers
  trace @4 :List(TaskTrace);       # a traced job: its tasks, in order, up to
                                   # kMaxTracedTasks (a reply's size is bounded)
  traceOps @5 :List(Text);         # the ops' names in traces (traceName)
  traceDropped @6 :UInt64;         # tasks past that limit, not in `trace`
}

interface Job {
  wait @0 () -> (results :JobResults);
  # The client could not fetch these result chunks from the workers `wait`
  # named. The scheduler checks those workers; chunks that died with one are
  # computed again. Answers like `wait` once every result is held again.
  retry @1 (objects :List(UInt32)) -> (results :JobResults);
}

interface SchedulerGate {
  join @0 (token :Text, address :Text, threads :UInt32, memoryLimit :UInt64,
           worker :Worker, instance :UInt64, linked :List(UInt64),
           libm :Text)
      -> (id :UInt32, heartbeatMillis :UInt64, deadAfterMillis :UInt64,
          schedulers :List(Text), instance :UInt64);
  # The scheduler pings a worker every heartbeatMillis and declares it lost
  # when a ping goes unanswered for deadAfterMillis; a worker that hears no
  # ping from any scheduler for longer than both (it was stopped, or cut
  # off) knows it has been declared lost, its work recomputed elsewhere, and
  # exits. `schedulers`: every scheduler of the cluster this one knows.
  # `instance` (params): a random number naming the worker process;
  # `linked`: the instances of the schedulers it is joined to now;
  # `instance` (results): the scheduler's. A worker joined already that
  # joins again is refused (kJoinedAlready) when it is still linked to this
  # scheduler (it dialled another address of it, such as localhost and
  # 127.0.0.1); otherwise its old registration is stale (it hung up on
  # this scheduler while it was silent) and is declared lost.
  # `libm` (and JobSpec.libm): how the process computes libm functions
  # (dist::libmName); a worker or a job that computes them otherwise than
  # the scheduler is refused, as its elements would differ by ulps.

  # Job `id` (chosen by the client) at `epoch` (1, raised by each takeover).
  # A scheduler that does not own the job on the ring (leaving out the
  # schedulers in `exclude`, which the client found dead) answers with
  # `redirect`, the owner's address, and no job. `deadAfterMillis`: the
  # client takes the scheduler for lost when no progress comes for that
  # long.
  submit @1 (token :Text, spec :JobSpec, listener :JobListener, id :UInt64,
             epoch :UInt32, exclude :List(Text))
      -> (job :Job, redirect :Text, schedulers :List(Text),
          deadAfterMillis :UInt64);

  # Schedulers greet each other every heartbeat, exchanging the members
  # they know: a scheduler joins the ring through any member.
  # `instance`: a random number naming the answering scheduler process, so
  # that two addresses of one process are known as one.
  hello @2 (token :Text, address :Text, schedulers :List(Text))
      -> (schedulers :List(Text), instance :UInt64);
}
