// Converts a dsim JSON-lines trace into Chrome's Trace Event format (the JSON object form),
// which ui.perfetto.dev and chrome://tracing open.
//
// Layout: one process (the run); one thread track per node (thread_name = the node's name)
// plus a "cluster" track. Sends, deliveries, drops and timers are zero-length slices on the
// node's track; each message copy is a flow arrow ("s" at the send, "f" with "bp":"e" at the
// delivery or the drop on arrival), so duplicates are two arrows. Protocol events are thread
// instants. A crash or a pause is a slice on the node ("crashed", "paused") from the fault to
// the restart/resume; partitions and link windows are async slices on the cluster; clock
// changes are instants on the node; violations are global instants. Timestamps are in
// microseconds with nanosecond decimals. Every event, metadata ("M": process and thread
// names, thread order) included, has ph, ts, pid, tid, name and cat, which strict readers
// require (tests/analysis/test_perfetto_strict.py loads every export with one).
//
// Streaming: the input is read one line at a time and the output written as it goes, in
// trace order (so ts never decreases along a track). Memory grows only with the messages in
// flight at once, never with the length of the trace.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "output/output_file.h"
#include "trace/json_line.h"

namespace dsim {

struct PerfettoExportStats {
  uint64_t lines_read = 0;
  uint64_t events_written = 0;  // Trace Event objects, metadata included
  uint64_t flows = 0;           // arrows started (one per message copy that left its sender)
  uint64_t flows_in_flight_at_end = 0;  // closed at the trace's end, still travelling
};

class PerfettoExporter {
 public:
  // `out` receives the output document in pieces, in order.
  explicit PerfettoExporter(std::function<void(std::string_view)> out);

  // One line of the trace. Returns false and sets `error` on a line that is not a JSON
  // object, or when the first line is not a dsim trace header.
  bool consume(std::string_view line, std::string& error);
  // Closes what is still open at the trace's end (faults, flows) and the document.
  void finish();

  const PerfettoExportStats& stats() const { return stats_; }

 private:
  struct Send {  // a send line held back one line, to see whether the network dropped it
    int64_t t_ns;
    std::string from, to, msg;
    uint64_t id;
    Json body;
  };
  struct InFlight {
    std::string from, to, msg;
    std::vector<uint64_t> flow_ids;  // copies not yet delivered or dropped
  };

  void begin_document(const Json& header);
  int tid_for(const std::string& node);
  JsonLine begin(char phase, int64_t t_ns, int tid, std::string_view name, const char* category);
  void emit(JsonLine& line);
  void emit(const Json& event);
  void emit_metadata(int tid, std::string_view name, Json args);
  void emit_text(std::string_view text);
  void flush_send();
  void on_event(const Json& e);
  void on_message(const std::string& ev, int64_t t, const Json& e);
  void on_fault(const std::string& ev, int64_t t, const Json& e);
  void on_node_state(const std::string& ev, int64_t t, const std::string& node, const Json& e);
  void close_flow(const std::string& ev, int64_t t, const Json& e);
  void close_node_slice(int64_t t, const std::string& node);

  std::function<void(std::string_view)> out_;
  TextBuffer line_;  // the event being written, reused
  bool started_ = false;
  bool first_event_ = true;
  std::map<std::string, int> tids_;
  std::map<std::string, std::string> open_node_slice_;  // node -> "crashed" | "paused"
  std::map<std::string, std::string> open_async_;       // async id -> name
  std::map<uint64_t, InFlight> in_flight_;
  std::optional<Send> pending_send_;
  int64_t last_t_ns_ = 0;
  PerfettoExportStats stats_;
};

enum class ExportStatus { kOk, kBadInput, kIoError };

// An existing file at a Perfetto output path is replaced only if it is one dsim exported.
extern const OutputKind kPerfettoOutput;

// Converts the trace at `trace_path` into `out_path` (an OutputFile, moved into place when
// complete, like the trace itself). On failure returns why and sets `error`.
ExportStatus export_perfetto(const std::string& trace_path, const std::string& out_path,
                             PerfettoExportStats& stats, std::string& error);

}  // namespace dsim
