#include "protocols/locks/raft/lock_state_machine.h"

#include "protocols/locks/events.h"

namespace dsim::locks::raft {

namespace lockev = ::dsim::locks::events;

int64_t LockStateMachine::lease_ttl_ns(int64_t lease) const {
  auto it = leases_.find(lease);
  return it == leases_.end() ? 0 : it->second.ttl_ns;
}

std::vector<int64_t> LockStateMachine::lease_ids() const {
  std::vector<int64_t> ids;
  for (const auto& [id, lease] : leases_) ids.push_back(id);
  return ids;
}

const std::string* LockStateMachine::prev_below(int64_t rev, int64_t* prev_rev) const {
  auto it = keys_.lower_bound(rev);
  if (it == keys_.begin()) return nullptr;
  --it;
  *prev_rev = it->first;
  return &it->second.owner;
}

void LockStateMachine::announce_owner(Context& ctx, bool announce) {
  if (keys_.empty() || keys_.begin()->first == owner_rev_) return;
  const auto& [rev, key] = *keys_.begin();
  owner_rev_ = rev;
  if (announce) ctx.trace(lockev::Grant{key.owner, key.client, rev, std::nullopt, false, false});
}

void LockStateMachine::erase(Context& ctx, const std::string& key, const char* cause, bool announce,
                             ApplyResult& r) {
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return;
  const int64_t rev = found->second;
  auto it = keys_.find(rev);
  ++revision_;
  r.deleted.emplace_back(key, revision_);
  if (rev == owner_rev_) {
    if (announce) ctx.trace(lockev::Freed{it->second.owner, it->second.client, cause, revision_, {}, {}});
    owner_rev_ = 0;
  }
  auto lease = leases_.find(it->second.lease);
  if (lease != leases_.end()) lease->second.keys.erase(key);
  keys_.erase(it);
  by_key_.erase(found);
  announce_owner(ctx, announce);
}

ApplyResult LockStateMachine::apply(Context& ctx, int64_t index, const Entry& e, bool announce) {
  ApplyResult r;
  const Command& c = e.command;
  switch (c.type) {
    case CommandType::kNoop:
      break;
    case CommandType::kLeaseGrant:
      // The entry's index names the lease: unique, and the same on every replica.
      leases_[index] = Lease{c.ttl_ns, {}};
      r.lease = index;
      break;
    case CommandType::kPut: {
      auto lease = leases_.find(c.lease);
      if (lease == leases_.end()) {
        r.ok = false;
        break;
      }
      auto found = by_key_.find(c.key);
      if (found == by_key_.end()) {
        ++revision_;
        keys_[revision_] = Key{c.key, c.client, c.lease};
        by_key_[c.key] = revision_;
        lease->second.keys.insert(c.key);
        r.create_rev = revision_;
        announce_owner(ctx, announce);
      } else {
        r.create_rev = found->second;  // a retried put: the key as it is
      }
      r.owner_rev = keys_.begin()->first;
      break;
    }
    case CommandType::kDelete:
      erase(ctx, c.key, "release", announce, r);
      break;
    case CommandType::kLeaseRevoke: {
      auto lease = leases_.find(c.lease);
      if (lease == leases_.end()) break;
      std::set<std::string> keys = lease->second.keys;
      for (const std::string& key : keys) erase(ctx, key, "expired", announce, r);
      leases_.erase(c.lease);
      if (lock_.session == c.lease) {  // Consul: the session's lock goes, then lock-delay
        if (announce) ctx.trace(lockev::Freed{lock_.owner, lock_.client, "session_invalidated", std::nullopt, {}, {}});
        lock_ = ConsulLock{};
        delay_until_ = ctx.now() + lock_delay_;
      }
      break;
    }
    case CommandType::kLockAcquire:
      if (leases_.count(c.lease) == 0) {
        r.ok = false;
      } else if (lock_.session == 0) {
        lock_ = ConsulLock{c.lease, c.key, c.client, ++lock_index_};
        r.create_rev = lock_.index;
        if (announce) ctx.trace(lockev::Grant{lock_.owner, lock_.client, lock_.index, std::nullopt, false, false});
      } else if (lock_.session == c.lease && lock_.owner == c.key) {
        r.create_rev = lock_.index;  // a retried acquire
      } else {
        r.ok = false;
        r.held = true;
      }
      break;
    case CommandType::kLockRelease:
      if (lock_.session == c.lease && lock_.owner == c.key) {
        if (announce) ctx.trace(lockev::Freed{lock_.owner, lock_.client, "release", std::nullopt, {}, {}});
        lock_ = ConsulLock{};
      }
      break;
  }
  return r;
}

}  // namespace dsim::locks::raft
