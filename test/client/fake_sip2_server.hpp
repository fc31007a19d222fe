// A small canned SIP2 server on 127.0.0.1 (plain or Botan TLS) for driving sip2-client in tests.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sip2_client::test {

/// Serves one connection at a time on a thread. Answers: 93 → 941 when CO is the password, else
/// 940; 99 → a canned 98; 23 → a canned 24; 63 → a frame that does not decode; 17 → nothing.
/// A request with AY/AZ gets its sequence number back with a valid checksum.
class FakeSip2Server {
 public:
  struct Options {
    std::string password = "secret";
    std::string cert_file;  ///< PEM; TLS 1.2 when set
    std::string key_file;   ///< PKCS#8 PEM
  };

  /// The canned responses, without trailer and terminator.
  static constexpr std::string_view kAcsStatus =
      "98YYYYNN01000320261123    1015002.00AOMAIN|AMMain Library|BXYYYYYYYYYYYYYYYY|AFWelcome|";
  static constexpr std::string_view kPatronStatus =
      "24    Y         00120261123    101500AOMAIN|AA1234|AEJane Doe|BLY|CQY|AFHello Jane|";

  explicit FakeSip2Server(Options options);
  FakeSip2Server() : FakeSip2Server(Options{}) {}
  ~FakeSip2Server();
  FakeSip2Server(const FakeSip2Server&) = delete;
  FakeSip2Server& operator=(const FakeSip2Server&) = delete;

  std::uint16_t port() const { return port_; }
  /// Every frame received so far, terminator excluded, in order.
  std::vector<std::string> received() const;

 private:
  class Tls;
  void run();
  void serve(int fd);
  bool wait_readable(int fd) const;
  std::string answer(std::string_view frame) const;

  Options options_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::string> received_;
  std::thread thread_;
};

}  // namespace sip2_client::test
