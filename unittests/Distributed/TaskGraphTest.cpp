//===- TaskGraphTest.cpp - The cluster's numbered task graph --------------===//
//
// What the cluster tests cannot show from outside: the graph every process
// builds is well formed (each object has one producer, tasks come after what
// they read, readers match inputs), running its tasks one by one in order
// gives bit for bit the local runtime's result, and arrays in messages are
// checked before use.
//
//===----------------------------------------------------------------------===//

#include "Rpc.h"

#include "mars/Distributed/TaskGraph.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Runtime/ChunkedExecutor.h"
#include "mars/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <map>

using namespace mlir;
using namespace mars;
using namespace mars::dist;
using numeric::NDArray;

namespace {

constexpr const char *kProgram = R"mlir(
func.func @main() -> (tensor<f64>, tensor<30xf64>, tensor<30x30xf64>) {
  %a = mars.random_uniform seed = 3, low = 0.0, high = 1.0 : tensor<30x30xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<30x30xf64> -> tensor<30x30xf64>
  %p = mars.matmul %a, %t : tensor<30x30xf64>, tensor<30x30xf64> -> tensor<30x30xf64>
  %d = mars.sub %p, %a : tensor<30x30xf64>
  %s = mars.std %d : tensor<30x30xf64> -> tensor<f64>
  %m = mars.sum %d axes = [0] : tensor<30x30xf64> -> tensor<30xf64>
  return %s, %m, %d : tensor<f64>, tensor<30xf64>, tensor<30x30xf64>
}
)mlir";

class TaskGraphTest : public ::testing::Test {
protected:
  TaskGraphTest() {
    context.loadDialect<MarsDialect, func::FuncDialect>();
    module = parseSourceString<ModuleOp>(kProgram, &context);
    PassManager pm(&context);
    MarsTileOptions options;
    options.chunkSize = 7; // Ragged last chunks.
    pm.addNestedPass<func::FuncOp>(createMarsTile(options));
    EXPECT_TRUE(module && succeeded(pm.run(*module)));
    func = module->lookupSymbol<func::FuncOp>("main");
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
};

TEST_F(TaskGraphTest, IsWellFormed) {
  ChunkedOptions options;
  options.fanIn = 2;
  for (bool compiled : {false, true}) {
    auto graph = TaskGraph::build(func, {}, options, TaskGraph::Mode::Plan,
                                  compiled);
    ASSERT_TRUE(bool(graph)) << llvm::toString(graph.takeError());
    const auto &tasks = (*graph)->tasks();
    const auto &objects = (*graph)->objects();
    std::vector<int> produced(objects.size(), 0);
    std::vector<size_t> reads(objects.size(), 0);
    for (uint32_t t = 0; t < tasks.size(); ++t) {
      if (tasks[t].output >= 0) {
        ++produced[tasks[t].output];
        EXPECT_EQ(objects[tasks[t].output].producer, t);
      }
      for (uint32_t in : tasks[t].inputs) {
        ++reads[in];
        // Depth first: a task comes after the producers of its inputs.
        EXPECT_LT(tasks[objects[in].producer].order, tasks[t].order);
      }
    }
    for (uint32_t o = 0; o < objects.size(); ++o) {
      EXPECT_EQ(produced[o], 1) << "object " << o;
      EXPECT_EQ(reads[o], objects[o].readers.size()) << "object " << o;
    }
    // Orders are a permutation.
    std::vector<bool> seen(tasks.size(), false);
    for (const GraphTask &t : tasks) {
      ASSERT_LT(t.order, tasks.size());
      EXPECT_FALSE(seen[t.order]);
      seen[t.order] = true;
    }
    ASSERT_EQ((*graph)->results().size(), 3u);
    for (const auto &r : (*graph)->results())
      EXPECT_EQ(static_cast<int64_t>(r.chunks.size()), r.layout.numChunks());
    // The compiled plan computes the symmetric product's lower blocks as
    // mirrors of the upper ones.
    bool mirrors = llvm::any_of(
        tasks, [](const GraphTask &t) { return t.kind == TaskKind::Mirror; });
    EXPECT_EQ(mirrors, compiled);
  }
}

TEST_F(TaskGraphTest, RunInOrderEqualsTheLocalRuntime) {
  ChunkedOptions options;
  options.fanIn = 2;
  options.threads = 1;
  auto local = evaluateChunked(func, {}, options);
  ASSERT_TRUE(succeeded(local));
  auto graph =
      TaskGraph::build(func, {}, options, TaskGraph::Mode::Execute, false);
  ASSERT_TRUE(bool(graph)) << llvm::toString(graph.takeError());
  const auto &tasks = (*graph)->tasks();
  std::vector<uint32_t> order(tasks.size());
  for (uint32_t t = 0; t < tasks.size(); ++t)
    order[tasks[t].order] = t;
  std::map<uint32_t, std::shared_ptr<const ObjectData>> store;
  for (uint32_t t : order) {
    std::vector<std::shared_ptr<const ObjectData>> inputs;
    for (uint32_t in : tasks[t].inputs)
      inputs.push_back(store.at(in));
    auto out = (*graph)->run(t, inputs);
    ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
    if (tasks[t].output >= 0)
      store[tasks[t].output] = std::make_shared<ObjectData>(std::move(*out));
  }
  const auto &results = (*graph)->results();
  for (size_t i = 0; i < results.size(); ++i) {
    const auto &r = results[i];
    NDArray whole(r.dtype, r.layout.shape());
    for (size_t c = 0; c < r.chunks.size(); ++c) {
      tiling::Box box = r.layout.chunkBox(c);
      numeric::copyBox(*store.at(r.chunks[c])->chunk,
                       numeric::Shape(box.sizes().size(), 0), whole, box.lo,
                       box.sizes());
    }
    const NDArray &want = (*local)[i];
    ASSERT_EQ(whole.shape(), want.shape());
    EXPECT_EQ(0, std::memcmp(whole.bytes(), want.bytes(), want.nbytes()))
        << "result " << i << " differs from the local runtime";
  }
}

TEST_F(TaskGraphTest, RunRejectsTheWrongInputs) {
  ChunkedOptions options;
  auto graph =
      TaskGraph::build(func, {}, options, TaskGraph::Mode::Execute, false);
  ASSERT_TRUE(bool(graph));
  const auto &tasks = (*graph)->tasks();
  auto it = llvm::find_if(tasks,
                          [](const GraphTask &t) { return !t.inputs.empty(); });
  ASSERT_NE(it, tasks.end());
  uint32_t t = it - tasks.begin();
  auto none = (*graph)->run(t, {});
  EXPECT_FALSE(bool(none));
  llvm::consumeError(none.takeError());
  std::vector<std::shared_ptr<const ObjectData>> empty(
      it->inputs.size(), std::make_shared<ObjectData>());
  auto wrong = (*graph)->run(t, empty);
  EXPECT_FALSE(bool(wrong));
  llvm::consumeError(wrong.takeError());
}

TEST(RpcArraysTest, MessagesAreCheckedBeforeUse) {
  capnp::MallocMessageBuilder message;
  auto a = message.initRoot<rpc::Array>();
  NDArray x(numeric::DType::F64, {2, 3});
  x.data<double>()[4] = 1.5;
  toArray(x, a);
  auto back = fromArray(a.asReader());
  ASSERT_TRUE(bool(back));
  EXPECT_EQ(back->shape(), x.shape());
  EXPECT_EQ(back->data<double>()[4], 1.5);

  a.setDtype(200);
  auto badType = fromArray(a.asReader());
  EXPECT_FALSE(bool(badType));
  llvm::consumeError(badType.takeError());
  a.setDtype(static_cast<uint8_t>(numeric::DType::F64));

  a.getShape().set(0, -1);
  auto negative = fromArray(a.asReader());
  EXPECT_FALSE(bool(negative));
  llvm::consumeError(negative.takeError());

  a.getShape().set(0, int64_t(1) << 40); // Far more than the data holds.
  auto huge = fromArray(a.asReader());
  EXPECT_FALSE(bool(huge));
  llvm::consumeError(huge.takeError());

  a.getShape().set(0, 3); // 9 elements announced, 6 sent.
  auto shortData = fromArray(a.asReader());
  EXPECT_FALSE(bool(shortData));
  llvm::consumeError(shortData.takeError());
}

TEST(RpcArraysTest, ReceiverRejectsMalformedTransfers) {
  capnp::MallocMessageBuilder message;
  auto meta = message.initRoot<rpc::ObjectMeta>();
  auto arrays = meta.initArrays(1);
  arrays[0].setDtype(static_cast<uint8_t>(numeric::DType::F64));
  arrays[0].initShape(1).set(0, 4);
  // Announced 32 bytes: more than the object may hold.
  {
    ObjectReceiver r(16);
    EXPECT_ANY_THROW(r.start(meta.asReader()));
  }
  // Fewer bytes than announced, then too many.
  {
    ObjectReceiver r(32);
    r.start(meta.asReader());
    uint8_t bytes[40] = {};
    r.append(kj::arrayPtr(bytes, 16));
    EXPECT_ANY_THROW(r.finish());
  }
  {
    ObjectReceiver r(32);
    r.start(meta.asReader());
    uint8_t bytes[40] = {};
    EXPECT_ANY_THROW(r.append(kj::arrayPtr(bytes, 40)));
  }
  // Exactly right.
  {
    ObjectReceiver r(32);
    r.start(meta.asReader());
    uint8_t bytes[32] = {};
    bytes[8] = 0x40;
    r.append(kj::arrayPtr(bytes, 32));
    r.finish();
    auto data = r.take();
    ASSERT_TRUE(bool(data));
    EXPECT_EQ((*data)->chunk->nbytes(), 32u);
  }
}

} // namespace
