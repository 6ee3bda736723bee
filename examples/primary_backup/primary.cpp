// The primary: orders the writes (versions 1, 2, ...), copies each to the backup, and
// confirms a write once the backup holds its version (or at once, with the mistake).
#include <map>

#include "core/process.h"
#include "messages.h"
#include "primary_backup.h"

namespace primary_backup {
namespace {

using dsim::Context;
using dsim::Message;
using dsim::NodeId;

class Primary final : public dsim::Process {
 public:
  Primary(const Settings& s, NodeId backup) : s_(s), backup_(backup) {}
  void on_start(Context&) override {}
  void on_message(Context& ctx, NodeId from, const Message& m) override {
    if (const auto* w = m.as<Write>()) {
      ++version_;
      ctx.send(backup_, Replicate{version_, w->value});
      if (s_.ack_before_backup) {
        ctx.send(from, WriteOk{w->op, version_});  // the mistake: the backup may not have it yet
      } else {
        waiting_[version_] = {from, w->op};
      }
    } else if (const auto* a = m.as<ReplicateAck>()) {
      // The backup holds a->version or later, so every write up to it is safe to confirm.
      while (!waiting_.empty() && waiting_.begin()->first <= a->version) {
        auto [version, who] = *waiting_.begin();
        ctx.send(who.client, WriteOk{who.op, version});
        waiting_.erase(waiting_.begin());
      }
    }
  }
  void on_timer(Context&, const dsim::Timer&) override {}

 private:
  struct Waiting {
    NodeId client;
    int64_t op;
  };
  Settings s_;
  NodeId backup_;
  int64_t version_ = 0;
  std::map<int64_t, Waiting> waiting_;  // by version: confirmed in version order
};

}  // namespace

std::unique_ptr<dsim::Process> make_primary(const Settings& s, NodeId backup) {
  return std::make_unique<Primary>(s, backup);
}

}  // namespace primary_backup
