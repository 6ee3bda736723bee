#include "protocols/locks/checks/exclusion_check.h"

#include "core/json_object.h"

namespace dsim::locks {

void ExclusionCheck::observe(const Observation& o, CheckerView& view) {
  shared_->observe(o, view.cluster());
  if (!o.from_protocol) return;
  if (const auto* w = o.as<events::WriteAccepted>()) accepted(o, *w, view);
  if (const auto* w = o.as<events::WriteRejected>()) rejected(*w);
}

void ExclusionCheck::accepted(const Observation& o, const events::WriteAccepted& w, CheckerView& view) {
  ++writes_accepted_;
  const LockGrant* g = ledger_.find(w.owner);
  if (g == nullptr || (newest_written_ && g->order < *newest_written_)) {
    report(o, w, g, view);
    return;
  }
  if (ledger_.latest()->order > g->order) ++late_accepted_;
  if (!newest_written_ || g->order > *newest_written_) newest_written_ = g->order;
}

void ExclusionCheck::report(const Observation& o, const events::WriteAccepted& w, const LockGrant* g,
                            CheckerView& view) {
  const std::string owner(w.owner);
  const std::string writer(w.client);
  const std::string resource = view.cluster().name(o.node);
  const std::string n = std::to_string(w.n);
  if (g == nullptr) {
    ++ungranted_accepted_;
    const LockGrant* holder = ledger_.latest();
    Violation v;
    v.check = "exclusion";
    v.at = o.at;
    v.nodes = {writer};
    if (holder != nullptr) v.nodes.push_back(holder->client);
    v.nodes.push_back(resource);
    v.message = resource + " accepted write #" + n + " from " + writer + " (" +
                owner + "), which the lock servers never granted the lock" +
                (holder ? "; the lock was " + holder->client + "'s (" + holder->owner + ")" : "");
    v.details = json_object("writer", writer,
                            "writer_owner", owner,
                            "write", events::fields_of(w),
                            "holder_owner", holder ? Json(holder->owner) : Json(nullptr));
    view.report(std::move(v));
    return;
  }
  {
    ++stale_accepted_;
    const LockGrant& newer = ledger_.grant(*newest_written_);
    Violation v;
    v.check = "exclusion";
    v.at = o.at;
    v.nodes = {writer, newer.client, resource};
    v.message = resource + " accepted write #" + n + " from " + writer + " (" + owner +
                ", granted at " + format_duration(Duration{g->at.ns}) + ") after accepting writes from " +
                newer.client + " (" + newer.owner + ", granted later, at " +
                format_duration(Duration{newer.at.ns}) + "): " + writer + "'s lock had been superseded";
    v.details = json_object("writer", writer,
                            "writer_owner", owner,
                            "writer_grant_ns", g->at.ns,
                            "writer_token", g->token ? Json(*g->token) : Json(nullptr),
                            "superseded_by", newer.client,
                            "superseded_by_owner", newer.owner,
                            "superseding_grant_ns", newer.at.ns,
                            "superseding_token", newer.token ? Json(*newer.token) : Json(nullptr),
                            "write", events::fields_of(w));
    view.report(std::move(v));
  }
}

void ExclusionCheck::rejected(const events::WriteRejected& w) {
  const LockGrant* g = ledger_.find(w.owner);
  if (g == nullptr) {
    ++ungranted_rejected_;
  } else if (newest_written_ && g->order < *newest_written_) {
    ++stale_rejected_;
  } else {
    ++valid_rejected_;
  }
}

void ExclusionCheck::write_metrics(Json& out) const {
  out["writes_accepted"] = writes_accepted_;
  out["stale_writes_accepted"] = stale_accepted_;
  out["ungranted_writes_accepted"] = ungranted_accepted_;
  out["late_writes_accepted"] = late_accepted_;
  out["stale_writes_rejected"] = stale_rejected_;
  out["ungranted_writes_rejected"] = ungranted_rejected_;
  out["valid_writes_rejected"] = valid_rejected_;
  out["lock_grants"] = ledger_.size();
}

}  // namespace dsim::locks
