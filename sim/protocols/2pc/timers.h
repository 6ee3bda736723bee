// The timer kinds of the 2PC family. A timer's argument is a transaction's handle
// (tx_table.h), a script index (client "script") or a request's handle (client
// "timeout"); timer_name() is the kind the trace shows.
#pragma once

#include <cstdint>
#include <string_view>

namespace dsim::twopc {

enum class TxTimer : uint32_t {
  // client
  kScript,   // a scripted request is due
  kNext,     // the next random request is due
  kTimeout,  // a request's answer is overdue
  // participant
  kWorkDone,      // the execution phase's work is finished
  kWorkTimeout,   // executed but never asked to prepare
  kDecisionWait,  // prepared and no decision yet
  kHeuristic,     // the heuristic-abort mistake
  kTermination,   // 3PC: the termination round's answers are in
  // coordinator
  kVoteTimeout,  // votes (or execution answers) missing
  kResend,       // decision not acknowledged by everyone
  kFlush,        // the lazy decision log's group commit
  kAckTimeout,   // 3PC: pre-commit acks missing
  kPaxosRetry,   // Paxos Commit: lead a higher ballot again
  // coordinator and participant
  kLogRetry,  // a forced log write failed or is not yet durable: try or look again
};

inline std::string_view timer_name(TxTimer k) {
  switch (k) {
    case TxTimer::kScript:
      return "script";
    case TxTimer::kNext:
      return "next";
    case TxTimer::kTimeout:
      return "timeout";
    case TxTimer::kWorkDone:
      return "work_done";
    case TxTimer::kWorkTimeout:
      return "work_timeout";
    case TxTimer::kDecisionWait:
      return "decision_wait";
    case TxTimer::kHeuristic:
      return "heuristic";
    case TxTimer::kTermination:
      return "termination";
    case TxTimer::kVoteTimeout:
      return "vote_timeout";
    case TxTimer::kResend:
      return "resend";
    case TxTimer::kFlush:
      return "flush";
    case TxTimer::kAckTimeout:
      return "ack_timeout";
    case TxTimer::kPaxosRetry:
      return "paxos_retry";
    case TxTimer::kLogRetry:
      return "log_retry";
  }
  return "?";
}

}  // namespace dsim::twopc
