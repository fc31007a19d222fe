// One benchmark connection: connect, log in, then send on reply (closed loop) or on schedule.
#include "client_connection.hpp"

#include <asio/write.hpp>

#include "worker.hpp"

namespace bench {

namespace {

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

ClientConnection::ClientConnection(Worker& worker, std::size_t index)
    : worker_(worker),
      index_(index),
      socket_(worker.io()),
      timer_(worker.io()),
      requests_(RequestSet::build(worker.options(), index)),
      cursor_(worker.options().mix, index),
      picker_(worker.options().patron_choice, worker.options().patrons.size(), index,
              &worker.control().pass_handed_out) {
  const auto& o = worker.options();
  if (o.idle && o.keepalive_s > 0) {
    scheduled_mode_ = true;
    interval_ = seconds(o.keepalive_s);
  } else if (!o.idle && o.rate > 0) {
    scheduled_mode_ = true;
    interval_ = seconds(static_cast<double>(o.connections) / o.rate);
  }
}

void ClientConnection::connect() {
  if (state_ == State::stopped) return;
  state_ = State::connecting;
  started_ = Clock::now();
  framer_ = sip2::Framer();
  const auto gen = generation_;
  socket_.async_connect(worker_.server(), [this, gen](const std::error_code& ec) {
    if (gen == generation_) on_connected(ec);
  });
}

void ClientConnection::on_connected(const std::error_code& ec) {
  if (ec) return fail(ErrorKind::connect_failed);
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);
  wait_readable();
  if (worker_.options().login.empty()) return become_ready(Clock::now());
  const auto now = Clock::now();
  send(MessageKind::login, now);
}

void ClientConnection::become_ready(Clock::time_point now) {
  state_ = State::ready;
  if (!ramp_reported_) {
    ramp_reported_ = true;
    worker_.ramp_finished(true);
  }
  if (load_started_) continue_load(now);
}

void ClientConnection::begin_load(Clock::time_point now) {
  load_started_ = true;
  if (scheduled_mode_) {
    // Spread the first slots of all connections evenly over one period.
    const double phase =
        static_cast<double>(index_) / static_cast<double>(worker_.options().connections);
    next_due_ = now + std::chrono::duration_cast<Clock::duration>(interval_ * phase);
  }
  if (state_ != State::ready) return;
  if (scheduled_mode_)
    arm_send_timer();
  else
    continue_load(now);
}

void ClientConnection::continue_load(Clock::time_point now) {
  const auto& o = worker_.options();
  if (!load_started_ || worker_.control().current() == Phase::done) return;
  if (!scheduled_mode_) {
    if (!o.idle) send(cursor_.next(), now);
    return;
  }
  if (next_due_ > now) return arm_send_timer();
  // The slot came due while a reply (or a reconnect) was outstanding.
  const bool measured = worker_.control().current() == Phase::window;
  const auto behind = now - next_due_;
  if (behind > seconds(o.timeout_s)) {
    const auto missed = behind / interval_;
    next_due_ += interval_ * missed;
    if (measured) worker_.stats().skipped += static_cast<std::uint64_t>(missed);
  }
  if (measured && !o.idle) ++worker_.stats().late;
  const auto due = next_due_;
  next_due_ += interval_;
  send(o.idle ? MessageKind::sc_status : cursor_.next(), due);
}

void ClientConnection::arm_send_timer() {
  timer_.expires_at(next_due_);
  const auto gen = generation_;
  timer_.async_wait([this, gen](const std::error_code& ec) {
    if (ec || gen != generation_ || state_ != State::ready) return;
    if (worker_.control().current() == Phase::done) return;
    const auto due = next_due_;
    next_due_ += interval_;
    send(worker_.options().idle ? MessageKind::sc_status : cursor_.next(), due);
  });
}

bool ClientConnection::encode(MessageKind kind) {
  const auto& o = worker_.options();
  pass_in_flight_ = false;
  if (!needs_patron(kind) || o.patron_choice == PatronChoice::fixed) {
    out_.assign(requests_.body(kind));
    return true;
  }
  const auto n = picker_.next();
  if (!n) return false;
  pass_in_flight_ = o.patron_choice == PatronChoice::once;
  requests_.render(kind, o.patrons[*n], out_);
  return true;
}

void ClientConnection::pass_request_done() {
  if (!pass_in_flight_) return;
  pass_in_flight_ = false;
  worker_.control().pass_answered.fetch_add(1, std::memory_order_relaxed);
}

void ClientConnection::send(MessageKind kind, Clock::time_point scheduled) {
  if (!encode(kind)) return;  // every patron of the pass is taken: this connection is done
  in_flight_ = kind;
  sent_sequence_ = next_sequence_;
  next_sequence_ = (next_sequence_ + 1) % 10;
  state_ = kind == MessageKind::login ? State::logging_in : State::waiting;
  finish_frame(out_, worker_.options().error_detection, sent_sequence_);
  started_ = Clock::now();
  scheduled_ = scheduled;
  write();
}

void ClientConnection::write() {
  std::error_code ec;
  std::size_t n = socket_.write_some(asio::buffer(out_), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) n = 0, ec = {};
  if (ec) return fail(ErrorKind::closed_by_server);
  if (n == out_.size()) return;
  out_.erase(0, n);  // rare: the socket buffer is full; finish asynchronously
  const auto gen = generation_;
  asio::async_write(socket_, asio::buffer(out_), [this, gen](const std::error_code& e, auto) {
    if (e && gen == generation_) fail(ErrorKind::closed_by_server);
  });
}

void ClientConnection::wait_readable() {
  const auto gen = generation_;
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [this, gen](const std::error_code& ec) {
    if (gen != generation_) return;
    if (ec) return fail(ErrorKind::closed_by_server);
    on_readable();
  });
}

void ClientConnection::on_readable() {
  const auto gen = generation_;
  const auto buf = worker_.read_buffer();
  for (;;) {
    std::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(buf.data(), buf.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec || n == 0) return fail(ErrorKind::closed_by_server);
    framer_.feed(std::string_view(buf.data(), n));
    for (auto ev = framer_.next(); ev.status != sip2::Framer::Status::need_more;
         ev = framer_.next()) {
      if (ev.status == sip2::Framer::Status::error)
        ++worker_.stats().errors[static_cast<std::size_t>(ErrorKind::undecodable_response)];
      else
        on_reply(ev.frame);
      if (gen != generation_) return;  // the reply ended this socket
    }
    // Asio's reactor is edge-triggered: a short read drained the socket.
    if (n < buf.size()) break;
  }
  wait_readable();
}

void ClientConnection::on_reply(std::string_view frame) {
  auto& stats = worker_.stats();
  if (state_ != State::logging_in && state_ != State::waiting) {
    ++stats.errors[static_cast<std::size_t>(ErrorKind::wrong_response_type)];
    return;
  }
  const auto now = Clock::now();
  const Verdict v =
      check_reply(frame, in_flight_, worker_.options().error_detection, sent_sequence_);
  if (state_ == State::logging_in) {
    if (v.error == ErrorKind::login_refused) {
      ++stats.errors[static_cast<std::size_t>(ErrorKind::login_refused)];
      return give_up();
    }
    if (v.error) return fail(*v.error);
    return become_ready(now);
  }
  state_ = State::ready;
  pass_request_done();
  if (v.error) {
    ++stats.errors[static_cast<std::size_t>(*v.error)];
  } else if (worker_.control().count_window_reply(now)) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
        now - (scheduled_mode_ ? scheduled_ : started_));
    const auto value = static_cast<std::uint64_t>(std::max<std::int64_t>(0, ns.count()));
    auto& kind = stats.kinds[static_cast<std::size_t>(in_flight_)];
    stats.overall.record(value);
    kind.latency.record(value);
    ++kind.refusals[static_cast<std::size_t>(v.refusal)];
  }
  continue_load(now);
}

void ClientConnection::check_timeout(Clock::time_point now) {
  const auto limit = seconds(worker_.options().timeout_s);
  if (now - started_ <= limit) return;
  if (state_ == State::connecting) fail(ErrorKind::connect_timeout);
  if (state_ == State::logging_in || state_ == State::waiting) fail(ErrorKind::response_timeout);
}

void ClientConnection::fail(ErrorKind kind) {
  auto& stats = worker_.stats();
  ++stats.errors[static_cast<std::size_t>(kind)];
  pass_request_done();  // lost with the connection: not sent again
  close_socket();
  if (state_ == State::stopped) return;
  if (worker_.control().current() == Phase::done) {
    state_ = State::closed;
    return;
  }
  if (reconnects_ >= worker_.options().max_reconnects) return give_up();
  ++reconnects_;
  ++stats.reconnects;
  state_ = State::closed;
  timer_.expires_after(std::chrono::milliseconds(100));
  const auto gen = generation_;
  timer_.async_wait([this, gen](const std::error_code& ec) {
    if (!ec && gen == generation_) connect();
  });
}

void ClientConnection::give_up() {
  close_socket();
  state_ = State::stopped;
  ++worker_.stats().gave_up;
  if (!ramp_reported_) {
    ramp_reported_ = true;
    worker_.ramp_finished(false);
  }
}

void ClientConnection::close_socket() {
  ++generation_;
  std::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
}

void ClientConnection::stop() {
  ++generation_;
  state_ = State::stopped;
  std::error_code ignored;
  if (socket_.is_open()) {
    socket_.set_option(asio::socket_base::linger(true, 0), ignored);
    socket_.close(ignored);
  }
  timer_.cancel();
}

}  // namespace bench
