// The backup: keeps the highest version copied to it and serves the clients' reads.
#include "core/process.h"
#include "messages.h"
#include "primary_backup.h"

namespace primary_backup {
namespace {

using dsim::Context;
using dsim::Message;
using dsim::NodeId;

class Backup final : public dsim::Process {
 public:
  void on_start(Context&) override {}
  void on_message(Context& ctx, NodeId from, const Message& m) override {
    if (const auto* r = m.as<Replicate>()) {
      // Copies may arrive out of order: keep the latest version only.
      if (r->version > version_) {
        version_ = r->version;
        value_ = r->value;
      }
      ctx.send(from, ReplicateAck{version_});
    } else if (const auto* r = m.as<Read>()) {
      ctx.send(from, ReadOk{r->op, version_, value_});
    }
  }
  void on_timer(Context&, const dsim::Timer&) override {}

 private:
  int64_t version_ = 0, value_ = 0;
};

}  // namespace

std::unique_ptr<dsim::Process> make_backup() { return std::make_unique<Backup>(); }

}  // namespace primary_backup
