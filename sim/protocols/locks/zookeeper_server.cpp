#include "protocols/locks/zookeeper_server.h"

#include "protocols/locks/events.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/timers.h"
#include "protocols/locks/zookeeper_records.h"

namespace dsim::locks {

void ZookeeperServer::on_start(Context& ctx) {
  load(ctx);
  for (const auto& [id, session] : sessions_) arm_session(ctx, id);
  update_head(ctx, /*restored=*/true);
}

void ZookeeperServer::persist(Context& ctx) {
  rec::ZookeeperState state;
  state.next_seq = next_seq_;
  state.next_session = next_session_;
  state.sessions.reserve(sessions_.size());
  for (const auto& [id, s] : sessions_) state.sessions.push_back({id, s.client});
  state.entries.reserve(entries_.size());
  for (const auto& [seq, e] : entries_) state.entries.push_back({seq, e.session, e.owner, e.tag, e.client});
  ctx.storage().put("zk", std::move(state));
  ctx.storage().sync();
}

void ZookeeperServer::load(Context& ctx) {
  const Payload* record = ctx.storage().get_record("zk");
  if (record == nullptr) return;
  const auto* saved = record->as<rec::ZookeeperState>();
  next_seq_ = saved->next_seq;
  next_session_ = saved->next_session;
  for (const auto& s : saved->sessions) sessions_[s.id] = Session{s.client};
  for (const auto& e : saved->entries) entries_[e.seq] = Entry{e.session, e.owner, e.tag, e.client};
}

void ZookeeperServer::arm_session(Context& ctx, int64_t id) {
  auto it = session_timers_.find(id);
  if (it != session_timers_.end()) ctx.cancel_timer(it->second);
  session_timers_[id] = ctx.set_timer(s_.session_timeout, LockTimer::kSessionExpiry, id);
}

void ZookeeperServer::expire_session(Context& ctx, int64_t id, const char* cause) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  ctx.trace(events::SessionExpired{id, ctx.cluster().name(it->second.client), cause});
  sessions_.erase(it);
  auto timer = session_timers_.find(id);
  if (timer != session_timers_.end()) {
    ctx.cancel_timer(timer->second);
    session_timers_.erase(timer);
  }
  std::vector<int64_t> doomed;
  for (const auto& [seq, e] : entries_) {
    if (e.session == id) doomed.push_back(seq);
  }
  for (int64_t seq : doomed) remove_entry(ctx, seq, "session_expired");
  persist(ctx);
  update_head(ctx);
}

void ZookeeperServer::create(Context& ctx, NodeId from, const Create& c) {
  int64_t session = c.session;
  int64_t req = c.req;
  auto it = sessions_.find(session);
  if (it == sessions_.end()) {
    ctx.send(from, SessionExpired{session, req});
    return;
  }
  Session& s = it->second;
  int64_t seq = s.last_create_seq;
  if (s.last_create_req != req) {
    seq = next_seq_++;
    s.last_create_req = req;
    s.last_create_seq = seq;
    Entry e{session, c.owner, std::string(c.tag()), from};
    ctx.trace(events::EntryCreated{seq, e.owner, ctx.cluster().name(from), session});
    entries_[seq] = std::move(e);
    persist(ctx);
    notify_parent_watchers(ctx, ChildrenChanged{});
    update_head(ctx);
  }
  ctx.send(from, Created{seq, c.owner, session, req});
}

void ZookeeperServer::remove_entry(Context& ctx, int64_t seq, const char* cause, const std::string& by,
                                   NodeId by_client) {
  auto it = entries_.find(seq);
  if (it == entries_.end()) return;
  Entry e = std::move(it->second);
  entries_.erase(it);
  const std::string& client = ctx.cluster().name(e.client);
  ctx.trace(events::EntryDeleted{seq, e.owner, client, cause});
  if (seq == head_) {
    head_ = 0;
    events::Freed f{e.owner, client, cause, seq};
    if (by_client != kNoNode) {
      f.by = by;
      f.by_client = ctx.cluster().name(by_client);
    }
    ctx.trace(f);
  }
  auto watchers = entry_watchers_.find(seq);
  if (watchers != entry_watchers_.end()) {
    for (NodeId w : watchers->second) notify(ctx, w, WatchFired{seq, seq});
    entry_watchers_.erase(watchers);
  }
  notify_parent_watchers(ctx, ChildrenChanged{/*deleted=*/true, seq});
}

void ZookeeperServer::notify_parent_watchers(Context& ctx, const ChildrenChanged& change) {
  for (NodeId w : parent_watchers_) notify(ctx, w, change);
  parent_watchers_.clear();
}

template <typename Notice>
void ZookeeperServer::notify(Context& ctx, NodeId client, Notice notice) {
  notice.notice = ++notified_[client];
  ctx.send(client, std::move(notice));
}

void ZookeeperServer::update_head(Context& ctx, bool restored) {
  int64_t lowest = entries_.empty() ? 0 : entries_.begin()->first;
  if (lowest == head_) return;
  head_ = lowest;
  if (head_ == 0) return;
  const Entry& e = entries_.begin()->second;
  events::Grant grant{e.owner, ctx.cluster().name(e.client), head_};
  grant.restored = restored;
  ctx.trace(grant);
}

void ZookeeperServer::on_message(Context& ctx, NodeId from, const Message& m) {
  if (const auto* open = m.as<OpenSession>()) {
    int64_t id = next_session_++;
    sessions_[id] = Session{from};
    persist(ctx);
    arm_session(ctx, id);
    ctx.trace(events::SessionOpened{id, ctx.cluster().name(from)});
    ctx.send(from, SessionOpened{id, ctx.incarnation(), open->req});
  } else if (const auto* ping = m.as<Ping>()) {
    int64_t id = ping->session;
    if (sessions_.count(id) == 0) {
      ctx.send(from, SessionExpired{id, std::nullopt});
      return;
    }
    arm_session(ctx, id);
    ctx.send(from, Pong{id, ctx.incarnation(), notified_[from]});
  } else if (const auto* create_request = m.as<Create>()) {
    create(ctx, from, *create_request);
  } else if (const auto* list = m.as<List>()) {
    Children children;
    children.entries.reserve(entries_.size());
    for (const auto& [seq, e] : entries_) children.entries.push_back(ChildEntry{seq, e.tag, e.session});
    children.req = list->req;
    if (list->watch) parent_watchers_.insert(from);
    ctx.send(from, std::move(children));
  } else if (const auto* exists = m.as<Exists>()) {
    int64_t seq = exists->seq;
    bool found = entries_.count(seq) != 0;
    if (found && exists->watch) entry_watchers_[seq].insert(from);
    ctx.send(from, ExistsResult{seq, found, exists->req});
  } else if (const auto* del = m.as<Delete>()) {
    int64_t seq = del->seq;
    if (entries_.count(seq) != 0) {
      remove_entry(ctx, seq, "delete", del->owner, from);
      persist(ctx);
      update_head(ctx);
    }
    ctx.send(from, Deleted{seq});  // gone, either way
  }
}

void ZookeeperServer::on_timer(Context& ctx, const Timer& t) {
  if (!t.is(LockTimer::kSessionExpiry)) return;
  auto it = session_timers_.find(t.arg);
  if (it == session_timers_.end() || it->second != t.id) return;
  session_timers_.erase(it);
  expire_session(ctx, t.arg, "timeout");
}

}  // namespace dsim::locks
