//===- TlsFlags.cpp - The cluster tools' TLS flags ------------------------===//

#include "mars/Distributed/TlsFlags.h"

using namespace mars::dist;
namespace cl = llvm::cl;

TlsFlags::TlsFlags(cl::OptionCategory &category, llvm::StringRef what)
    : certHelp("TLS on " + what.str() +
               ": this process's certificate (PEM; else $MARS_TLS_CERT). "
               "Also trusted when no --tls-ca is given (a self-signed "
               "certificate shared by the cluster)"),
      cert("tls-cert", cl::desc(certHelp), cl::value_desc("FILE"),
           cl::cat(category)),
      key("tls-key",
          cl::desc("The private key of --tls-cert (PEM; else $MARS_TLS_KEY)"),
          cl::value_desc("FILE"), cl::cat(category)),
      ca("tls-ca",
         cl::desc("TLS: the certificates that sign the cluster's (PEM; else "
                  "$MARS_TLS_CA); the hosts dialled must be named in them"),
         cl::value_desc("FILE"), cl::cat(category)) {}
