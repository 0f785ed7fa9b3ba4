//===- Rpc.cpp - Connections, tokens and arrays on the wire ---------------===//

#include "Rpc.h"

#include "mars/Numeric/Libm.h"
#include "mars/Numeric/Sparse.h"

#include "mars/Distributed/Cluster.h"
#include "mars/Support/Error.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <random>

using namespace mars;
using namespace mars::dist;
using numeric::DType;
using numeric::NDArray;

capnp::ReaderOptions mars::dist::readerOptions() {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = uint64_t(8) << 20; // 64 MiB
  options.nestingLimit = 64;
  return options;
}

Connection::Connection(kj::Own<kj::AsyncIoStream> s)
    : stream(kj::mv(s)),
      network(*stream, capnp::rpc::twoparty::Side::CLIENT, readerOptions()),
      rpc(capnp::makeRpcClient(network)) {}

Connection::Connection(kj::Own<kj::AsyncIoStream> s,
                       capnp::Capability::Client gate)
    : stream(kj::mv(s)),
      network(*stream, capnp::rpc::twoparty::Side::SERVER, readerOptions()),
      rpc(capnp::makeRpcServer(network, kj::mv(gate))) {}

void mars::dist::closeLater(kj::TaskSet &tasks,
                            kj::Own<Connection> &connection) {
  if (connection)
    tasks.add(kj::evalLater([dead = kj::mv(connection)]() mutable {
      dead = nullptr;
    }));
}

uint64_t mars::dist::randomId() {
  std::random_device random;
  uint64_t id = 0;
  while (id == 0)
    id = (uint64_t(random()) << 32) ^ random();
  return id;
}

TlsFiles mars::dist::resolveTlsFiles(const TlsFiles &flags) {
  auto env = [](const char *name, const std::string &flag) {
    if (!flag.empty())
      return flag;
    const char *v = std::getenv(name);
    return std::string(v ? v : "");
  };
  return {env("MARS_TLS_CERT", flags.cert), env("MARS_TLS_KEY", flags.key),
          env("MARS_TLS_CA", flags.ca)};
}

llvm::Expected<std::unique_ptr<Tls>>
Tls::create(const TlsFiles &files, bool serving, kj::Timer &timer) {
  if (!files.enabled())
    return nullptr;
  if (serving && (files.cert.empty() || files.key.empty()))
    return makeError("TLS needs a certificate and its key here "
                     "(--tls-cert and --tls-key): this process accepts "
                     "connections");
  if (files.cert.empty() != files.key.empty())
    return makeError("--tls-cert and --tls-key go together");
  auto read = [](const std::string &path) -> llvm::Expected<std::string> {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buffer)
      return makeError("cannot read '" + path +
                       "': " + buffer.getError().message());
    return (*buffer)->getBuffer().str();
  };
  std::unique_ptr<Tls> tls(new Tls(timer));
  // What is trusted: the CA file, else the (self-signed) certificate. Each
  // file is read, then parsed with `what` naming it.
  const std::string &anchor = files.ca.empty() ? files.cert : files.ca;
  std::string what;
  try {
    auto pem = read(anchor);
    if (!pem)
      return pem.takeError();
    what = anchor;
    tls->trusted.emplace_back(kj::StringPtr(pem->c_str()));
    if (!files.cert.empty()) {
      auto cert = read(files.cert);
      if (!cert)
        return cert.takeError();
      auto key = read(files.key);
      if (!key)
        return key.takeError();
      what = files.cert;
      kj::TlsCertificate certificate(cert->c_str());
      what = files.key;
      kj::TlsPrivateKey privateKey(key->c_str());
      tls->keypair =
          kj::TlsKeypair{kj::mv(privateKey), kj::mv(certificate)};
    }
    kj::TlsContext::Options options;
    options.useSystemTrustStore = false;
    options.trustedCertificates =
        kj::ArrayPtr<const kj::TlsCertificate>(tls->trusted.data(),
                                               tls->trusted.size());
    KJ_IF_MAYBE (pair, tls->keypair)
      options.defaultKeypair = *pair;
    what = "the TLS settings";
    tls->context = kj::heap<kj::TlsContext>(kj::mv(options));
  } catch (kj::Exception &e) {
    return makeError("TLS: '" + what + "': " + describe(e));
  }
  return std::move(tls);
}

kj::Promise<kj::Own<kj::AsyncIoStream>>
Tls::accept(kj::Own<kj::AsyncIoStream> stream) {
  return timer.timeoutAfter(10 * kj::SECONDS,
                            context->wrapServer(kj::mv(stream)));
}

kj::Promise<kj::Own<kj::AsyncIoStream>>
Tls::connect(kj::Own<kj::AsyncIoStream> stream, const std::string &address) {
  // The host the certificate must name: the address less its port (and
  // an IPv6 address's brackets).
  llvm::StringRef host = llvm::StringRef(address).rsplit(':').first;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.drop_front().drop_back();
  auto name = kj::heapString(host.data(), host.size());
  auto wrapped = context->wrapClient(kj::mv(stream), name);
  return wrapped.attach(kj::mv(name));
}

kj::Promise<kj::Own<kj::ConnectionReceiver>>
mars::dist::listenOn(kj::Network &network, const std::string &address) {
  return network.parseAddress(address).then(
      [](kj::Own<kj::NetworkAddress> a) { return a->listen(); });
}

kj::Promise<kj::Own<kj::AsyncIoStream>>
mars::dist::connectTo(kj::Network &network, const std::string &address,
                      Tls *tls) {
  return network.parseAddress(address)
      .then([](kj::Own<kj::NetworkAddress> a) { return a->connect(); })
      .then([tls, address](kj::Own<kj::AsyncIoStream> stream)
                -> kj::Promise<kj::Own<kj::AsyncIoStream>> {
        if (!tls)
          return kj::mv(stream);
        return tls->connect(kj::mv(stream), address);
      });
}

kj::Promise<void>
mars::dist::acceptLoop(kj::ConnectionReceiver &listener, Tls *tls,
                       kj::TaskSet &tasks,
                       std::function<void(kj::Own<kj::AsyncIoStream>)> handle) {
  return listener.accept().then(
      [&listener, tls, &tasks,
       handle = std::move(handle)](kj::Own<kj::AsyncIoStream> stream) mutable {
        if (tls)
          tasks.add(tls->accept(kj::mv(stream))
                        .then([handle](kj::Own<kj::AsyncIoStream> secure) {
                          handle(kj::mv(secure));
                        }));
        else
          handle(kj::mv(stream));
        return acceptLoop(listener, tls, tasks, std::move(handle));
      });
}

kj::Promise<void> mars::dist::serve(kj::ConnectionReceiver &listener,
                                    capnp::Capability::Client gate,
                                    kj::TaskSet &tasks, Tls *tls) {
  // std::function copies its target: the gate is shared.
  auto shared = std::make_shared<capnp::Capability::Client>(kj::mv(gate));
  return acceptLoop(
      listener, tls, tasks,
      [shared, &tasks](kj::Own<kj::AsyncIoStream> stream) {
        auto connection = kj::heap<Connection>(kj::mv(stream), *shared);
        auto closed = connection->onDisconnect();
        tasks.add(closed.attach(kj::mv(connection)));
      });
}

std::string mars::dist::describe(const kj::Exception &e) {
  llvm::StringRef d(e.getDescription().cStr());
  d.consume_front("remote exception: ");
  // KJ_REQUIRE failures read "expected <condition>; <message>".
  if (d.starts_with("expected ") && d.contains("; "))
    d = d.split("; ").second;
  return d.str();
}

void LogErrors::taskFailed(kj::Exception &&exception) {
  // A peer that went away is routine; anything else is worth a line.
  if (exception.getType() == kj::Exception::Type::DISCONNECTED)
    return;
  llvm::errs() << who << ": connection dropped: " << describe(exception)
               << "\n";
}

std::string mars::dist::libmName() {
  return numeric::libm::vectorForms()
             ? "glibc's vector math functions (libmvec, AVX2)"
             : "the C library's scalar functions";
}

void mars::dist::checkLibm(kj::StringPtr given, const char *who,
                           const char *peer) {
  const std::string mine = libmName();
  if (mine == given.cStr())
    return;
  std::string message =
      std::string("refused: a ") + peer + " that computes libm functions " +
      "with " + (given.size() ? given.cStr() : "an unknown library") +
      ", where this cluster uses " + mine +
      " (every process must agree: the same CPU features and "
      "MARS_SCALAR_LIBM)";
  llvm::errs() << who << ": " << message << "\n";
  KJ_FAIL_REQUIRE(message);
}

bool mars::dist::tokenMatches(const std::string &token,
                              llvm::StringRef given) {
  unsigned char diff = token.size() != given.size();
  for (size_t i = 0; i < token.size(); ++i)
    diff |= static_cast<unsigned char>(token[i]) ^
            static_cast<unsigned char>(i < given.size() ? given[i] : 0);
  return diff == 0;
}

void mars::dist::checkToken(const std::string &token, kj::StringPtr given,
                            const char *who) {
  if (!tokenMatches(token, llvm::StringRef(given.cStr(), given.size()))) {
    llvm::errs() << who << ": refused a call with a wrong or missing cluster "
                 << "token\n";
    KJ_FAIL_REQUIRE("refused: wrong or missing cluster token");
  }
}

llvm::Expected<std::string> mars::dist::resolveToken(const std::string &flag,
                                                     const std::string &file) {
  if (!flag.empty())
    return flag;
  if (const char *env = std::getenv("MARS_CLUSTER_TOKEN"); env && *env)
    return std::string(env);
  std::string path = file;
  if (path.empty())
    if (const char *env = std::getenv("MARS_CLUSTER_TOKEN_FILE"))
      path = env;
  if (path.empty())
    return makeError(
        "a cluster token is required: pass --token, --token-file, or set "
        "MARS_CLUSTER_TOKEN or MARS_CLUSTER_TOKEN_FILE");
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return makeError("cannot read the cluster token file '" + path +
                              "': " + buffer.getError().message());
  llvm::StringRef token = (*buffer)->getBuffer().split('\n').first.trim();
  if (token.empty())
    return makeError("the cluster token file '" + path +
                              "' is empty");
  return token.str();
}

llvm::Expected<std::string>
mars::dist::resolveClusterToken(const std::string &flag,
                                const std::string &file) {
  return resolveToken(flag, file);
}

std::string mars::dist::boundAddress(const std::string &listen, uint port) {
  llvm::StringRef host = llvm::StringRef(listen).rsplit(':').first;
  if (host.empty() || host == "*" || host == "0.0.0.0")
    host = "127.0.0.1";
  return (host + ":" + llvm::Twine(port)).str();
}

void mars::dist::toArray(const NDArray &array, rpc::Array::Builder out) {
  out.setDtype(static_cast<uint8_t>(array.dtype()));
  out.setFormat(static_cast<uint8_t>(array.format()));
  auto shape = out.initShape(array.shape().size());
  for (size_t i = 0; i < array.shape().size(); ++i)
    shape.set(i, array.shape()[i]);
  out.setData(kj::arrayPtr(array.bytes(), array.nbytes()));
}

llvm::Expected<std::pair<DType, numeric::Shape>>
mars::dist::checkedMeta(uint8_t dtype, capnp::List<int64_t>::Reader shape) {
  if (dtype > static_cast<uint8_t>(DType::C128)) // The enum's last value.
    return makeError("malformed array: unknown dtype " +
                              llvm::Twine(dtype));
  if (shape.size() > 32)
    return makeError("malformed array: rank " +
                              llvm::Twine(shape.size()));
  numeric::Shape s;
  uint64_t elements = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && elements > (uint64_t(1) << 48) / uint64_t(d)))
      return makeError("malformed array: bad shape");
    elements *= d;
    s.push_back(d);
  }
  return std::make_pair(static_cast<DType>(dtype), std::move(s));
}

/// The nnz of a CSR array of `meta` sent in `bytes` bytes.
static llvm::Expected<int64_t>
checkedNnz(const std::pair<DType, numeric::Shape> &meta, uint64_t bytes) {
  if (meta.second.size() != 2)
    return makeError("malformed array: a sparse array of rank " +
                     llvm::Twine(meta.second.size()));
  int64_t nnz = numeric::csrNnzOfBytes(meta.first, meta.second[0], bytes);
  if (nnz < 0 || nnz > numeric::numElements(meta.second))
    return makeError("malformed array: " + llvm::Twine(bytes) +
                     " bytes of a sparse matrix");
  return nnz;
}

llvm::Expected<NDArray> mars::dist::fromArray(rpc::Array::Reader in) {
  auto meta = checkedMeta(in.getDtype(), in.getShape());
  if (!meta)
    return meta.takeError();
  auto data = in.getData();
  if (in.getFormat() == static_cast<uint8_t>(numeric::Format::CSR)) {
    auto nnz = checkedNnz(*meta, data.size());
    if (!nnz)
      return nnz.takeError();
    NDArray array = NDArray::csr(meta->first, meta->second, *nnz);
    std::memcpy(array.bytes(), data.begin(), data.size());
    if (!numeric::csrIsValid(array))
      return makeError("malformed array: a sparse matrix's rows or columns "
                       "are out of order or range");
    return std::move(array);
  }
  if (in.getFormat() != static_cast<uint8_t>(numeric::Format::Dense))
    return makeError("malformed array: unknown format " +
                     llvm::Twine(in.getFormat()));
  uint64_t want = numeric::numElements(meta->second) *
                  numeric::dtypeSize(meta->first);
  if (data.size() != want)
    return makeError("malformed array: " + llvm::Twine(data.size()) +
                              " bytes of data for " + llvm::Twine(want));
  NDArray array(meta->first, meta->second, NDArray::uninitialized);
  if (want)
    std::memcpy(array.bytes(), data.begin(), want);
  return std::move(array);
}

bool mars::dist::isAbsent(const NDArray &array) {
  // A default-constructed array (a partial's unused aux): rank 0 and no
  // storage, unlike a scalar.
  return array.rank() == 0 && array.nbytes() == 0;
}

llvm::Expected<std::vector<NDArray>>
mars::dist::argumentsOf(rpc::JobSpec::Reader spec) {
  std::vector<NDArray> args;
  for (auto a : spec.getArgs()) {
    auto array = fromArray(a);
    if (!array)
      return array.takeError();
    args.push_back(std::move(*array));
  }
  return std::move(args);
}

std::vector<const NDArray *> mars::dist::arraysOf(const ObjectData &data) {
  if (data.chunk)
    return {data.chunk.get()};
  std::vector<const NDArray *> arrays;
  if (data.partials)
    for (const chunked::Partial &p : *data.partials) {
      arrays.push_back(&p.value);
      arrays.push_back(&p.aux);
    }
  return arrays;
}

void ObjectReceiver::start(rpc::ObjectMeta::Reader meta) {
  KJ_REQUIRE(!began, "malformed transfer: begin twice");
  // A chunk, or the value and aux of each partial of a reduction (a
  // multi-output group has up to 8).
  const unsigned n = meta.getArrays().size();
  KJ_REQUIRE(n == 1 || (n % 2 == 0 && n >= 2 && n <= 16),
             "malformed transfer: an object has one array or 2 to 16 arrays "
             "in pairs");
  uint64_t total = 0;
  for (auto a : meta.getArrays()) {
    if (a.getAbsent()) {
      arrays.emplace_back();
      continue;
    }
    auto m = checkedMeta(a.getDtype(), a.getShape());
    if (!m) {
      std::string msg = llvm::toString(m.takeError());
      KJ_FAIL_REQUIRE("malformed transfer", msg);
    }
    if (a.getFormat() == static_cast<uint8_t>(numeric::Format::CSR)) {
      KJ_REQUIRE(m->second.size() == 2 && a.getNnz() >= 0 &&
                     a.getNnz() <= numeric::numElements(m->second),
                 "malformed transfer: a bad sparse matrix");
      total += numeric::csrBytes(m->first, m->second[0], a.getNnz());
      KJ_REQUIRE(total <= maxBytes, "malformed transfer: too large");
      arrays.push_back(NDArray::csr(m->first, m->second, a.getNnz()));
      continue;
    }
    KJ_REQUIRE(a.getFormat() == static_cast<uint8_t>(numeric::Format::Dense),
               "malformed transfer: unknown format");
    total += numeric::numElements(m->second) * numeric::dtypeSize(m->first);
    KJ_REQUIRE(total <= maxBytes, "malformed transfer: too large");
    arrays.emplace_back(m->first, m->second, NDArray::uninitialized);
  }
  count = meta.getCount();
  began = true;
}

void ObjectReceiver::append(kj::ArrayPtr<const kj::byte> data) {
  KJ_REQUIRE(began && !finished, "malformed transfer: write outside begin/done");
  size_t at = 0;
  while (at < data.size()) {
    while (current < arrays.size() && offset == arrays[current].nbytes()) {
      ++current;
      offset = 0;
    }
    KJ_REQUIRE(current < arrays.size(), "malformed transfer: too many bytes");
    size_t n = std::min(data.size() - at, arrays[current].nbytes() - offset);
    std::memcpy(arrays[current].bytes() + offset, data.begin() + at, n);
    offset += n;
    at += n;
  }
}

void ObjectReceiver::finish() {
  while (current < arrays.size() && offset == arrays[current].nbytes()) {
    ++current;
    offset = 0;
  }
  KJ_REQUIRE(began && current == arrays.size(),
             "malformed transfer: fewer bytes than announced");
  finished = true;
}

kj::Promise<void> ObjectReceiver::begin(BeginContext context) {
  start(context.getParams().getMeta());
  return kj::READY_NOW;
}

kj::Promise<void> ObjectReceiver::write(WriteContext context) {
  append(context.getParams().getData());
  return kj::READY_NOW;
}

kj::Promise<void> ObjectReceiver::done(DoneContext) {
  finish();
  return kj::READY_NOW;
}

llvm::Expected<std::shared_ptr<ObjectData>> ObjectReceiver::take() {
  if (!finished)
    return makeError("the transfer did not finish");
  for (const NDArray &a : arrays)
    if (a.isSparse() && !numeric::csrIsValid(a))
      return makeError("malformed transfer: a sparse matrix's rows or "
                       "columns are out of order or range");
  return ObjectData::fromArrays(std::move(arrays), count);
}

static kj::Promise<void> sendPieces(rpc::ObjectSink::Client sink,
                             std::shared_ptr<const ObjectData> data,
                             size_t array, size_t offset) {
  auto arrays = arraysOf(*data);
  while (array < arrays.size() && offset == arrays[array]->nbytes()) {
    ++array;
    offset = 0;
  }
  if (array == arrays.size())
    return sink.doneRequest().send().ignoreResult();
  size_t n = std::min(kPieceBytes, arrays[array]->nbytes() - offset);
  auto request = sink.writeRequest();
  request.setData(kj::arrayPtr(arrays[array]->bytes() + offset, n));
  return request.send().then(
      [sink, data, array, next = offset + n]() mutable {
        return sendPieces(kj::mv(sink), kj::mv(data), array, next);
      });
}

static void setMeta(rpc::ObjectMeta::Builder meta, const ObjectData &data) {
  auto arrays = arraysOf(data);
  auto list = meta.initArrays(arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) {
    list[i].setAbsent(isAbsent(*arrays[i]));
    list[i].setDtype(static_cast<uint8_t>(arrays[i]->dtype()));
    list[i].setFormat(static_cast<uint8_t>(arrays[i]->format()));
    if (arrays[i]->isSparse())
      list[i].setNnz(arrays[i]->nnz());
    auto shape = list[i].initShape(arrays[i]->shape().size());
    for (size_t d = 0; d < arrays[i]->shape().size(); ++d)
      shape.set(d, arrays[i]->shape()[d]);
  }
  meta.setCount(data.partials ? data.partials->front().count : 0);
}

kj::Promise<void>
mars::dist::serveObject(rpc::PeerGate::FetchResults::Builder reply,
                        rpc::ObjectSink::Client sink,
                        std::shared_ptr<const ObjectData> data) {
  if (data->nbytes() <= kInlineBytes) {
    reply.setInline(true);
    setMeta(reply.initMeta(), *data);
    auto bytes = reply.initData(data->nbytes());
    size_t at = 0;
    for (const NDArray *a : arraysOf(*data)) {
      if (a->nbytes())
        std::memcpy(bytes.begin() + at, a->bytes(), a->nbytes());
      at += a->nbytes();
    }
    return kj::READY_NOW;
  }
  auto begin = sink.beginRequest();
  setMeta(begin.initMeta(), *data);
  return begin.send().then([sink, data](auto &&) mutable {
    return sendPieces(kj::mv(sink), kj::mv(data), 0, 0);
  });
}

kj::Promise<std::shared_ptr<ObjectData>>
mars::dist::fetchObject(rpc::PeerGate::Client gate, const std::string &token,
                        uint64_t job, uint32_t object, uint64_t bytes,
                        bool isChunk) {
  auto receiver = kj::heap<ObjectReceiver>(bytes);
  ObjectReceiver *r = receiver.get();
  rpc::ObjectSink::Client sink = kj::mv(receiver);
  auto request = gate.fetchRequest();
  request.setToken(token);
  request.setJob(job);
  request.setObject(object);
  request.setSink(sink);
  return request.send().then(
      [r, sink, bytes, isChunk,
       object](capnp::Response<rpc::PeerGate::FetchResults> &&reply) mutable {
        if (reply.getInline()) {
          r->start(reply.getMeta());
          r->append(reply.getData());
          r->finish();
        }
        auto data = r->take();
        if (!data) {
          std::string msg = llvm::toString(data.takeError());
          KJ_FAIL_REQUIRE("fetch failed", msg);
        }
        // `bytes`: a chunk's size, or the most a sparse one can take.
        KJ_REQUIRE(isChunk == bool((*data)->chunk) &&
                       (!isChunk || (*data)->nbytes() == bytes ||
                        ((*data)->chunk->isSparse() &&
                         (*data)->nbytes() <= bytes)),
                   "a peer sent the wrong object", object);
        return std::move(*data);
      });
}
