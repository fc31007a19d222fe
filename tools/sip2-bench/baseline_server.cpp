// `sip2-bench --baseline-server`: the minimal SIP2 responder sip2gw is measured against.
#include "baseline_server.hpp"

#include <array>
#include <csignal>
#include <iostream>
#include <memory>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include "canned_responder.hpp"
#include "process_info.hpp"
#include "sip2/framer.hpp"

namespace bench {

namespace {

using asio::ip::tcp;

/// State every session shares: the answers and one read buffer (one thread).
struct Shared {
  CannedResponder responder;
  std::array<char, 65536> buffer{};
};

/// One client: reads when readable, answers every complete frame, writes without blocking.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : socket_(std::move(socket)), shared_(shared) {}

  void start() {
    std::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    socket_.non_blocking(true, ignored);
    wait();
  }

 private:
  void wait() {
    socket_.async_wait(tcp::socket::wait_read,
                       [self = shared_from_this()](const std::error_code& ec) {
                         if (!ec) self->on_readable();
                       });
  }

  void on_readable() {
    auto& buf = shared_.buffer;
    for (;;) {
      std::error_code ec;
      const std::size_t n = socket_.read_some(asio::buffer(buf), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) break;
      if (ec || n == 0) return close();
      framer_.feed(std::string_view(buf.data(), n));
      for (auto ev = framer_.next(); ev.status != sip2::Framer::Status::need_more;
           ev = framer_.next()) {
        if (ev.status == sip2::Framer::Status::error || !ev.frame.empty())
          shared_.responder.answer(ev.status == sip2::Framer::Status::error ? "" : ev.frame, out_);
      }
      if (n < buf.size()) break;  // edge-triggered reactor: a short read drained the socket
    }
    flush();
    if (socket_.is_open()) wait();
  }

  void flush() {
    if (writing_ || out_.empty()) return;
    std::error_code ec;
    std::size_t n = socket_.write_some(asio::buffer(out_), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) n = 0, ec = {};
    if (ec) return close();
    out_.erase(0, n);
    if (out_.empty()) return;
    writing_ = true;
    socket_.async_wait(tcp::socket::wait_write,
                       [self = shared_from_this()](const std::error_code& e) {
                         self->writing_ = false;
                         if (!e) self->flush();
                       });
  }

  void close() {
    std::error_code ignored;
    socket_.close(ignored);
  }

  tcp::socket socket_;
  Shared& shared_;
  sip2::Framer framer_;
  std::string out_;
  bool writing_ = false;
};

class Acceptor {
 public:
  Acceptor(asio::io_context& io, tcp::acceptor& acceptor, Shared& shared)
      : acceptor_(acceptor), retry_(io), shared_(shared) {}

  void accept() {
    acceptor_.async_accept([this](const std::error_code& ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        std::make_shared<Session>(std::move(socket), shared_)->start();
        return accept();
      }
      // Out of descriptors or a transient error: try again shortly instead of spinning.
      retry_.expires_after(std::chrono::milliseconds(10));
      retry_.async_wait([this](const std::error_code& e) {
        if (!e) accept();
      });
    });
  }

 private:
  tcp::acceptor& acceptor_;
  asio::steady_timer retry_;
  Shared& shared_;
};

}  // namespace

int run_baseline_server(const std::string& host, std::uint16_t port) {
  (void)raise_file_limit(0);
  asio::io_context io(1);
  std::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    std::cerr << "sip2-bench: --listen: " << ec.message() << '\n';
    return 2;
  }
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(address, port);
  if (acceptor.open(endpoint.protocol(), ec); !ec)
    if (acceptor.set_option(tcp::acceptor::reuse_address(true), ec); !ec)
      if (acceptor.bind(endpoint, ec); !ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "sip2-bench: cannot listen on " << host << ':' << port << ": " << ec.message()
              << '\n';
    return 1;
  }
  Shared shared;
  Acceptor accepting(io, acceptor, shared);
  accepting.accept();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const std::error_code&, int) { io.stop(); });
  const auto bound = acceptor.local_endpoint();
  const std::string shown = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                    : bound.address().to_string();
  std::cout << "sip2-bench baseline listening " << shown << ':' << bound.port() << std::endl;
  io.run();
  return 0;
}

}  // namespace bench
