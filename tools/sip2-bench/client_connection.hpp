// One benchmark connection: connect, log in, then send on reply (closed loop) or on schedule.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "patron_choice.hpp"
#include "reply_check.hpp"
#include "request_set.hpp"
#include "run_control.hpp"
#include "sip2/framer.hpp"
#include "workload.hpp"

namespace bench {

class Worker;

/// A callback-driven state machine on its worker's io_context (one thread, no locks).
/// At most one request is outstanding. Transport errors (connect failed or timed out, closed by
/// the server, response timeout) close the socket and reconnect after 100 ms, at most
/// --max-reconnects times per connection, then the connection stops; a refused login stops it at
/// once. Reply errors (undecodable, bad checksum, wrong type, sequence mismatch, 96) are counted
/// and the connection carries on: the stream is still in step, one reply per request.
class ClientConnection {
 public:
  ClientConnection(Worker& worker, std::size_t index);
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  /// Opens the connection (ramp-up or reconnect).
  void connect();
  /// The warm-up starts at `now`: send once logged in.
  void begin_load(Clock::time_point now);
  /// Resets the connection (no TIME_WAIT left behind) and stops.
  void stop();
  /// Called by the worker's sweep: connect and response timeouts.
  void check_timeout(Clock::time_point now);

 private:
  enum class State { closed, connecting, logging_in, ready, waiting, stopped };

  void on_connected(const std::error_code& ec);
  void wait_readable();
  void on_readable();
  void on_reply(std::string_view frame);
  void become_ready(Clock::time_point now);
  void continue_load(Clock::time_point now);
  void send(MessageKind kind, Clock::time_point scheduled);
  /// Puts the body of `kind` into out_, naming the picked patron; false when the pass is over.
  bool encode(MessageKind kind);
  void pass_request_done();
  void write();
  void arm_send_timer();
  void fail(ErrorKind kind);
  void give_up();
  void close_socket();

  Worker& worker_;
  std::size_t index_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;  ///< the open-loop or keepalive schedule, or the reconnect delay
  sip2::Framer framer_;
  RequestSet requests_;
  MixCursor cursor_;
  PatronPicker picker_;  ///< the patron of each request, unless the choice is fixed
  std::string out_;
  State state_ = State::closed;
  std::uint32_t generation_ = 0;  ///< bumped on close: handlers of an older socket do nothing
  bool load_started_ = false;
  bool ramp_reported_ = false;   ///< told the worker's ramp once (up or given up)
  bool scheduled_mode_ = false;  ///< open loop or idle keepalive: send on a timer
  unsigned reconnects_ = 0;
  int next_sequence_ = 0;
  int sent_sequence_ = 0;
  MessageKind in_flight_ = MessageKind::sc_status;
  bool pass_in_flight_ = false;  ///< the outstanding request names a patron of the pass
  Clock::time_point started_;    ///< connect start, or the send of the outstanding request
  Clock::time_point scheduled_;  ///< when the outstanding request was due
  Clock::time_point next_due_;   ///< scheduled mode: the next slot
  Clock::duration interval_{};   ///< scheduled mode: this connection's period
};

}  // namespace bench
