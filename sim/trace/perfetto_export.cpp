#include "trace/perfetto_export.h"

#include <cstdio>
#include <fstream>
#include <limits>

#include "core/json_object.h"
#include "trace/json_line.h"
#include "trace/trace_writer.h"

namespace dsim {
namespace {

constexpr int kPid = 1;
constexpr int kProcessTid = 0;  // the process's own metadata
constexpr int kClusterTid = 1;  // partitions, link windows; nodes get 2, 3, ...

// Microseconds with the nanoseconds as decimals: 899770871 ns -> 899770.871.
Json micros(int64_t t_ns) { return Json(static_cast<double>(t_ns) / 1000.0); }

std::string str(const Json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t u64(const Json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

std::string names(const Json& list) {
  if (list.is_string()) return list.get<std::string>();
  std::string out;
  for (const Json& n : list)
    out += (out.empty() ? "" : ",") + (n.is_string() ? n.get<std::string>() : n.dump());
  return out;
}

std::string partition_label(const Json& d) {
  if (d.contains("groups")) {
    std::string out = "partition";
    for (const Json& g : d["groups"]) out += " " + names(g) + " |";
    return out + " rest";
  }
  if (d.contains("from")) return "one-way " + names(d["from"]) + " -/-> " + names(d["to"]);
  if (d.contains("node")) return "isolate " + names(d["node"]);
  return "partition";
}

}  // namespace

PerfettoExporter::PerfettoExporter(std::function<void(std::string_view)> out)
    : out_(std::move(out)) {}

// Starts one Trace Event with the fields every event has; the caller adds the rest and
// hands it to emit(). Written straight into a reused buffer: no Json tree per event.
JsonLine PerfettoExporter::begin(char phase, int64_t t_ns, int tid, std::string_view name,
                                 const char* category) {
  JsonLine line(line_);
  line.add("ph", std::string_view(&phase, 1)).add("ts", micros(t_ns)).add("pid", kPid);
  line.add("tid", tid).add("name", name).add("cat", category);
  return line;
}

void PerfettoExporter::emit(JsonLine& line) { emit_text(line.finish()); }

void PerfettoExporter::emit(const Json& event) { emit_text(event.dump() + "\n"); }

void PerfettoExporter::emit_text(std::string_view text) {
  if (!first_event_) out_(",");
  first_event_ = false;
  out_(text);
  ++stats_.events_written;
}

int PerfettoExporter::tid_for(const std::string& node) {
  auto [it, added] = tids_.emplace(node, static_cast<int>(tids_.size()) + kClusterTid + 1);
  if (added) {
    emit_metadata(it->second, "thread_name", json_object("name", node));
    emit_metadata(it->second, "thread_sort_index", json_object("sort_index", it->second));
  }
  return it->second;
}

// Metadata ("M") carries every field an ordinary event has, as strict readers require:
// ts 0 (it describes the whole track), the category "__metadata" that Chrome itself uses.
void PerfettoExporter::emit_metadata(int tid, std::string_view name, Json args) {
  emit(json_object("ph", "M", "ts", 0, "pid", kPid, "tid", tid, "name", std::string(name),
                   "cat", "__metadata", "args", std::move(args)));
}

void PerfettoExporter::begin_document(const Json& header) {
  Json other = Json::object();
  for (const char* key : {"scenario", "file", "seed", "protocol", "variant", "scenario_hash"}) {
    if (header.contains(key)) other[key] = header[key];
  }
  out_("{\"displayTimeUnit\":\"ns\",\"otherData\":" + other.dump() + ",\"traceEvents\":[\n");
  started_ = true;
  std::string process = "dsim " + str(header, "scenario") + " seed " +
                        (header.contains("seed") ? header["seed"].dump() : "?");
  emit_metadata(kProcessTid, "process_name", json_object("name", process));
  emit_metadata(kClusterTid, "thread_name", json_object("name", "cluster (partitions, link windows)"));
  if (header.contains("nodes")) {
    for (const Json& n : header["nodes"]) tid_for(str(n, "name"));
  }
}

bool PerfettoExporter::consume(std::string_view line, std::string& error) {
  if (line.find_first_not_of(" \t\r\n") == std::string_view::npos) return true;
  ++stats_.lines_read;
  Json e = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (e.is_discarded() || !e.is_object()) {
    error = "line " + std::to_string(stats_.lines_read) + " is not a JSON object";
    return false;
  }
  if (!started_) {
    if (str(e, "ev") != "header" || str(e, "format") != "dsim-trace") {
      error =
          "not a dsim trace: the first line is not a {\"ev\":\"header\",\"format\":\"dsim-trace\"} "
          "line";
      return false;
    }
    begin_document(e);
    return true;
  }
  on_event(e);
  return true;
}

void PerfettoExporter::on_event(const Json& e) {
  std::string ev = str(e, "ev");
  int64_t t =
      e.contains("t_ns") && e["t_ns"].is_number_integer() ? e["t_ns"].get<int64_t>() : last_t_ns_;
  if (pending_send_ && !(ev == "drop" && u64(e, "id") == pending_send_->id)) flush_send();
  last_t_ns_ = std::max(last_t_ns_, t);
  if (ev == "send" || ev == "deliver" || ev == "drop" || ev == "duplicate") {
    on_message(ev, t, e);
  } else if (ev == "timer") {
    JsonLine x = begin('X', t, tid_for(str(e, "node")), "timer " + str(e, "kind"), "timer");
    x.add("dur", 0).add("args", json_object("arg", e.value("arg", Json())));
    emit(x);
  } else if (ev == "proto") {
    JsonLine i = begin('i', t, tid_for(str(e, "node")), str(e, "name"), "proto");
    i.add("s", "t");
    if (e.contains("data")) i.add("args", e["data"]);
    emit(i);
  } else if (ev == "violation") {
    JsonLine i = begin('i', t, kClusterTid, "VIOLATION " + str(e, "check"), "violation");
    i.add("s", "g").add("args", json_object("nodes", e.value("nodes", Json::array()),
                                            "message", str(e, "message"),
                                            "data", e.value("data", Json())));
    emit(i);
  } else if (ev == "summary") {
    JsonLine i =
        begin('i', t, kClusterTid,
              "run ended: " + str(e, "verdict") + " (" + str(e, "stopped_by") + ")", "run");
    i.add("s", "g");
    emit(i);
  } else {
    on_fault(ev, t, e);
  }
}

void PerfettoExporter::flush_send() {
  Send s = std::move(*pending_send_);
  pending_send_.reset();
  Json args = Json::object();
  args["id"] = s.id;
  if (!s.body.is_null()) args["body"] = std::move(s.body);
  JsonLine x = begin('X', s.t_ns, tid_for(s.from), "send " + s.msg + " to " + s.to, "msg");
  x.add("dur", 0).add("args", args);
  emit(x);
  JsonLine flow = begin('s', s.t_ns, tid_for(s.from), s.msg, "msg");
  flow.add("id", 2 * s.id);
  emit(flow);
  ++stats_.flows;
  in_flight_[s.id] = InFlight{s.from, s.to, s.msg, {2 * s.id}};
}

void PerfettoExporter::on_message(const std::string& ev, int64_t t, const Json& e) {
  uint64_t id = u64(e, "id");
  if (ev == "send") {
    pending_send_ =
        Send{t, str(e, "from"), str(e, "to"), str(e, "msg"), id, e.value("body", Json())};
  } else if (ev == "drop" && pending_send_) {  // lost on the way out: no arrow
    Json args = Json::object();
    args["id"] = id;
    args["reason"] = str(e, "reason");
    if (!pending_send_->body.is_null()) args["body"] = std::move(pending_send_->body);
    JsonLine x = begin(
        'X', t, tid_for(pending_send_->from),
        "drop " + pending_send_->msg + " to " + pending_send_->to + " (" + str(e, "reason") + ")",
        "drop");
    x.add("dur", 0).add("args", args);
    emit(x);
    pending_send_.reset();
  } else if (ev == "duplicate") {
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) return;  // its send fell outside a truncated trace
    JsonLine x = begin('X', t, tid_for(it->second.from), "duplicate " + it->second.msg, "msg");
    x.add("dur", 0);
    emit(x);
    JsonLine flow = begin('s', t, tid_for(it->second.from), it->second.msg, "msg");
    flow.add("id", 2 * id + 1);
    emit(flow);
    ++stats_.flows;
    it->second.flow_ids.push_back(2 * id + 1);
  } else {
    close_flow(ev, t, e);
  }
}

// A copy arrives, or is dropped on arrival: a slice on the receiver, and the arrow's end.
void PerfettoExporter::close_flow(const std::string& ev, int64_t t, const Json& e) {
  uint64_t id = u64(e, "id");
  std::string msg = str(e, "msg"), to = str(e, "to");
  std::string name =
      ev == "deliver" ? "recv " + msg + " from " + str(e, "from")
                      : "drop " + msg + " from " + str(e, "from") + " (" + str(e, "reason") + ")";
  JsonLine x = begin('X', t, tid_for(to), name, "msg");
  x.add("dur", 0).add("args", json_object("id", id));
  emit(x);
  auto it = in_flight_.find(id);
  if (it == in_flight_.end() || it->second.flow_ids.empty()) return;
  JsonLine flow = begin('f', t, tid_for(to), msg, "msg");
  flow.add("id", it->second.flow_ids.front()).add("bp", "e");
  emit(flow);
  it->second.flow_ids.erase(it->second.flow_ids.begin());
  if (it->second.flow_ids.empty()) in_flight_.erase(it);
}

void PerfettoExporter::close_node_slice(int64_t t, const std::string& node) {
  auto it = open_node_slice_.find(node);
  if (it == open_node_slice_.end()) return;
  JsonLine end = begin('E', t, tid_for(node), it->second, "fault");
  emit(end);
  open_node_slice_.erase(it);
}

void PerfettoExporter::on_node_state(const std::string& ev, int64_t t, const std::string& node,
                                     const Json& e) {
  if (ev == "crash" || ev == "pause") {
    close_node_slice(t, node);  // a crash ends a pause
    std::string name = ev == "crash" ? "crashed" : "paused";
    JsonLine b = begin('B', t, tid_for(node), name, "fault");
    if (e.contains("data")) b.add("args", e["data"]);
    emit(b);
    open_node_slice_[node] = name;
  } else if (ev == "restart" || ev == "resume") {
    if (open_node_slice_.count(node) != 0 &&
        open_node_slice_[node] == (ev == "restart" ? "crashed" : "paused")) {
      close_node_slice(t, node);
    }
    JsonLine i = begin('i', t, tid_for(node), ev, "fault");
    i.add("s", "t");
    if (e.contains("data")) i.add("args", e["data"]);
    emit(i);
  } else {  // clock_jump, clock_drift; stall, disk faults, syncs: a marker by their name
    const Json& d = e.value("data", Json::object());
    std::string name =
        ev == "clock_jump"   ? "clock jump " + std::to_string(d.value("by_ns", int64_t{0})) + "ns"
        : ev == "clock_drift" ? "clock drift " + std::to_string(d.value("drift_ppm", int64_t{0})) + "ppm"
                              : ev;
    JsonLine i = begin('i', t, tid_for(node), name, "fault");
    i.add("s", "t").add("args", d);
    emit(i);
  }
}

void PerfettoExporter::on_fault(const std::string& ev, int64_t t, const Json& e) {
  const Json& d = e.value("data", Json::object());
  if (e.contains("node")) {
    on_node_state(ev, t, str(e, "node"), e);
    return;
  }
  auto open = [&](const std::string& id, const std::string& name) {
    JsonLine b = begin('b', t, kClusterTid, name, "fault");
    b.add("id", id).add("args", d);
    emit(b);
    open_async_[id] = name;
  };
  auto close = [&](const std::string& id) {
    auto it = open_async_.find(id);
    if (it == open_async_.end()) return;
    JsonLine end = begin('e', t, kClusterTid, it->second, "fault");
    end.add("id", id);
    emit(end);
    open_async_.erase(it);
  };
  if (ev == "partition") {
    open("cut-" + std::to_string(u64(d, "cut")), partition_label(d));
  } else if (ev == "heal" && d.contains("cut")) {
    close("cut-" + std::to_string(u64(d, "cut")));
  } else if (ev == "heal") {  // every cut
    for (auto it = open_async_.begin(); it != open_async_.end();) {
      std::string id = (it++)->first;
      if (id.rfind("cut-", 0) == 0) close(id);
    }
  } else if (ev == "link_window_start") {
    open("link-" + std::to_string(u64(d, "window")),
         str(d, "action") + " " + names(d.value("from", Json::array())) + " -> " +
             names(d.value("to", Json::array())));
  } else if (ev == "link_window_end") {
    close("link-" + std::to_string(u64(d, "window")));
  }
}

void PerfettoExporter::finish() {
  if (!started_) begin_document(Json::object());
  if (pending_send_) flush_send();
  int64_t t = last_t_ns_;
  while (!open_node_slice_.empty()) close_node_slice(t, open_node_slice_.begin()->first);
  for (const auto& [id, name] : open_async_) {
    JsonLine end = begin('e', t, kClusterTid, name, "fault");
    end.add("id", id);
    emit(end);
  }
  open_async_.clear();
  for (const auto& [id, f] : in_flight_) {  // std::map: in id order, deterministic
    for (uint64_t flow_id : f.flow_ids) {
      JsonLine x =
          begin('X', t, tid_for(f.to), "in flight at end: " + f.msg + " from " + f.from, "msg");
      x.add("dur", 0);
      emit(x);
      JsonLine flow = begin('f', t, tid_for(f.to), f.msg, "msg");
      flow.add("id", flow_id).add("bp", "e");
      emit(flow);
      ++stats_.flows_in_flight_at_end;
    }
  }
  in_flight_.clear();
  out_("]}\n");
}

namespace {
bool is_perfetto_head(std::string_view head) {
  return head.rfind("{\"displayTimeUnit\":", 0) == 0 &&
         head.find("\"traceEvents\":[") != std::string_view::npos;
}
}  // namespace

const OutputKind kPerfettoOutput{"Perfetto trace", is_perfetto_head, /*stdout_allowed=*/false};

ExportStatus export_perfetto(const std::string& trace_path, const std::string& out_path,
                             PerfettoExportStats& stats, std::string& error) {
  std::ifstream in(trace_path, std::ios::binary);
  if (!in) {
    error = "cannot read " + trace_path;
    return ExportStatus::kBadInput;
  }
  std::unique_ptr<TraceWriter> writer =
      TraceWriter::open(out_path, std::numeric_limits<uint64_t>::max(), error);
  if (!writer) return ExportStatus::kIoError;
  PerfettoExporter exporter([&writer](std::string_view text) { writer->write_always(text); });
  auto give_up = [&](std::string why) {
    writer.reset();  // discards the unfinished output: nothing is left at OUT
    error = trace_path + ": " + why;
    return ExportStatus::kBadInput;
  };
  std::string line;
  while (std::getline(in, line)) {
    if (!exporter.consume(line, error)) return give_up(error);
  }
  if (in.bad()) return give_up("read error");
  exporter.finish();
  stats = exporter.stats();
  return writer->close(error) ? ExportStatus::kOk : ExportStatus::kIoError;
}

}  // namespace dsim
