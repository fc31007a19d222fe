// A small canned SIP2 server on 127.0.0.1 (plain or Botan TLS) for driving sip2-client in tests.
#include "fake_sip2_server.hpp"

#include <arpa/inet.h>
#include <botan/credentials_manager.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_policy.h>
#include <botan/tls_server.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <utility>

#include "sip2/checksum.hpp"
#include "sip2/codec.hpp"
#include "sip2/framer.hpp"

namespace sip2_client::test {
namespace {

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

class Credentials final : public Botan::Credentials_Manager {
 public:
  Credentials(const std::string& cert_file, const std::string& key_file)
      : chain_{Botan::X509_Certificate(cert_file)} {
    Botan::DataSource_Stream source(key_file);
    key_ = Botan::PKCS8::load_key(source);
  }
  std::vector<Botan::X509_Certificate> find_cert_chain(const std::vector<std::string>&,
                                                       const std::vector<Botan::X509_DN>&,
                                                       const std::string& type,
                                                       const std::string&) override {
    return type == "tls-server" ? chain_ : std::vector<Botan::X509_Certificate>{};
  }
  Botan::Private_Key* private_key_for(const Botan::X509_Certificate&, const std::string&,
                                      const std::string&) override {
    return key_.get();
  }

 private:
  std::vector<Botan::X509_Certificate> chain_;
  std::unique_ptr<Botan::Private_Key> key_;
};

}  // namespace

/// Botan's TLS server for one connection; callbacks only buffer.
class FakeSip2Server::Tls final : public Botan::TLS::Callbacks {
 public:
  explicit Tls(const Options& o) : credentials_(o.cert_file, o.key_file) {}

  void tls_emit_data(const std::uint8_t data[], std::size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_record_received(std::uint64_t, const std::uint8_t data[], std::size_t size) override {
    plain.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_alert(Botan::TLS::Alert) override {}
  bool tls_session_established(const Botan::TLS::Session&) override { return false; }

  /// False when the connection is dead (a queued alert may still be in `out`).
  bool feed(const char* data, std::size_t size) {
    try {
      server_.received_data(reinterpret_cast<const std::uint8_t*>(data), size);
    } catch (const std::exception&) {
      return false;
    }
    return !server_.is_closed();
  }
  void send(std::string_view plaintext) {
    server_.send(reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size());
  }

  std::string out;
  std::string plain;

 private:
  Credentials credentials_;
  Botan::TLS::Policy policy_;
  Botan::System_RNG rng_;
  Botan::TLS::Session_Manager_Noop sessions_;
  Botan::TLS::Server server_{*this, sessions_, credentials_, policy_, rng_};
};

FakeSip2Server::FakeSip2Server(Options options) : options_(std::move(options)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(listen_fd_, 8) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::pipe2(wake_, O_CLOEXEC) != 0) {
    throw std::runtime_error("fake SIP2 server: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

FakeSip2Server::~FakeSip2Server() {
  const char stop = 'x';
  (void)!::write(wake_[1], &stop, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::vector<std::string> FakeSip2Server::received() const {
  const std::lock_guard lock(mutex_);
  return received_;
}

bool FakeSip2Server::wait_readable(int fd) const {
  pollfd fds[] = {{fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0) {
  }
  return (fds[1].revents & POLLIN) == 0;
}

void FakeSip2Server::run() {
  while (wait_readable(listen_fd_)) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) serve(fd);
  }
}

void FakeSip2Server::serve(int fd) {
  sip2::Framer framer;
  const auto tls = options_.cert_file.empty() ? nullptr : std::make_unique<Tls>(options_);
  char buf[4096];
  while (wait_readable(fd)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (tls) {
      const bool alive = tls->feed(buf, static_cast<std::size_t>(n));
      write_all(fd, std::exchange(tls->out, {}));
      if (!alive) break;
      framer.feed(std::exchange(tls->plain, {}));
    } else {
      framer.feed({buf, static_cast<std::size_t>(n)});
    }
    for (auto e = framer.next(); e.status == sip2::Framer::Status::frame; e = framer.next()) {
      {
        const std::lock_guard lock(mutex_);
        received_.emplace_back(e.frame);
      }
      const std::string reply = answer(e.frame);
      if (reply.empty()) continue;
      if (!tls) {
        write_all(fd, reply);
        continue;
      }
      tls->send(reply);
      write_all(fd, std::exchange(tls->out, {}));
    }
  }
  ::close(fd);
}

std::string FakeSip2Server::answer(std::string_view frame) const {
  std::string body;
  const auto request = sip2::decode(frame, {}, sip2::Mode::lenient);
  const std::string_view command = frame.substr(0, 2);
  if (command == "93") {
    const auto* password = request ? request->find(sip2::field::login_password) : nullptr;
    body = password != nullptr && *password == options_.password ? "941" : "940";
  } else if (command == "99") {
    body = kAcsStatus;
  } else if (command == "23") {
    body = kPatronStatus;
  } else if (command == "63") {
    return "64 not a patron information response\r";
  } else {
    return {};
  }
  if (request && request->sequence)
    sip2::append_error_detection(body, request->sequence, sip2::ChecksumBasis::bytes,
                                 sip2::Charset::cp850);
  return body + "\r";
}

}  // namespace sip2_client::test
