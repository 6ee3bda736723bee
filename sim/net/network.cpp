#include "net/network.h"

#include <algorithm>

namespace dsim {

const char* to_string(DropReason r) {
  switch (r) {
    case DropReason::kNone:
      return "none";
    case DropReason::kLoss:
      return "loss";
    case DropReason::kPartition:
      return "partition";
    case DropReason::kNodeDown:
      return "node_down";
  }
  return "?";
}

Network::Network(size_t node_count, LinkConfig defaults, std::vector<LinkRule> rules,
                 uint64_t seed, const std::vector<std::string>& node_names)
    : defaults_(std::move(defaults)), rules_(std::move(rules)) {
  rng_by_sender_.reserve(node_count);
  for (size_t i = 0; i < node_count; ++i) {
    rng_by_sender_.push_back(Rng::stream(seed, "net/" + node_names[i]));
  }
}

const LinkConfig& Network::config_for(NodeId from, NodeId to) const {
  for (const LinkRule& r : rules_) {
    if (r.from.contains(from) && r.to.contains(to)) return r.config;
  }
  return defaults_;
}

RouteResult Network::route(NodeId from, NodeId to) {
  RouteResult out;
  if (blocked(from, to)) {
    out.dropped = DropReason::kPartition;
    return out;
  }
  const LinkConfig& cfg = rules_.empty() ? defaults_ : config_for(from, to);
  Rng& rng = rng_by_sender_[from];
  double keep = 1.0 - cfg.loss;
  Duration extra = Duration::zero();
  for (const Active<LinkWindow>& w : windows_.items) {
    if (w.live && w.item.from.contains(from) && w.item.to.contains(to)) {
      keep *= 1.0 - w.item.extra_loss;
      extra += w.item.extra_latency;
    }
  }
  if (keep < 1.0 && !rng.bernoulli(keep)) {
    out.dropped = DropReason::kLoss;
    return out;
  }
  out.copies = cfg.duplicate > 0 && rng.bernoulli(cfg.duplicate) ? 2 : 1;
  for (int i = 0; i < out.copies; ++i) out.latency[i] = cfg.latency.sample(rng) + extra;
  return out;
}

template <typename T>
bool Network::ActiveList<T>::remove(uint64_t id) {
  auto it = std::lower_bound(items.begin(), items.end(), id,
                             [](const Active<T>& a, uint64_t v) { return a.id < v; });
  if (it == items.end() || it->id != id || !it->live) return false;
  it->live = false;
  --live;
  if (2 * live < items.size()) {
    items.erase(std::remove_if(items.begin(), items.end(), [](const Active<T>& a) { return !a.live; }),
                items.end());
  }
  return true;
}

uint64_t Network::add_cut(Cut cut) { return cuts_.add(next_id_++, std::move(cut)); }

bool Network::remove_cut(uint64_t id) { return cuts_.remove(id); }

size_t Network::remove_all_cuts() { return cuts_.clear(); }

uint64_t Network::add_window(LinkWindow window) { return windows_.add(next_id_++, std::move(window)); }

bool Network::remove_window(uint64_t id) { return windows_.remove(id); }

}  // namespace dsim
