// One staff-client session: the connection, what it remembers, and the commands typed into it.
#include "client_session.hpp"

#include <ostream>
#include <thread>

#include "command_table.hpp"
#include "words.hpp"

namespace sip2_client {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

ClientSession::ClientSession(ClientOptions options, SessionIo io)
    : options_(std::move(options)),
      io_(std::move(io)),
      print_options_{options_.json,
                     options_.show_wire,
                     {color_wanted(options_.no_color)},
                     options_.dialect.charset,
                     options_.timeout},
      printer_(io_.out, io_.err, print_options_) {
  state_.institution = options_.institution.value_or("");
  institution_given_ = options_.institution.has_value();
  state_.location = options_.location;
  state_.login_user = options_.login_user;
  state_.patron = options_.patron;
}

std::string ClientSession::server() const {
  return connection_ ? connection_->description() : std::string();
}

void ClientSession::note(std::string_view text) {
  if (!options_.json) io_.out << render_note(text, print_options_.pretty) << std::flush;
}

void ClientSession::problem(std::string_view text) {
  (options_.json ? io_.err : io_.out) << render_problem(text, print_options_.pretty) << std::flush;
}

int ClientSession::connect() {
  auto c = Connection::open(options_.connect);
  if (!c) {
    io_.err << "sip2-client: cannot connect to " << options_.connect.host << ":"
            << options_.connect.port << ": " << c.error() << '\n';
    if (options_.connect.ca_file.empty() && c.error().starts_with("TLS verification failed"))
      io_.err << "(trust the server with --ca FILE, or skip the check with --insecure)\n";
    return 4;
  }
  exchanger_.reset();
  connection_.emplace(std::move(*c));
  exchanger_.emplace(
      *connection_, Exchanger::Options{options_.dialect, options_.mode,
                                       options_.error_detection.value_or(false), options_.timeout});
  printer_.print_connected(connection_->description());
  last_activity_ = Clock::now();
  return 0;
}

int ClientSession::start() {
  if (const int status = connect(); status != 0) return status;
  if (options_.record) {
    TraceHeader h{options_.dialect.charset, options_.dialect.terminator,
                  options_.error_detection.value_or(false), options_.dialect.checksum_basis,
                  connection_->description()};
    auto writer = TraceWriter::create(*options_.record, h);
    if (!writer) {
      io_.err << "sip2-client: " << writer.error() << '\n';
      return 2;
    }
    recorder_.emplace(std::move(*writer));
  }
  if (!options_.login_user) return 0;
  switch (login({})) {
    case LineStatus::ok:
      return 0;
    case LineStatus::login_refused:
      return 3;
    case LineStatus::usage:
      return 2;
    default:
      return 1;
  }
}

LineStatus ClientSession::send(std::string_view line, const std::string& body) {
  if (!exchanger_) {
    problem("not connected; `reconnect` opens the connection again");
    return LineStatus::disconnected;
  }
  Exchange x = exchanger_->exchange(body);
  last_activity_ = Clock::now();
  printer_.print(x);
  if (recorder_) recorder_->record(line, body, x, options_.dialect.charset);
  last_ = x;
  if (!x.response) {
    // Timed out or closed: a late response would be read as the next one's, so close.
    exchanger_.reset();
    connection_.reset();
    problem("connection closed; `reconnect` opens it again");
    return LineStatus::disconnected;
  }
  if (!*x.response) return LineStatus::failed;
  remember(**x.response);
  if ((*x.response)->command == "94" && !logged_in_) return LineStatus::login_refused;
  return LineStatus::ok;
}

void ClientSession::remember(const sip2::Message& m) {
  if (m.command == "94") {
    const auto* ok = m.fixed_value("ok");
    logged_in_ = ok != nullptr && *ok == "1";
  } else if (m.command == "98") {
    const auto* ao = m.find(sip2::field::institution_id);
    if (ao != nullptr && !institution_given_ && state_.institution != *ao) {
      state_.institution = *ao;
      note("institution is now " + *ao + " (from the 98)");
    }
  } else if (m.command == "36") {
    const auto* end = m.fixed_value("end_session");
    if (end != nullptr && *end == "Y") {
      state_.patron.reset();
      state_.pin.reset();
    }
  }
}

LineStatus ClientSession::execute(std::string_view raw_line) {
  const auto line = trim(raw_line);
  if (is_raw_message(line)) {
    auto body = expand_placeholders(std::string(line), state_);
    if (!body) {
      problem(body.error());
      return LineStatus::usage;
    }
    return send(line, *body);
  }
  auto words = split_words(line);
  if (!words) {
    problem(words.error());
    return LineStatus::usage;
  }
  if (words->empty()) return LineStatus::ok;
  const std::string& command = words->front();
  const std::span<const std::string> args(words->data() + 1, words->size() - 1);
  if (command == "quit" || command == "exit") return LineStatus::quit;
  if (command == "help") {
    io_.out << help_text(args.empty() ? std::string_view() : std::string_view(args[0]))
            << std::flush;
    return LineStatus::ok;
  }
  if (command == "show") return show(), LineStatus::ok;
  if (command == "set") return set(args);
  if (command == "expect") return expect(args);
  if (command == "login") return login(args);
  if (command == "reconnect") return reconnect();
  if (command == "patron") return patron(args, line);
  if (command == "sleep") {
    double seconds = 0;
    if (args.size() != 1 || !(std::istringstream(args[0]) >> seconds) || seconds < 0 ||
        seconds > 3600) {
      problem("sleep takes SECONDS (0 to 3600)");
      return LineStatus::usage;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    return LineStatus::ok;
  }
  auto body = build_request(command, args, state_);
  if (!body) {
    problem(body.error());
    return LineStatus::usage;
  }
  return send(line, *body);
}

std::optional<std::chrono::milliseconds> ClientSession::until_keepalive() const {
  if (!connection_ || !options_.keepalive || options_.keepalive->count() == 0) return std::nullopt;
  const auto due = last_activity_ + *options_.keepalive;
  const auto now = Clock::now();
  if (due <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(due - now) +
         std::chrono::milliseconds(1);
}

bool ClientSession::keep_alive() {
  const auto wait = until_keepalive();
  if (!wait || wait->count() > 0 || !exchanger_) return false;
  const Exchange x = exchanger_->exchange("9900302.00");
  last_activity_ = Clock::now();
  ++keepalives_;
  if (x.response) return false;
  exchanger_.reset();
  connection_.reset();
  io_.err << "\n"
          << render_problem(
                 "keep-alive 99 got no response: connection closed; `reconnect` opens "
                 "it again",
                 print_options_.pretty)
          << std::flush;
  return true;
}

}  // namespace sip2_client
