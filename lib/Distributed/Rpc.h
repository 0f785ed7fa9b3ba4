//===- Rpc.h - Connections, tokens and arrays on the wire -------*- C++ -*-===//
//
// What the scheduler, the workers and the client share: a two-party Cap'n
// Proto connection with the cluster's message limits, the token check of
// every gate, and arrays to and from messages (checked: a message is
// untrusted input).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_DISTRIBUTED_RPC_H
#define MARS_LIB_DISTRIBUTED_RPC_H

#include "Protocol.capnp.h"

#include "mars/Distributed/Cluster.h"
#include "mars/Distributed/TaskGraph.h"
#include "mars/Numeric/NDArray.h"

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/compat/tls.h>

#include <functional>
#include <memory>
#include <string>

namespace mars::dist {

/// Limits on every message received: 64 MiB and a nesting depth of 64.
/// Chunk data travels in ObjectSink.write calls of kPieceBytes.
capnp::ReaderOptions readerOptions();
constexpr size_t kPieceBytes = size_t(1) << 20;
/// Most bytes of arguments a job may carry (they travel in one message).
constexpr uint64_t kMaxArgumentBytes = uint64_t(48) << 20;

/// One two-party connection: the client side (bootstrap() gives the peer's
/// gate) or the server side (serving `gate`).
class Connection {
public:
  explicit Connection(kj::Own<kj::AsyncIoStream> stream);
  Connection(kj::Own<kj::AsyncIoStream> stream, capnp::Capability::Client gate);

  template <typename T>
  typename T::Client bootstrap() {
    capnp::MallocMessageBuilder message(16);
    auto vat = message.getRoot<capnp::rpc::twoparty::VatId>();
    vat.setSide(capnp::rpc::twoparty::Side::SERVER);
    return rpc.bootstrap(vat).template castAs<T>();
  }
  kj::Promise<void> onDisconnect() { return network.onDisconnect(); }
  /// Ends the connection from this side (the peer sees it closed), for a
  /// peer that stopped answering.
  void hangUp() {
    stream->shutdownWrite();
    stream->abortRead();
  }

private:
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
};

/// The TLS context of a process of the cluster (TlsFiles): made once from
/// the files, then used for every connection.
class Tls {
public:
  /// The context for `files` (resolved: see resolveTlsFiles), or null when
  /// they name none (plain TCP). `serving`: the process accepts
  /// connections, so a certificate and key are required. Errors name the
  /// file and what is wrong with it.
  static llvm::Expected<std::unique_ptr<Tls>>
  create(const TlsFiles &files, bool serving, kj::Timer &timer);

  /// An accepted `stream` after its server-side handshake, which must
  /// finish within 10 seconds.
  kj::Promise<kj::Own<kj::AsyncIoStream>>
  accept(kj::Own<kj::AsyncIoStream> stream);
  /// `stream` to `address` ("host:port") as a TLS client checking the
  /// server's certificate for `host`.
  kj::Promise<kj::Own<kj::AsyncIoStream>>
  connect(kj::Own<kj::AsyncIoStream> stream, const std::string &address);

private:
  explicit Tls(kj::Timer &timer) : timer(timer) {}
  kj::Timer &timer;
  std::vector<kj::TlsCertificate> trusted;
  kj::Maybe<kj::TlsKeypair> keypair;
  kj::Own<kj::TlsContext> context;
};

/// Listens on `address`.
kj::Promise<kj::Own<kj::ConnectionReceiver>>
listenOn(kj::Network &network, const std::string &address);
/// Connects to `address` ("host:port"), through `tls` when it is set.
kj::Promise<kj::Own<kj::AsyncIoStream>>
connectTo(kj::Network &network, const std::string &address, Tls *tls);

/// Accepts connections on `listener` until it fails, handing each to
/// `handle`, after its TLS handshake when `tls` is set. Each handshake is
/// a task of `tasks` of its own: a peer that fails it, or stays silent,
/// holds up no other connection, and its error goes to the tasks' handler.
kj::Promise<void>
acceptLoop(kj::ConnectionReceiver &listener, Tls *tls, kj::TaskSet &tasks,
           std::function<void(kj::Own<kj::AsyncIoStream>)> handle);

/// Accepts connections on `listener` forever (acceptLoop), each served by
/// `gate`; errors on a connection (garbled bytes, a refused call, a failed
/// handshake) are logged and drop that connection only.
kj::Promise<void> serve(kj::ConnectionReceiver &listener,
                        capnp::Capability::Client gate, kj::TaskSet &tasks,
                        Tls *tls);

/// A TaskSet error handler that logs and carries on.
class LogErrors : public kj::TaskSet::ErrorHandler {
public:
  explicit LogErrors(std::string who) : who(std::move(who)) {}
  void taskFailed(kj::Exception &&exception) override;

private:
  std::string who;
};

/// How this process computes libm functions (mars/Numeric/Libm.h): every
/// process of a cluster must agree, or the same op would give elements an
/// ulp apart depending on where it ran.
std::string libmName();
/// Throws (failing the RPC call, with `who`'s message on stderr) unless
/// `given` (a `peer`'s libmName) is this process's.
void checkLibm(kj::StringPtr given, const char *who, const char *peer);

/// Whether `given` is the cluster token (compared in constant time).
bool tokenMatches(const std::string &token, llvm::StringRef given);
/// Throws (failing the RPC call) unless `given` is the cluster token.
void checkToken(const std::string &token, kj::StringPtr given,
                const char *who);

/// The cluster token: `flag`, else $MARS_CLUSTER_TOKEN, else the first line
/// of `file` (or of $MARS_CLUSTER_TOKEN_FILE).
llvm::Expected<std::string> resolveToken(const std::string &flag,
                                         const std::string &file);

/// Host and port of a bound listener, e.g. "127.0.0.1:7077".
std::string boundAddress(const std::string &listen, uint port);

void toArray(const numeric::NDArray &array, rpc::Array::Builder out);
llvm::Expected<numeric::NDArray> fromArray(rpc::Array::Reader in);
/// The dtype and shape of a message, checked (a known dtype, sizes >= 0,
/// a product that fits in memory).
llvm::Expected<std::pair<numeric::DType, numeric::Shape>>
checkedMeta(uint8_t dtype, capnp::List<int64_t>::Reader shape);

/// The arrays an object's data is made of (a chunk: 1; a partial: value and
/// aux), in the order they travel.
std::vector<const numeric::NDArray *> arraysOf(const ObjectData &data);
/// Whether `array` is default-constructed (holds nothing, not even a
/// scalar): sent and spilled as absent.
bool isAbsent(const numeric::NDArray &array);

/// A fetched object arriving in pieces (streamed), or whole (inline).
class ObjectReceiver final : public rpc::ObjectSink::Server {
public:
  /// `maxBytes`: the most the object may hold (its graph entry's size).
  explicit ObjectReceiver(uint64_t maxBytes) : maxBytes(maxBytes) {}
  kj::Promise<void> begin(BeginContext context) override;
  kj::Promise<void> write(WriteContext context) override;
  kj::Promise<void> done(DoneContext context) override;

  /// The same steps for an object that came inline; they throw (failing
  /// the call) on a malformed transfer.
  void start(rpc::ObjectMeta::Reader meta);
  void append(kj::ArrayPtr<const kj::byte> data);
  void finish();

  /// The object, once finish() saw every byte.
  llvm::Expected<std::shared_ptr<ObjectData>> take();

private:
  uint64_t maxBytes;
  std::vector<numeric::NDArray> arrays;
  int64_t count = 0;
  size_t current = 0, offset = 0;
  bool began = false, finished = false;
};

/// Objects this small travel inline in the fetch reply.
constexpr uint64_t kInlineBytes = uint64_t(256) << 10;

/// Fills the reply of a fetch: inline when small, else streams `data` into
/// `sink` (begin, ~1 MiB writes, done).
kj::Promise<void> serveObject(rpc::PeerGate::FetchResults::Builder reply,
                              rpc::ObjectSink::Client sink,
                              std::shared_ptr<const ObjectData> data);

/// Fetches `object` of `job` from `gate`; checks that a chunk object
/// (`isChunk`) has exactly `bytes` bytes and a partial at most that.
kj::Promise<std::shared_ptr<ObjectData>>
fetchObject(rpc::PeerGate::Client gate, const std::string &token,
            uint64_t job, uint32_t object, uint64_t bytes, bool isChunk);

std::string describe(const kj::Exception &e);

/// Destroys `connection` (when set) once this turn of the event loop is
/// over: a connection must not be destroyed inside one of its own events,
/// e.g. when the peer drops a capability it was given.
void closeLater(kj::TaskSet &tasks, kj::Own<Connection> &connection);

/// A random 64-bit number (never 0): names a process or a job.
uint64_t randomId();

/// In the message of a call a worker refuses because the job's epoch is
/// older than one it has seen: another scheduler took the job over.
constexpr const char *kTakenOver = "was taken over by another scheduler";
/// In the refusal of a worker's join: the process joined this scheduler
/// already, under another address.
constexpr const char *kJoinedAlready =
    "this worker joined already, under another address";

/// loadProgram()'s outcome, handed from a thread back to the event loop.
struct LoadedProgram {
  std::shared_ptr<JobProgram> program;
  std::string error;
};

/// The `--arg` arrays of a job, checked.
llvm::Expected<std::vector<numeric::NDArray>>
argumentsOf(rpc::JobSpec::Reader spec);

} // namespace mars::dist

#endif // MARS_LIB_DISTRIBUTED_RPC_H
