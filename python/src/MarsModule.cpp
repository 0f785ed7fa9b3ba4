//===- MarsModule.cpp - mars._mars: the Python binding of the C++ API -----===//
//
// A thin layer over mars/API: converts Python numbers, numpy arrays and
// index tuples to the API's types, raises an api::Error as the Python
// exception of its kind, hands numpy arrays to the engine without copying
// them, and returns results as numpy arrays over the engine's buffers. The
// numpy surface itself (names, signatures, defaults) is mars/tensor in
// Python.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Sparse.h"
#include "mars/API/Session.h"
#include "mars/Support/ByteSize.h"

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <thread>

#include <cmath>

namespace py = pybind11;
namespace mt = mars::api;
using mt::DType;

namespace {

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

[[noreturn]] void raise(const mt::Error &e) {
  std::string msg = e.message;
  switch (e.kind) {
  case mt::ErrorKind::Value:
    throw py::value_error(msg);
  case mt::ErrorKind::Type:
    throw py::type_error(msg);
  case mt::ErrorKind::Index:
    throw py::index_error(msg);
  case mt::ErrorKind::Axis: {
    py::object axisError = py::module_::import("numpy").attr("AxisError");
    PyErr_SetObject(axisError.ptr(), py::str(msg).ptr());
    throw py::error_already_set();
  }
  case mt::ErrorKind::Memory:
    PyErr_SetString(PyExc_MemoryError, msg.c_str());
    throw py::error_already_set();
  case mt::ErrorKind::NotImplemented:
    PyErr_SetString(PyExc_NotImplementedError, msg.c_str());
    throw py::error_already_set();
  case mt::ErrorKind::LinAlg: {
    py::object linAlgError =
        py::module_::import("numpy").attr("linalg").attr("LinAlgError");
    PyErr_SetObject(linAlgError.ptr(), py::str(msg).ptr());
    throw py::error_already_set();
  }
  case mt::ErrorKind::Runtime:
    break;
  }
  throw std::runtime_error(e.str());
}

/// Returns `t`, or raises its error.
mt::Tensor check(mt::Tensor t) {
  if (!t.ok())
    raise(t.error());
  return t;
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

DType toDType(const std::string &name) {
  auto d = mt::parseDType(name);
  if (!d)
    throw py::type_error("data type '" + name + "' is not supported by Mars "
                         "(bool, int8, int16, int32, int64, uint8, uint16, "
                         "uint32, uint64, float16, float32, float64, "
                         "complex64, complex128)");
  return *d;
}

std::optional<DType> toOptDType(const std::optional<std::string> &name) {
  if (!name)
    return std::nullopt;
  return toDType(*name);
}

/// A binary function's operand: a tensor handle or a Python number.
mt::Operand toOperand(py::handle h) {
  if (py::isinstance<mt::Tensor>(h))
    return h.cast<mt::Tensor>();
  if (PyBool_Check(h.ptr()))
    return mt::Scalar(h.cast<bool>());
  if (PyLong_Check(h.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
    if (overflow > 0) {
      // numpy 1.24 takes 2**63 <= v < 2**64 as uint64.
      unsigned long long u = PyLong_AsUnsignedLongLong(h.ptr());
      if (!PyErr_Occurred())
        return mt::Scalar(static_cast<uint64_t>(u));
      PyErr_Clear();
    }
    if (overflow) {
      PyErr_SetString(PyExc_OverflowError,
                      ("Python int " + py::str(h).cast<std::string>() +
                       " too large to convert to a Mars dtype")
                          .c_str());
      throw py::error_already_set();
    }
    return mt::Scalar(static_cast<int64_t>(v));
  }
  if (PyFloat_Check(h.ptr()))
    return mt::Scalar(h.cast<double>());
  if (PyComplex_Check(h.ptr()))
    return mt::Scalar::complex(PyComplex_RealAsDouble(h.ptr()),
                               PyComplex_ImagAsDouble(h.ptr()));
  throw py::type_error("unsupported operand type: " +
                       py::str(py::type::of(h)).cast<std::string>());
}

mt::ChunkSize toChunks(const py::object &o) {
  if (o.is_none())
    return {};
  if (PyLong_Check(o.ptr()))
    return mt::ChunkSize(o.cast<int64_t>());
  std::vector<int64_t> sizes;
  for (py::handle h : o) {
    if (h.is_none())
      sizes.push_back(-1);
    else
      sizes.push_back(h.cast<int64_t>());
  }
  if (sizes.empty())
    return mt::ChunkSize(std::vector<int64_t>{});
  return mt::ChunkSize(std::move(sizes));
}

/// A numpy array as an NDArray that borrows its bytes. The array must be
/// C-contiguous, aligned, native-endian and of a Mars dtype (the Python
/// side converts anything else first).
mt::NDArray borrowArray(py::array a) {
  auto d = mt::parseDType(py::str(a.dtype()).cast<std::string>());
  if (!d)
    throw py::type_error("data type " + py::str(a.dtype()).cast<std::string>() +
                         " is not supported by Mars");
  if (!(a.flags() & py::array::c_style) ||
      !(a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_))
    throw py::value_error("array must be C-contiguous and aligned");
  mt::Shape shape(a.shape(), a.shape() + a.ndim());
  // The engine may drop its reference on a worker thread: take the GIL to
  // release the array.
  auto *ref = new py::object(a);
  std::shared_ptr<const void> owner(ref, [](const void *p) {
    py::gil_scoped_acquire gil;
    delete static_cast<const py::object *>(p);
  });
  return mt::NDArray::borrow(*d, std::move(shape), a.data(), std::move(owner));
}

/// A numpy array over the value's bytes (read only: the value is shared
/// with the graph).
py::array toNumpy(std::shared_ptr<const mt::NDArray> v) {
  const mt::NDArray &a = *v;
  std::vector<py::ssize_t> shape(a.shape().begin(), a.shape().end());
  py::dtype dtype(mt::dtypeName(a.dtype()));
  auto *hold = new std::shared_ptr<const mt::NDArray>(std::move(v));
  py::capsule base(hold, [](void *p) {
    delete static_cast<std::shared_ptr<const mt::NDArray> *>(p);
  });
  py::array out(dtype, shape, {}, a.bytes(), base);
  py::detail::array_proxy(out.ptr())->flags &=
      ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return out;
}

/// A sparse value as scipy.sparse.csr_matrix (its arrays copied: scipy may
/// sort or prune them in place).
py::object toScipy(const mt::NDArray &a) {
  const int64_t rows = a.shape()[0], nnz = a.nnz();
  py::array_t<int64_t> indptr(rows + 1), indices(nnz);
  std::memcpy(indptr.mutable_data(), a.indptr(), (rows + 1) * sizeof(int64_t));
  std::memcpy(indices.mutable_data(), a.indices(), nnz * sizeof(int64_t));
  py::array data(py::dtype(mt::dtypeName(a.dtype())),
                 std::vector<py::ssize_t>{nnz});
  std::memcpy(data.mutable_data(), a.indices() + nnz,
              nnz * mars::numeric::dtypeSize(a.dtype()));
  py::object csr = py::module_::import("scipy.sparse").attr("csr_matrix");
  py::object m = csr(py::make_tuple(data, indices, indptr),
                     py::arg("shape") = py::make_tuple(rows, a.shape()[1]));
  // Columns increase within each row and none repeats (numeric/Sparse.h).
  m.attr("has_canonical_format") = true;
  return m;
}

/// A CSR matrix from scipy's arrays (int64 indptr and indices, C-contiguous:
/// the Python side converts them first), checked as scipy's check_format.
mt::NDArray fromCsrArrays(py::array data, py::array_t<int64_t> indices,
                          py::array_t<int64_t> indptr, int64_t rows,
                          int64_t cols) {
  auto d = mt::parseDType(py::str(data.dtype()).cast<std::string>());
  if (!d)
    throw py::type_error("data type " +
                         py::str(data.dtype()).cast<std::string>() +
                         " is not supported by Mars");
  const int64_t nnz = data.size();
  if (rows < 0 || cols < 0 || indptr.size() != rows + 1 ||
      indices.size() != nnz)
    throw py::value_error("malformed sparse matrix: indptr needs rows + 1 "
                          "entries and indices one per stored element");
  mt::NDArray a = mt::NDArray::csr(*d, {rows, cols}, nnz);
  std::memcpy(a.indptr(), indptr.data(), (rows + 1) * sizeof(int64_t));
  std::memcpy(a.indices(), indices.data(), nnz * sizeof(int64_t));
  std::memcpy(a.indices() + nnz, data.data(),
              nnz * mars::numeric::dtypeSize(*d));
  if (!mars::numeric::csrIsValid(a))
    throw py::value_error("malformed sparse matrix: indptr must run from 0 "
                          "to the number of stored elements without "
                          "decreasing, and column indices must be in range "
                          "and increasing within a row (sum_duplicates() and "
                          "sort_indices() first)");
  return a;
}

mt::UnaryFn unaryByName(const std::string &name) {
  if (auto fn = mt::unaryFunction(name))
    return *fn;
  throw py::value_error("unknown unary function '" + name + "'");
}
mt::BinaryFn binaryByName(const std::string &name) {
  if (auto fn = mt::binaryFunction(name))
    return *fn;
  throw py::value_error("unknown binary function '" + name + "'");
}
mt::ReduceFn reduceByName(const std::string &name) {
  if (auto fn = mt::reduceFunction(name))
    return *fn;
  throw py::value_error("unknown reduction '" + name + "'");
}

std::optional<std::vector<int64_t>> toAxes(const py::object &axis) {
  if (axis.is_none())
    return std::nullopt;
  if (PyLong_Check(axis.ptr()))
    return std::vector<int64_t>{axis.cast<int64_t>()};
  return axis.cast<std::vector<int64_t>>();
}

/// An index item from a Python int, slice, None or Ellipsis.
mt::IndexItem toIndexItem(py::handle h) {
  if (h.is_none())
    return mt::IndexItem::newAxis();
  if (h.ptr() == Py_Ellipsis)
    return mt::IndexItem::ellipsis();
  if (PySlice_Check(h.ptr())) {
    auto part = [&](const char *name) -> std::optional<int64_t> {
      py::object v = h.attr(name);
      if (v.is_none())
        return std::nullopt;
      py::object i =
          py::reinterpret_steal<py::object>(PyNumber_Index(v.ptr()));
      if (!i)
        throw py::error_already_set();
      return i.cast<int64_t>();
    };
    std::optional<int64_t> step = part("step");
    return mt::IndexItem::slice(part("start"), part("stop"), step.value_or(1));
  }
  if (PyBool_Check(h.ptr()))
    throw py::index_error("boolean indices are not supported yet");
  if (PyIndex_Check(h.ptr())) {
    py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
    if (!i)
      throw py::error_already_set();
    return mt::IndexItem::at(i.cast<int64_t>());
  }
  throw py::index_error(
      "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
      "and integer or boolean arrays are valid indices");
}

//===----------------------------------------------------------------------===//
// Sessions
//===----------------------------------------------------------------------===//

uint64_t toBytes(const py::object &o, const char *what) {
  if (o.is_none())
    return 0;
  if (PyLong_Check(o.ptr()))
    return o.cast<uint64_t>();
  std::string text = py::str(o);
  auto bytes = mars::parseByteSize(text);
  if (!bytes)
    throw py::value_error(std::string(what) + ": " +
                          llvm::toString(bytes.takeError()));
  return *bytes;
}

class PySession {
public:
  PySession(py::object address, py::object memoryLimit, unsigned threads,
            std::string spillDir, std::string device, py::object chunkBytes,
            int64_t chunkSize, std::string engine, std::string token,
            std::string tlsCa, int64_t smallElements, py::object progress) {
    mars::SessionOptions o;
    if (!address.is_none())
      o.cluster = py::str(address);
    o.memoryLimit = toBytes(memoryLimit, "memory_limit");
    o.chunkBytes = toBytes(chunkBytes, "chunk_store_limit");
    o.chunkSize = chunkSize;
    o.threads = threads;
    o.spillDir = spillDir;
    o.clusterToken = token;
    o.clusterTls.ca = tlsCa;
    if (engine == "reference")
      o.engine = mars::Engine::Reference;
    else if (engine == "chunked")
      o.engine = mars::Engine::Chunked;
    else if (engine != "compiled")
      throw py::value_error("engine must be 'compiled', 'chunked' or "
                            "'reference', got '" + engine + "'");
    if (device == "gpu")
      o.device = mars::DeviceKind::GPU;
    else if (device == "auto")
      o.device = mars::DeviceKind::Auto;
    else if (device == "gpu-emulator")
      o.device = mars::DeviceKind::Emulator;
    else if (device != "cpu")
      throw py::value_error("device must be 'cpu', 'gpu', 'auto' or "
                            "'gpu-emulator', got '" + device + "'");
    if (!progress.is_none()) {
      // Called on the thread running the program while the GIL is
      // released by execute().
      auto callback = std::make_shared<py::object>(progress);
      o.progress = [callback](const mars::ChunkedProgress &p) {
        py::gil_scoped_acquire gil;
        try {
          (*callback)(p.tasksDone, p.tasksTotal, p.seconds, p.bytesInMemory,
                      p.bytesSpilled, p.workers);
        } catch (py::error_already_set &e) {
          e.discard_as_unraisable("mars progress callback");
        }
      };
      progressCallback = callback;
    }
    mt::ApiOptions api;
    if (smallElements >= 0)
      api.smallElements = smallElements;
    auto created = mt::Session::create(std::move(o), api);
    if (!created)
      raise(mt::toError(created.takeError()));
    session = std::move(*created);
  }

  ~PySession() {
    // The progress callback holds a Python object: drop it with the GIL.
    session.reset();
  }

  /// With a `trace` path, what the execution did is written there as
  /// Trace Event JSON (also when it fails: the trace shows how far it got).
  void execute(const std::vector<mt::Tensor> &tensors,
               const std::string &trace = "") {
    for (const mt::Tensor &t : tensors)
      check(t);
    std::optional<mars::Trace> recorded;
    if (!trace.empty()) {
      recorded.emplace();
      recorded->nameProcess(0, "mars");
      recorded->nameThread(0, 0, "main");
    }
    // Without a path of its own, a run inside a recording (record_trace)
    // joins it; the shared_ptr keeps it alive if the recording stops on
    // another thread meanwhile.
    std::shared_ptr<mars::Trace> joined = recorded ? nullptr : recording;
    // Only the engine's run releases the GIL: graph nodes and the session's
    // program cache are touched with it held.
    llvm::Error err = session->execute(
        tensors,
        [](llvm::function_ref<void()> body) {
          py::gil_scoped_release release;
          body();
        },
        recorded ? &*recorded : joined.get());
    // Nothing ran (every tensor had its value): no trace replaces the
    // last one.
    if (recorded && session->lastReport().engine != "cached") {
      if (auto writeErr = recorded->writeFile(trace)) {
        std::string why = llvm::toString(std::move(writeErr));
        if (err) {
          // The run's failure is the error; the lost trace a warning.
          if (PyErr_WarnEx(PyExc_RuntimeWarning, why.c_str(), 1) < 0)
            throw py::error_already_set();
        } else {
          PyErr_SetString(PyExc_OSError, why.c_str());
          throw py::error_already_set();
        }
      }
    }
    if (err)
      raise(mt::toError(std::move(err)));
  }

  /// Starts recording every execution of this session (eager mode's
  /// per-operation runs included) into one trace, until stopTrace.
  void startTrace() {
    if (recording)
      throw py::value_error("this session is already recording a trace "
                            "(record_trace blocks do not nest)");
    recording = std::make_shared<mars::Trace>();
    recording->nameProcess(0, "mars");
    recording->nameThread(0, 0, "main");
  }

  /// Stops the recording and writes it to `path` (none: discards it).
  /// Returns the number of spans recorded.
  size_t stopTrace(const std::optional<std::string> &path) {
    if (!recording)
      throw py::value_error("this session is not recording a trace");
    std::shared_ptr<mars::Trace> done = std::move(recording);
    recording.reset();
    std::optional<std::string> failure;
    size_t spans = 0;
    {
      py::gil_scoped_release release;
      // Runs on other threads that joined the recording still write to it
      // (their workers append without a lock): wait until they end. They
      // joined with the GIL held, so none joins now.
      while (done.use_count() > 1)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      spans = done->numSpans();
      if (path)
        if (auto err = done->writeFile(*path))
          failure = llvm::toString(std::move(err));
    }
    if (failure) {
      PyErr_SetString(PyExc_OSError, failure->c_str());
      throw py::error_already_set();
    }
    return spans;
  }

  bool recordingTrace() const { return recording != nullptr; }

  py::dict report() const {
    const mt::ExecuteReport &r = session->lastReport();
    py::dict d;
    d["engine"] = r.engine;
    d["program_cache_hit"] = r.programCacheHit;
    d["build_seconds"] = r.buildSeconds;
    d["compile_seconds"] = r.compileSeconds + r.run.compileSeconds;
    d["run_seconds"] = r.run.seconds;
    d["tasks"] = r.run.chunked.tasks;
    d["bytes_spilled"] = r.run.chunked.bytesSpilled;
    d["bytes_read_back"] = r.run.chunked.bytesReadBack;
    d["recomputes"] = r.run.chunked.recomputes;
    d["bytes_recomputed"] = r.run.chunked.bytesRecomputed;
    d["shared_chunks"] = r.run.chunked.sharedChunks;
    d["peak_memory_bytes"] = r.run.chunked.peakMemory;
    return d;
  }

  std::vector<int64_t> chunkShape(const mt::Tensor &t) {
    return session->chunkShape(check(t));
  }

  std::string graph(const std::vector<mt::Tensor> &tensors,
                    const std::string &stage) {
    mars::GraphStage s;
    if (stage == "input")
      s = mars::GraphStage::Input;
    else if (stage == "tiled")
      s = mars::GraphStage::Tiled;
    else if (stage == "fused")
      s = mars::GraphStage::Fused;
    else if (stage == "chunks")
      s = mars::GraphStage::Chunks;
    else
      throw py::value_error("stage must be 'input', 'tiled', 'fused' or "
                            "'chunks', got '" + stage + "'");
    auto dot = session->graph(tensors, s);
    if (!dot)
      raise(mt::toError(dot.takeError()));
    return *dot;
  }

  uint64_t memoryLimit() const { return session->engine().memoryLimit(); }

private:
  std::unique_ptr<mt::Session> session;
  std::shared_ptr<py::object> progressCallback;
  /// The trace every execution joins (record_trace), or none.
  std::shared_ptr<mars::Trace> recording;
};

} // namespace

PYBIND11_MODULE(_mars, m) {
  m.doc() = "Mars's C++ tensor API (use mars.tensor)";

  py::class_<mt::Tensor>(m, "Tensor")
      .def_property_readonly("shape",
                             [](const mt::Tensor &t) {
                               py::tuple s(t.ndim());
                               for (int64_t i = 0; i < t.ndim(); ++i)
                                 s[i] = t.shape()[i];
                               return s;
                             })
      .def_property_readonly(
          "dtype", [](const mt::Tensor &t) { return mt::dtypeName(t.dtype()); })
      .def_property_readonly("ndim", &mt::Tensor::ndim)
      .def_property_readonly("size", &mt::Tensor::size)
      .def_property_readonly("nbytes", &mt::Tensor::nbytes)
      .def_property_readonly("chunk_shape", &mt::Tensor::chunkShape)
      .def_property_readonly("executed", &mt::Tensor::isExecuted)
      .def_property_readonly("key",
                             [](const mt::Tensor &t) {
                               return reinterpret_cast<uintptr_t>(t.node());
                             })
      .def("describe", &mt::Tensor::describe)
      .def("value", [](const mt::Tensor &t) -> py::object {
        auto v = t.value();
        if (!v)
          return py::none();
        if (v->isSparse())
          return toScipy(*v);
        return toNumpy(std::move(v));
      })
      .def_property_readonly("issparse", &mt::Tensor::isSparse);

  m.def("from_csr", [](py::array data, py::array_t<int64_t> indices,
                       py::array_t<int64_t> indptr, int64_t rows, int64_t cols,
                       py::object chunks) {
    return check(mt::fromArray(fromCsrArrays(data, indices, indptr, rows, cols),
                               toChunks(chunks)));
  });
  m.def("tosparse", [](const mt::Tensor &x) { return check(mt::toSparse(x)); });
  m.def("todense", [](const mt::Tensor &x) { return check(mt::toDense(x)); });

  m.def("from_numpy", [](py::array a, py::object chunks) {
    return check(mt::fromArray(borrowArray(a), toChunks(chunks)));
  });
  m.def("full", [](std::vector<int64_t> shape, py::object value,
                   std::optional<std::string> dtype, py::object chunks) {
    mt::Operand v = toOperand(value);
    if (!v.scalar)
      throw py::type_error("fill value must be a number");
    return check(mt::full(shape, *v.scalar, toOptDType(dtype),
                          toChunks(chunks)));
  });
  m.def("arange", [](double start, double stop, double step, std::string dtype,
                     py::object chunks) {
    return check(
        mt::arange(start, stop, step, toDType(dtype), toChunks(chunks)));
  });
  m.def("linspace", [](double start, double stop, int64_t num, bool endpoint,
                       std::string dtype, py::object chunks) {
    return check(mt::linspace(start, stop, num, endpoint, toDType(dtype),
                              toChunks(chunks)));
  });
  m.def("eye", [](int64_t n, std::optional<int64_t> mm, int64_t k,
                  std::string dtype, py::object chunks, bool sparse) {
    return check(
        mt::eye(n, mm, k, toDType(dtype), toChunks(chunks), sparse));
  }, py::arg("n"), py::arg("m"), py::arg("k"), py::arg("dtype"),
     py::arg("chunks"), py::arg("sparse") = false);
  // `density` (None: dense) makes a sparse matrix.
  m.def("random_uniform", [](uint64_t seed, double low, double high,
                             std::vector<int64_t> shape, std::string dtype,
                             py::object chunks, std::optional<double> density) {
    return check(mt::randomUniform(seed, low, high, shape, toDType(dtype),
                                   toChunks(chunks), density));
  }, py::arg("seed"), py::arg("low"), py::arg("high"), py::arg("shape"),
     py::arg("dtype"), py::arg("chunks"), py::arg("density") = py::none());
  m.def("random_normal", [](uint64_t seed, double loc, double scale,
                            std::vector<int64_t> shape, std::string dtype,
                            py::object chunks, std::optional<double> density) {
    return check(mt::randomNormal(seed, loc, scale, shape, toDType(dtype),
                                  toChunks(chunks), density));
  }, py::arg("seed"), py::arg("loc"), py::arg("scale"), py::arg("shape"),
     py::arg("dtype"), py::arg("chunks"), py::arg("density") = py::none());
  m.def("random_integers", [](uint64_t seed, int64_t low, int64_t high,
                              std::vector<int64_t> shape, std::string dtype,
                              py::object chunks, std::optional<double> density) {
    return check(mt::randomIntegers(seed, low, high, shape, toDType(dtype),
                                    toChunks(chunks), density));
  }, py::arg("seed"), py::arg("low"), py::arg("high"), py::arg("shape"),
     py::arg("dtype"), py::arg("chunks"), py::arg("density") = py::none());

  // With a session (None: lazy), the result is executed before it is
  // returned (eager mode): one call from Python per numpy operation. (A
  // py::handle: pybind11 takes None for a PySession* only after retrying
  // every argument with conversions.)
  auto executeIfEager = [](mt::Tensor t, py::handle session) {
    if (!session.is_none())
      session.cast<PySession &>().execute({t});
    return t;
  };
  m.def("unary", [=](const std::string &name, py::handle x,
                     py::handle session) {
    return executeIfEager(check(mt::unary(unaryByName(name), toOperand(x))),
                          session);
  });
  m.def("binary", [=](const std::string &name, py::handle a, py::handle b,
                      py::handle session) {
    return executeIfEager(
        check(mt::binary(binaryByName(name), toOperand(a), toOperand(b))),
        session);
  });
  m.def("has_unary", [](const std::string &name) {
    return mt::unaryFunction(name).has_value();
  });
  m.def("has_binary", [](const std::string &name) {
    return mt::binaryFunction(name).has_value();
  });
  m.def("where", [](py::handle c, py::handle x, py::handle y) {
    return check(mt::where(toOperand(c), toOperand(x), toOperand(y)));
  });
  m.def("real", [](const mt::Tensor &x) { return check(mt::real(check(x))); });
  m.def("imag", [](const mt::Tensor &x) { return check(mt::imag(check(x))); });
  m.def("conj", [](const mt::Tensor &x) { return check(mt::conj(check(x))); });
  m.def("angle", [](const mt::Tensor &x, bool deg) {
    return check(mt::angle(check(x), deg));
  });
  m.def("make_complex", [](py::handle re, py::handle im) {
    return check(mt::makeComplex(toOperand(re), toOperand(im)));
  });
  m.def("reciprocal", [](const mt::Tensor &x) {
    return check(mt::reciprocal(check(x)));
  });
  m.def("astype", [](const mt::Tensor &x, std::string dtype) {
    return check(mt::astype(check(x), toDType(dtype)));
  });
  m.def("result_type", [](py::args args) {
    std::vector<mt::Operand> ops;
    for (py::handle h : args)
      ops.push_back(toOperand(h));
    return std::string(mt::dtypeName(mt::resultType(ops)));
  });
  m.def("promote_types", [](std::string a, std::string b) {
    return std::string(mt::dtypeName(mt::promoteTypes(toDType(a), toDType(b))));
  });

  m.def("reduce", [](const std::string &name, const mt::Tensor &x,
                     py::object axis, bool keepdims, int64_t ddof) {
    return check(
        mt::reduce(reduceByName(name), check(x), toAxes(axis), keepdims, ddof));
  });
  m.def("transpose", [](const mt::Tensor &x, py::object axes) {
    return check(mt::transpose(check(x), toAxes(axes)));
  });
  m.def("reshape", [](const mt::Tensor &x, std::vector<int64_t> shape) {
    return check(mt::reshape(check(x), shape));
  });
  m.def("broadcast_to", [](const mt::Tensor &x, std::vector<int64_t> shape) {
    return check(mt::broadcastTo(check(x), shape));
  });
  m.def("expand_dims", [](const mt::Tensor &x, std::vector<int64_t> axes) {
    return check(mt::expandDims(check(x), axes));
  });
  m.def("squeeze", [](const mt::Tensor &x, py::object axis) {
    return check(mt::squeeze(check(x), toAxes(axis)));
  });
  m.def("scan", [](const std::string &name, const mt::Tensor &x,
                   std::optional<int64_t> axis) {
    static const std::pair<const char *, mt::ScanFn> scans[] = {
        {"cumsum", mt::ScanFn::Cumsum},
        {"cumprod", mt::ScanFn::Cumprod},
        {"nancumsum", mt::ScanFn::NanCumsum},
        {"nancumprod", mt::ScanFn::NanCumprod}};
    for (auto [n, fn] : scans)
      if (name == n)
        return check(mt::scan(fn, check(x), axis));
    throw py::value_error("unknown scan '" + name + "'");
  });
  m.def("sort", [](const mt::Tensor &x, std::optional<int64_t> axis) {
    return check(mt::sort(check(x), axis));
  });
  m.def("argsort", [](const mt::Tensor &x, std::optional<int64_t> axis) {
    return check(mt::argsort(check(x), axis));
  });
  m.def("sorted_at", [](const mt::Tensor &x, const std::vector<int64_t> &kth,
                        std::optional<int64_t> axis, bool indices,
                        int64_t partLength, int64_t chunkLength) {
    return check(mt::sortedAt(check(x), kth, axis, indices, partLength,
                              chunkLength));
  }, py::arg("x"), py::arg("kth"), py::arg("axis"),
        py::arg("indices") = false, py::arg("part_length") = 0,
        py::arg("chunk_length") = 0);
  m.def("searchsorted", [](const mt::Tensor &a, py::handle v,
                           const std::string &side) {
    return check(mt::searchsorted(check(a), toOperand(v), side));
  });
  m.def("take", [](const mt::Tensor &x, const mt::Tensor &indices,
                   std::optional<int64_t> axis, const std::string &mode) {
    return check(mt::take(check(x), check(indices), axis, mode));
  });
  m.def("take_along_axis", [](const mt::Tensor &x, const mt::Tensor &indices,
                              std::optional<int64_t> axis) {
    return check(mt::takeAlongAxis(check(x), check(indices), axis));
  });
  m.def("bincount", [](const mt::Tensor &x, std::optional<mt::Tensor> weights,
                       int64_t length) {
    std::optional<mt::Tensor> w;
    if (weights)
      w = check(*weights);
    return check(mt::bincount(check(x), length, w));
  });
  m.def("put", [](const mt::Tensor &x, const mt::Tensor &indices,
                  py::handle values, const std::string &mode) {
    return check(mt::put(check(x), check(indices), toOperand(values), mode));
  });
  m.def("flip", [](const mt::Tensor &x, py::object axis) {
    return check(mt::flip(check(x), toAxes(axis)));
  });
  m.def("band", [](const mt::Tensor &x, int64_t lower, int64_t upper) {
    return check(mt::band(check(x), lower, upper));
  });
  m.def("concatenate", [](std::vector<mt::Tensor> xs, int64_t axis) {
    return check(mt::concatenate(xs, axis));
  });
  m.def("stack", [](std::vector<mt::Tensor> xs, int64_t axis) {
    return check(mt::stack(xs, axis));
  });
  m.def("index", [](const mt::Tensor &x, py::tuple items) {
    std::vector<mt::IndexItem> its;
    for (py::handle h : items)
      its.push_back(toIndexItem(h));
    return check(mt::index(check(x), its));
  });
  m.def("rechunk", [](const mt::Tensor &x, py::object chunks) {
    return check(mt::rechunk(check(x), toChunks(chunks)));
  });
  // numpy.linalg (python/mars/tensor/linalg.py wraps these).
  m.def("linalg_inv",
        [](const mt::Tensor &a) { return check(mt::linalg::inv(check(a))); });
  m.def("linalg_solve", [](const mt::Tensor &a, const mt::Tensor &b) {
    return check(mt::linalg::solve(check(a), check(b)));
  });
  m.def("linalg_solve_triangular",
        [](const mt::Tensor &a, const mt::Tensor &b, bool lower,
           bool unitDiagonal, bool checkFinite, bool numpyErrors) {
          return check(mt::linalg::solveTriangular(check(a), check(b), lower,
                                                   unitDiagonal, checkFinite,
                                                   numpyErrors));
        }, py::arg("a"), py::arg("b"), py::arg("lower"),
        py::arg("unit_diagonal"), py::arg("check_finite"),
        py::arg("numpy_errors") = false);
  m.def("linalg_cholesky", [](const mt::Tensor &a) {
    return check(mt::linalg::cholesky(check(a)));
  });
  m.def("linalg_det",
        [](const mt::Tensor &a) { return check(mt::linalg::det(check(a))); });
  auto checkAll = [](std::vector<mt::Tensor> ts) {
    for (mt::Tensor &t : ts)
      check(t);
    return ts;
  };
  m.def("linalg_slogdet", [checkAll](const mt::Tensor &a) {
    return checkAll(mt::linalg::slogdet(check(a)));
  });
  m.def(
      "linalg_qr",
      [checkAll](const mt::Tensor &a, const std::string &mode, bool positive) {
        return checkAll(mt::linalg::qr(check(a), mode, positive));
      },
      py::arg("a"), py::arg("mode"), py::arg("positive") = false);
  m.def("linalg_svd", [checkAll](const mt::Tensor &a, bool fullMatrices,
                                 bool computeUV) {
    return checkAll(mt::linalg::svd(check(a), fullMatrices, computeUV));
  });
  m.def("linalg_eigh", [checkAll](const mt::Tensor &a, const std::string &uplo,
                                  bool vectors) {
    return checkAll(mt::linalg::eigh(check(a), uplo, vectors));
  });
  m.def("linalg_lu", [checkAll](const mt::Tensor &a, bool checkFinite) {
    return checkAll(mt::linalg::lu(check(a), checkFinite));
  });
  m.def("matmul", [](const mt::Tensor &a, const mt::Tensor &b) {
    return check(mt::matmul(check(a), check(b)));
  });
  m.def("dot", [](const mt::Tensor &a, const mt::Tensor &b) {
    return check(mt::dot(check(a), check(b)));
  });
  m.def("tensordot", [](const mt::Tensor &a, const mt::Tensor &b,
                        std::vector<int64_t> aAxes,
                        std::vector<int64_t> bAxes) {
    return check(mt::tensordot(check(a), check(b), aAxes, bAxes));
  });
  m.def("tensordot_n", [](const mt::Tensor &a, const mt::Tensor &b,
                          int64_t n) {
    return check(mt::tensordot(check(a), check(b), n));
  });

  py::class_<PySession>(m, "Session")
      .def(py::init<py::object, py::object, unsigned, std::string, std::string,
                    py::object, int64_t, std::string, std::string,
                    std::string, int64_t, py::object>(),
           py::arg("address") = py::none(), py::arg("memory_limit") = py::none(),
           py::arg("threads") = 0, py::arg("spill_dir") = "",
           py::arg("device") = "cpu", py::arg("chunk_bytes") = py::none(),
           py::arg("chunk_size") = 0, py::arg("engine") = "compiled",
           py::arg("token") = "", py::arg("tls_ca") = "",
           py::arg("small_elements") = -1,
           py::arg("progress") = py::none())
      // One tensor (eager mode's call) first: no list to convert.
      .def("execute",
           [](PySession &s, const mt::Tensor &t) { s.execute({t}); })
      .def("execute", &PySession::execute, py::arg("tensors"),
           py::arg("trace") = "")
      .def("start_trace", &PySession::startTrace)
      .def("stop_trace", &PySession::stopTrace, py::arg("path"))
      .def_property_readonly("recording_trace", &PySession::recordingTrace)
      .def("report", &PySession::report)
      .def("chunk_shape", &PySession::chunkShape)
      .def("graph", &PySession::graph, py::arg("tensors"), py::arg("stage"))
      .def_property_readonly("memory_limit", &PySession::memoryLimit);
}
