//===- TlsFlags.h - The cluster tools' TLS flags -----------------*- C++ -*-===//
//
// --tls-cert, --tls-key and --tls-ca, the same in mars-scheduler,
// mars-worker and mars-run (TlsFiles says what each is for).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_DISTRIBUTED_TLSFLAGS_H
#define MARS_DISTRIBUTED_TLSFLAGS_H

#include "mars/Distributed/Cluster.h"

#include "llvm/Support/CommandLine.h"

namespace mars::dist {

struct TlsFlags {
  /// Registers the flags in `category`; `what` says whose connections they
  /// encrypt ("the scheduler's port and dashboard", ...).
  TlsFlags(llvm::cl::OptionCategory &category, llvm::StringRef what);
  TlsFiles files() const { return {cert, key, ca}; }

private:
  /// The --tls-cert help text (cl::desc keeps a pointer to it).
  std::string certHelp;

public:
  llvm::cl::opt<std::string> cert, key, ca;
};

} // namespace mars::dist

#endif // MARS_DISTRIBUTED_TLSFLAGS_H
