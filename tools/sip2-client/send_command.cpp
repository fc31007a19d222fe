// The `send` subcommand: connect to a SIP2 server, exchange messages, print the responses.
#include "send_command.hpp"

#include <cstdlib>
#include <iostream>

#include "client_options.hpp"
#include "exchange_printer.hpp"
#include "request_builder.hpp"

namespace sip2_client {
namespace {

enum ExitStatus : int {
  kAllAnswered = 0,
  kNotAnswered = 1,
  kUsage = 2,
  kLoginRefused = 3,
  kCannotConnect = 4,
};

/// Replaces {now}, {institution} and {location}; a placeholder without its option is an error.
tl::expected<std::string, std::string> expand(std::string message, const ClientOptions& o) {
  const Placeholder values[] = {
      {"{now}", sip_now()}, {"{institution}", o.institution}, {"{location}", o.location}};
  auto filled = fill_placeholders(std::move(message), values);
  if (!filled) {
    const auto key = filled.error();
    return tl::unexpected(std::string(key) + " needs --" +
                          std::string(key.substr(1, key.size() - 2)));
  }
  return std::move(*filled);
}

/// Logs in when asked; kAllAnswered when the session may go on.
int login(Exchanger& exchanger, ExchangePrinter& printer, const ClientOptions& o,
          const std::string& password) {
  const auto x = exchanger.exchange(login_body(*o.login_user, password, o.location));
  printer.print(x);
  if (!x.response || !*x.response) return kNotAnswered;
  const auto& m = **x.response;
  if (m.command != "94") {
    std::cerr << "sip2-client: the login got a " << m.command << ", not a 94\n";
    return kNotAnswered;
  }
  const auto* ok = m.fixed_value("ok");
  if (ok == nullptr || *ok != "1") {
    std::cerr << "sip2-client: login refused by the server\n";
    return kLoginRefused;
  }
  return kAllAnswered;
}

int usage_error(const std::string& what) {
  std::cerr << "sip2-client send: " << what << "\n(sip2-client send --help shows the usage)\n";
  return kUsage;
}

}  // namespace

int run_send(std::span<const std::string_view> args) {
  auto parsed = parse_client_options(args);
  if (!parsed) return usage_error(parsed.error());
  ClientOptions& o = *parsed;
  if (o.help) {
    std::cout << usage_text(Purpose::send);
    return kAllAnswered;
  }
  if (auto r = resolve_dialect(o); !r) return usage_error(r.error());
  std::vector<std::string> bodies;
  for (const auto& m : o.messages) {
    auto body = expand(m, o);
    if (!body) return usage_error(body.error());
    bodies.push_back(std::move(*body));
  }
  std::string password;
  if (o.login_user) {
    auto p = read_password(o);
    if (!p) return usage_error(p.error());
    password = std::move(*p);
  }

  auto connection = Connection::open(o.connect);
  if (!connection) {
    std::cerr << "sip2-client: cannot connect to " << o.connect.host << ":" << o.connect.port
              << ": " << connection.error() << '\n';
    if (o.connect.ca_file.empty() && connection.error().starts_with("TLS verification failed"))
      std::cerr << "(trust the server with --ca FILE, or skip the check with --insecure)\n";
    return kCannotConnect;
  }
  Exchanger exchanger(*connection,
                      {o.dialect, o.mode, o.error_detection.value_or(false), o.timeout});
  ExchangePrinter printer(
      std::cout, std::cerr,
      {o.json, o.show_wire, {color_wanted(o.no_color)}, o.dialect.charset, o.timeout});
  printer.print_connected(connection->description());
  if (o.login_user) {
    if (const int status = login(exchanger, printer, o, password); status != kAllAnswered)
      return status;
  }
  int status = kAllAnswered;
  for (const auto& body : bodies) {
    const auto x = exchanger.exchange(body);
    printer.print(x);
    if (!x.response) return kNotAnswered;  // timed out or closed: the stream is out of step
    if (!*x.response) status = kNotAnswered;
  }
  connection->close();
  return status;
}

}  // namespace sip2_client
