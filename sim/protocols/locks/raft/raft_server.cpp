#include "protocols/locks/raft/raft_server.h"

#include <algorithm>
#include <functional>

#include "protocols/locks/raft/raft_events.h"
#include "protocols/locks/raft/raft_records.h"
#include "protocols/locks/raft/raft_timers.h"

namespace dsim::locks::raft {

namespace {
constexpr size_t kMaxBatch = 64;  // entries per AppendEntries
}  // namespace

// ---- Log and disk.

bool RaftServer::persist_hard_state(Context& ctx) {
  if (ctx.storage().put(kHardStateKey, HardState{term_, voted_for_}) != DiskStatus::kOk) return false;
  last_write_ = ctx.storage().write_mark();
  return true;
}

bool RaftServer::append_entry(Context& ctx, int64_t index, const Entry& e) {
  if (ctx.storage().append(kLogName, LogRecord{index, e}) != DiskStatus::kOk) return false;
  last_write_ = ctx.storage().write_mark();
  log_.resize(static_cast<size_t>(index - 1));
  durable_index_ = std::min(durable_index_, index - 1);
  log_.push_back(e);
  ctx.trace(events::Appended{index, e.term, term_at(index - 1), e.command.digest()});
  return true;
}

bool RaftServer::make_durable(Context& ctx) {
  if (!ctx.storage().durable(last_write_)) ctx.storage().sync();
  if (!ctx.storage().durable(last_write_)) return false;
  durable_index_ = last_index();
  return true;
}

// ---- Start and recovery.

void RaftServer::on_start(Context& ctx) {
  sm_.set_lock_delay(s_.lock_delay);
  for (NodeId n : ctx.cluster().with_role("lock")) {
    if (n != ctx.self()) peers_.push_back(n);
  }
  if (const Payload* p = ctx.storage().get_record(kHardStateKey)) {
    if (const auto* hs = p->as<HardState>()) {
      term_ = hs->term;
      voted_for_ = hs->voted_for;
    }
  }
  // Replay the WAL: a record at an index already filled supersedes it and what follows.
  // A torn record fails its checksum and is dropped: it was the crash's last write, so
  // whatever follows it was appended after the restart (etcd's WAL repair cuts the tail).
  RecordLog records = ctx.storage().read_records(kLogName);
  for (size_t i = 0; i < records.size(); ++i) {
    if (records.torn(i)) continue;  // the last record the crash cut; what follows came after
    const auto* r = records[i].as<LogRecord>();
    if (r == nullptr || r->index < 1 || r->index > last_index() + 1) break;
    log_.resize(static_cast<size_t>(r->index - 1));
    log_.push_back(r->entry);
  }
  durable_index_ = last_index();
  last_write_ = ctx.storage().write_mark();
  if (ctx.incarnation() > 0) ctx.trace(events::Restored{term_, last_index(), term_at(last_index())});
  reset_election_timer(ctx);
}

// ---- Roles.

void RaftServer::reset_election_timer(Context& ctx) {
  ctx.cancel_timer(election_timer_);
  Duration timeout = s_.election_timeout + Duration{ctx.rng().uniform_int(0, s_.election_timeout.ns - 1)};
  election_timer_ = ctx.set_timer(timeout, RaftTimer::kElection);
}

void RaftServer::start_election(Context& ctx) {
  role_ = Role::kCandidate;
  ++term_;
  voted_for_ = ctx.self();
  leader_ = -1;
  votes_ = {ctx.self()};
  reset_election_timer(ctx);
  if (!persist_hard_state(ctx) || !make_durable(ctx)) return;  // try again at the next timeout
  if (static_cast<int>(votes_.size()) >= majority()) {
    become_leader(ctx);
    return;
  }
  for (NodeId p : peers_) ctx.send(p, RequestVote{term_, last_index(), term_at(last_index())});
}

void RaftServer::step_down(Context& ctx) {
  if (role_ == Role::kLeader) {
    ctx.trace(events::SteppedDown{term_});
    ctx.cancel_timer(heartbeat_timer_);
    pending_.clear();
    reads_.clear();
    watches_.clear();
    lease_deadline_.clear();
    revoking_.clear();
  }
  role_ = Role::kFollower;
}

void RaftServer::become_follower(Context& ctx, int64_t term) {
  step_down(ctx);
  if (term > term_) {
    term_ = term;
    voted_for_ = -1;
    leader_ = -1;
    persist_hard_state(ctx);
  }
  reset_election_timer(ctx);
}

void RaftServer::become_leader(Context& ctx) {
  role_ = Role::kLeader;
  leader_ = ctx.self();
  leader_since_ns_ = ctx.now().ns;
  ctx.cancel_timer(election_timer_);
  ctx.trace(events::BecameLeader{term_, last_index(), term_at(last_index())});
  peer_state_.clear();
  for (NodeId p : peers_) peer_state_[p] = Peer{last_index() + 1, 0, 0, INT64_MIN};
  // Every lease gets a full TTL from now: its holder may have kept it alive with the
  // old leader until just before this election.
  for (int64_t id : sm_.lease_ids()) lease_deadline_[id] = ctx.now() + Duration{sm_.lease_ttl_ns(id)};
  term_start_ = last_index() + 1;
  propose(ctx, Command{}, kNoNode, 0, Pending::kPut);
  ctx.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = ctx.set_timer(s_.heartbeat_interval, RaftTimer::kHeartbeat);
}

// ---- Replication.

void RaftServer::broadcast(Context& ctx) {
  ++seq_;
  for (NodeId p : peers_) send_append(ctx, p);
}

void RaftServer::send_append(Context& ctx, NodeId peer) {
  Peer& st = peer_state_[peer];
  AppendEntries m;
  m.term = term_;
  m.prev_index = st.next - 1;
  m.prev_term = term_at(m.prev_index);
  m.commit = commit_;
  m.seq = seq_;
  m.sent_ns = ctx.now().ns;
  for (int64_t i = st.next; i <= last_index() && m.entries.size() < kMaxBatch; ++i) m.entries.push_back(log_[i - 1]);
  ctx.send(peer, std::move(m));
}

bool RaftServer::propose(Context& ctx, Command c, NodeId client, int64_t req, Pending kind) {
  int64_t index = last_index() + 1;
  if (!append_entry(ctx, index, Entry{term_, std::move(c)})) return false;
  if (client != kNoNode) pending_[index] = PendingReply{client, req, kind};
  make_durable(ctx);
  advance_commit(ctx);
  broadcast(ctx);
  return true;
}

void RaftServer::advance_commit(Context& ctx) {
  if (role_ != Role::kLeader) return;
  for (int64_t n = last_index(); n > commit_; --n) {
    if (term_at(n) != term_) break;  // only entries of this term commit by counting (§5.4.2)
    int count = durable_index_ >= n ? 1 : 0;
    for (const auto& [p, st] : peer_state_) count += st.match >= n ? 1 : 0;
    if (count >= majority()) {
      commit_ = n;
      ctx.trace(events::Committed{term_, n, term_at(n)});
      apply_committed(ctx);
      return;
    }
  }
}

void RaftServer::apply_committed(Context& ctx) {
  while (applied_ < commit_) {
    const int64_t index = ++applied_;
    const Entry& e = log_[index - 1];
    const bool leader = role_ == Role::kLeader;
    ctx.trace(events::Applied{index, e.term, e.command.digest()});
    ApplyResult r = sm_.apply(ctx, index, e, index > first_applied_->through);
    first_applied_->through = std::max(first_applied_->through, index);
    if (!leader) continue;
    if (e.command.type == CommandType::kLeaseGrant) {
      lease_deadline_[r.lease] = ctx.now() + Duration{e.command.ttl_ns};
    } else if (e.command.type == CommandType::kLeaseRevoke) {
      lease_deadline_.erase(e.command.lease);
      revoking_.erase(e.command.lease);
    }
    for (const auto& [key, revision] : r.deleted) {
      auto w = watches_.find(key);
      if (w == watches_.end()) continue;
      for (const Watcher& x : w->second) ctx.send(x.client, KeyDeleted{x.req, revision});
      watches_.erase(w);
    }
    auto p = pending_.find(index);
    if (p == pending_.end()) continue;
    const PendingReply& pr = p->second;
    switch (pr.kind) {
      case Pending::kLeaseGrant:
        ctx.send(pr.client, LeaseGranted{pr.req, r.lease, e.command.ttl_ns});
        break;
      case Pending::kPut:
        ctx.send(pr.client, PutResult{pr.req, r.ok, r.create_rev, r.owner_rev});
        break;
      case Pending::kDelete:
        ctx.send(pr.client, KeyDeleteDone{pr.req});
        break;
      case Pending::kLockAcquire:
        ctx.send(pr.client, LockAcquireResult{pr.req, r.ok, r.held, false, r.create_rev});
        break;
      case Pending::kLockRelease:
        ctx.send(pr.client, LockReleased{pr.req});
        break;
    }
    pending_.erase(p);
  }
  serve_reads(ctx);
}

int64_t RaftServer::quorum_seq() const {
  std::vector<int64_t> seqs{seq_};
  for (const auto& [p, st] : peer_state_) seqs.push_back(st.acked_seq);
  std::sort(seqs.begin(), seqs.end(), std::greater<>());
  return seqs[static_cast<size_t>(majority() - 1)];
}

int64_t RaftServer::lease_start_ns(Context& ctx) const {
  std::vector<int64_t> sent{ctx.now().ns};
  for (const auto& [p, st] : peer_state_) sent.push_back(st.acked_sent_ns);
  std::sort(sent.begin(), sent.end(), std::greater<>());
  return sent[static_cast<size_t>(majority() - 1)];
}

bool RaftServer::leader_lease_valid(Context& ctx) const {
  int64_t start = lease_start_ns(ctx);
  return start != INT64_MIN && ctx.now().ns < start + s_.election_timeout.ns / 10 * 9;
}

// ---- Raft RPCs.

void RaftServer::on_request_vote(Context& ctx, NodeId from, const RequestVote& m) {
  // Leader stickiness (thesis §4.2.3): a follower that heard from its leader less than
  // an election timeout ago neither grants a vote nor takes up the new term.
  if (s_.leader_check && role_ == Role::kFollower && heard_leader_ && leader_ >= 0 &&
      ctx.now() - last_heard_leader_ < s_.election_timeout) {
    ctx.send(from, VoteReply{term_, false});
    return;
  }
  if (m.term > term_) become_follower(ctx, m.term);
  bool up_to_date = m.last_term > term_at(last_index()) ||
                    (m.last_term == term_at(last_index()) && m.last_index >= last_index());
  bool grant = m.term == term_ && (voted_for_ == -1 || voted_for_ == from) && up_to_date;
  if (grant) {
    voted_for_ = from;
    grant = persist_hard_state(ctx) && make_durable(ctx);
    if (grant) reset_election_timer(ctx);
  }
  ctx.send(from, VoteReply{term_, grant});
}

void RaftServer::on_vote_reply(Context& ctx, NodeId from, const VoteReply& m) {
  if (m.term > term_) {
    become_follower(ctx, m.term);
    return;
  }
  if (role_ != Role::kCandidate || m.term != term_ || !m.granted) return;
  votes_.insert(from);
  if (static_cast<int>(votes_.size()) >= majority()) become_leader(ctx);
}

void RaftServer::on_append(Context& ctx, NodeId from, const AppendEntries& m) {
  if (m.term < term_) {
    ctx.send(from, AppendReply{term_, false, last_index(), m.seq, m.sent_ns});
    return;
  }
  if (m.term > term_ || role_ != Role::kFollower) become_follower(ctx, m.term);
  else reset_election_timer(ctx);
  leader_ = from;
  heard_leader_ = true;
  last_heard_leader_ = ctx.now();
  if (m.prev_index > last_index() || term_at(m.prev_index) != m.prev_term) {
    int64_t hint = std::min(last_index(), m.prev_index - 1);
    ctx.send(from, AppendReply{term_, false, hint, m.seq, m.sent_ns});
    return;
  }
  int64_t index = m.prev_index;
  for (const Entry& e : m.entries) {
    ++index;
    if (index <= last_index() && term_at(index) == e.term) continue;
    if (!append_entry(ctx, index, e)) return;  // the disk refused: no answer
  }
  const int64_t matched = m.prev_index + static_cast<int64_t>(m.entries.size());
  if (m.commit > commit_) {
    commit_ = std::min(m.commit, matched);
    apply_committed(ctx);
  }
  if (!make_durable(ctx)) return;  // acknowledged once synced, when the leader resends
  ctx.send(from, AppendReply{term_, true, matched, m.seq, m.sent_ns});
}

void RaftServer::on_append_reply(Context& ctx, NodeId from, const AppendReply& m) {
  if (m.term > term_) {
    become_follower(ctx, m.term);
    return;
  }
  if (role_ != Role::kLeader || m.term != term_) return;
  Peer& st = peer_state_[from];
  st.acked_seq = std::max(st.acked_seq, m.seq);
  st.acked_sent_ns = std::max(st.acked_sent_ns, m.sent_ns);
  if (m.success) {
    st.match = std::max(st.match, m.match);
    st.next = st.match + 1;
    advance_commit(ctx);
  } else {
    st.next = std::max<int64_t>(1, std::min(st.next - 1, m.match + 1));
    send_append(ctx, from);
  }
  serve_reads(ctx);
}

void RaftServer::on_heartbeat(Context& ctx) {
  heartbeat_timer_ = ctx.set_timer(s_.heartbeat_interval, RaftTimer::kHeartbeat);
  // Check-quorum: a leader no majority has heard from for two election timeouts steps down.
  const int64_t heard = std::max(lease_start_ns(ctx), leader_since_ns_);
  if (s_.leader_check && !peers_.empty() && ctx.now().ns - heard > 2 * s_.election_timeout.ns) {
    step_down(ctx);
    leader_ = -1;
    reset_election_timer(ctx);
    return;
  }
  if (make_durable(ctx)) advance_commit(ctx);
  if (term_committed()) {
    std::vector<int64_t> expired;
    for (const auto& [id, deadline] : lease_deadline_) {
      if (deadline <= ctx.now() && revoking_.count(id) == 0) expired.push_back(id);
    }
    for (int64_t id : expired) {
      Command c;
      c.type = CommandType::kLeaseRevoke;
      c.lease = id;
      // A revoke the disk refused is proposed again at the next heartbeat.
      if (propose(ctx, std::move(c), kNoNode, 0, Pending::kPut)) revoking_.insert(id);
    }
  }
  broadcast(ctx);
}

// ---- Client requests.

void RaftServer::answer_read(Context& ctx, const Read& r) {
  WaitCheckResult out;
  out.req = r.req;
  out.exists = sm_.exists(r.key);
  int64_t prev_rev = 0;
  if (const std::string* prev = sm_.prev_below(r.below_rev, &prev_rev)) {
    out.prev_key = *prev;
    out.prev_rev = prev_rev;
  }
  ctx.send(r.client, std::move(out));
}

void RaftServer::serve_reads(Context& ctx) {
  if (reads_.empty()) return;
  const int64_t confirmed = quorum_seq();
  std::vector<Read> waiting;
  for (Read& r : reads_) {
    if (r.seq <= confirmed && r.read_index <= applied_) {
      answer_read(ctx, r);
    } else {
      waiting.push_back(std::move(r));
    }
  }
  reads_ = std::move(waiting);
}

bool RaftServer::on_client(Context& ctx, NodeId from, const Message& m) {
  const std::string& client = ctx.cluster().name(from);
  auto not_leader = [&](int64_t req, int64_t hint) { ctx.send(from, NotLeader{req, hint}); };
  if (const auto* x = m.as<LeaseGrantRequest>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    Command c;
    c.type = CommandType::kLeaseGrant;
    c.client = client;
    c.ttl_ns = x->ttl_ns;
    propose(ctx, std::move(c), from, x->req, Pending::kLeaseGrant);
  } else if (const auto* x = m.as<PutKey>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    Command c;
    c.type = CommandType::kPut;
    c.key = x->key;
    c.client = client;
    c.lease = x->lease;
    propose(ctx, std::move(c), from, x->req, Pending::kPut);
  } else if (const auto* x = m.as<DeleteKey>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    Command c;
    c.type = CommandType::kDelete;
    c.key = x->key;
    c.client = client;
    propose(ctx, std::move(c), from, x->req, Pending::kDelete);
  } else if (const auto* x = m.as<KeepAlive>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    // Until this term's no-op is applied the leader's lease table may be behind.
    if (!term_committed()) return not_leader(x->req, ctx.self()), true;
    if (s_.leader_check && !leader_lease_valid(ctx)) return not_leader(x->req, -1), true;
    int64_t ttl = sm_.lease_ttl_ns(x->lease);
    if (ttl > 0 && revoking_.count(x->lease) == 0) {
      lease_deadline_[x->lease] = ctx.now() + Duration{ttl};
    } else {
      ttl = 0;
    }
    ctx.send(from, KeepAliveReply{x->req, x->lease, ttl});
  } else if (const auto* x = m.as<WaitCheck>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    Read r{from, x->req, x->key, x->below_rev, 0, 0};
    if (!s_.leader_check) {
      answer_read(ctx, r);  // the mistake: from its own state, whatever it is now
      return true;
    }
    if (!term_committed()) return not_leader(x->req, ctx.self()), true;
    r.read_index = commit_;
    r.seq = seq_ + 1;
    reads_.push_back(std::move(r));
    broadcast(ctx);  // the heartbeat round that confirms the read index
    serve_reads(ctx);
  } else if (const auto* x = m.as<LockAcquire>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    if (!term_committed()) return not_leader(x->req, ctx.self()), true;
    if (sm_.in_lock_delay(ctx.now())) {  // Consul's KVS endpoint: refused, nothing proposed
      ctx.send(from, LockAcquireResult{x->req, false, false, true, 0});
      return true;
    }
    Command c;
    c.type = CommandType::kLockAcquire;
    c.key = x->owner;
    c.client = client;
    c.lease = x->session;
    propose(ctx, std::move(c), from, x->req, Pending::kLockAcquire);
  } else if (const auto* x = m.as<LockRelease>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    Command c;
    c.type = CommandType::kLockRelease;
    c.key = x->owner;
    c.client = client;
    c.lease = x->session;
    propose(ctx, std::move(c), from, x->req, Pending::kLockRelease);
  } else if (const auto* x = m.as<WatchKey>()) {
    if (role_ != Role::kLeader) return not_leader(x->req, leader_), true;
    if (!sm_.exists(x->key)) {
      ctx.send(from, KeyDeleted{x->req, 0});
    } else {
      watches_[x->key].push_back(Watcher{from, x->req});
    }
  } else {
    return false;
  }
  return true;
}

void RaftServer::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* x = m.as<AppendEntries>()) {
    on_append(ctx, from, *x);
  } else if (const auto* x = m.as<AppendReply>()) {
    on_append_reply(ctx, from, *x);
  } else if (const auto* x = m.as<RequestVote>()) {
    on_request_vote(ctx, from, *x);
  } else if (const auto* x = m.as<VoteReply>()) {
    on_vote_reply(ctx, from, *x);
  } else {
    on_client(ctx, from, m);
  }
}

void RaftServer::on_timer(Context& ctx, const Timer& t) {
  if (t.is(RaftTimer::kElection)) {
    if (t.id == election_timer_ && role_ != Role::kLeader) start_election(ctx);
  } else if (t.is(RaftTimer::kHeartbeat)) {
    if (t.id == heartbeat_timer_ && role_ == Role::kLeader) on_heartbeat(ctx);
  }
}

}  // namespace dsim::locks::raft
