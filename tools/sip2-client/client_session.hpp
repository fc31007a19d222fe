// One staff-client session: the connection, what it remembers, and the commands typed into it.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "client_options.hpp"
#include "connection.hpp"
#include "exchange_printer.hpp"
#include "exchanger.hpp"
#include "request_builder.hpp"
#include "trace.hpp"

namespace sip2_client {

/// How one command line ended.
enum class LineStatus {
  ok,             ///< done; the response (if any) decoded and every expectation held
  failed,         ///< an expectation failed, or the response did not decode
  usage,          ///< not a command, or wrong arguments: nothing was sent
  disconnected,   ///< no response came (timed out or closed); the connection is closed
  login_refused,  ///< a 940
  quit,           ///< quit, exit
};

/// Where the session prints, and how it asks for a secret (empty: it cannot ask).
struct SessionIo {
  std::ostream& out;
  std::ostream& err;
  std::function<std::optional<std::string>(std::string_view prompt)> ask_secret;
};

class ClientSession {
 public:
  /// `options` must have passed resolve_dialect().
  ClientSession(ClientOptions options, SessionIo io);

  /// Connects and, with --login, logs in. 0 when the session may go on, else the exit status:
  /// 2 no password, 3 login refused, 4 cannot connect, 1 no response to the login.
  [[nodiscard]] int start();
  /// Runs one command line (a command in plain words, or a raw message).
  LineStatus execute(std::string_view line);
  /// Sends a silent 99 when the session has been idle for the keepalive period; true when it
  /// printed something (the connection was lost).
  bool keep_alive();
  /// How long until keep_alive() has something to do (nullopt: never).
  [[nodiscard]] std::optional<std::chrono::milliseconds> until_keepalive() const;

  [[nodiscard]] const SessionState& state() const { return state_; }
  [[nodiscard]] bool connected() const { return connection_.has_value(); }
  [[nodiscard]] bool logged_in() const { return logged_in_; }
  [[nodiscard]] const PrettyOptions& pretty() const { return print_options_.pretty; }
  /// The connection's description, "" when not connected.
  [[nodiscard]] std::string server() const;

 private:
  int connect();
  LineStatus send(std::string_view line, const std::string& body);
  LineStatus login(std::span<const std::string> args);
  LineStatus set(std::span<const std::string> args);
  LineStatus expect(std::span<const std::string> args);
  LineStatus reconnect();
  LineStatus patron(std::span<const std::string> args, std::string_view line);
  void show();
  void remember(const sip2::Message& response);
  void note(std::string_view text);
  void problem(std::string_view text);

  ClientOptions options_;
  SessionIo io_;
  PrintOptions print_options_;
  ExchangePrinter printer_;
  SessionState state_;
  std::optional<Connection> connection_;
  std::optional<Exchanger> exchanger_;
  std::optional<TraceWriter> recorder_;
  std::optional<Exchange> last_;
  std::optional<std::string> password_;  ///< kept for `reconnect`; never printed
  bool logged_in_ = false;
  bool institution_given_ = false;
  Clock::time_point last_activity_ = Clock::now();
  int keepalives_ = 0;
};

}  // namespace sip2_client
