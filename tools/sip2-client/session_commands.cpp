// The staff client's session commands: login, patron, set, show, expect and reconnect.
#include <ostream>

#include "client_session.hpp"
#include "expectation.hpp"
#include "pin_book.hpp"
#include "secret_mask.hpp"

namespace sip2_client {

LineStatus ClientSession::login(std::span<const std::string> args) {
  if (args.size() > 1) {
    problem("login takes [USER]");
    return LineStatus::usage;
  }
  if (!args.empty()) {
    if (state_.login_user != args[0]) password_.reset();
    state_.login_user = args[0];
  }
  if (!state_.login_user) {
    problem("login: no user; `login USER` or --login USER");
    return LineStatus::usage;
  }
  if (!password_) {
    auto from_options = read_password(options_);
    if (from_options) {
      password_ = std::move(*from_options);
    } else if (!options_.password_file && io_.ask_secret) {
      password_ = io_.ask_secret("password for " + *state_.login_user + ": ");
    } else {
      problem(from_options.error());
      return LineStatus::usage;
    }
    if (!password_) return LineStatus::usage;
  }
  const auto body = login_body(*state_.login_user, *password_, state_.location);
  logged_in_ = false;
  const auto status = send("login " + *state_.login_user, body);
  if (status == LineStatus::login_refused) password_.reset();
  return status;
}

LineStatus ClientSession::patron(std::span<const std::string> args, std::string_view line) {
  std::vector<std::string> words(args.begin(), args.end());
  if (words.size() == 2 && words[1] == "-") {
    auto book = PinBook::load(options_.pin_file);
    if (!book) {
      problem(book.error());
      return LineStatus::usage;
    }
    auto pin = book->find(words[0]);
    if (!pin && io_.ask_secret) pin = io_.ask_secret("PIN for " + words[0] + ": ");
    if (!pin) {
      problem("no PIN for this patron: give --pin-file FILE (lines `BARCODE PIN`) or SIP2_PIN");
      return LineStatus::usage;
    }
    words[1] = std::move(*pin);
  }
  auto body = build_request("patron", words, state_);
  if (!body) {
    problem(body.error());
    return LineStatus::usage;
  }
  return send(line, *body);
}

LineStatus ClientSession::set(std::span<const std::string> args) {
  if (args.size() != 2) {
    problem("set takes KEY VALUE (institution, location, patron, pin, language, currency)");
    return LineStatus::usage;
  }
  const auto& key = args[0];
  const auto& value = args[1];
  if (key == "institution") {
    state_.institution = value;
    institution_given_ = true;
  } else if (key == "location") {
    state_.location = value;
  } else if (key == "patron") {
    state_.patron = value;
    state_.pin.reset();
  } else if (key == "pin") {
    state_.pin = value;
  } else if (key == "language" && value.size() == 3) {
    state_.language = value;
  } else if (key == "currency" && value.size() == 3) {
    state_.currency = value;
  } else {
    problem("set: '" + key + "' is not a key, or the value does not fit (see help set)");
    return LineStatus::usage;
  }
  return LineStatus::ok;
}

void ClientSession::show() {
  const auto row = [&](std::string_view name, std::string_view value) {
    io_.out << "  " << name << std::string(14 - std::min<std::size_t>(13, name.size()), ' ')
            << (value.empty() ? "-" : value) << '\n';
  };
  row("server", connection_ ? connection_->description() : "not connected");
  row("logged in", logged_in_ ? "as " + state_.login_user.value_or("") : "no");
  row("institution", state_.institution);
  row("location", state_.location.value_or(""));
  row("patron", state_.patron.value_or(""));
  row("PIN", state_.pin ? kMask : "");
  row("language", state_.language);
  row("currency", state_.currency);
  row("wire", std::string(sip2::to_string(options_.dialect.charset)) +
                  (options_.error_detection.value_or(false) ? ", AY/AZ" : ", no AY/AZ"));
  row("keep-alive", options_.keepalive && options_.keepalive->count() > 0
                        ? "99 after " + std::to_string(options_.keepalive->count()) + " s idle, " +
                              std::to_string(keepalives_) + " sent"
                        : "off");
  if (recorder_) row("recording", *options_.record);
  io_.out << std::flush;
}

LineStatus ClientSession::expect(std::span<const std::string> args) {
  if (args.empty()) {
    problem("expect takes one or more conditions (help expect)");
    return LineStatus::usage;
  }
  std::vector<Expectation> conditions;
  for (const auto& word : args) {
    auto e = parse_expectation(word);
    if (!e) {
      problem(e.error());
      return LineStatus::usage;
    }
    conditions.push_back(std::move(*e));
  }
  if (!last_) {
    problem("expect: nothing was sent yet");
    return LineStatus::failed;
  }
  bool all = true;
  for (const auto& e : conditions) {
    const auto verdict = check(e, *last_);
    if (verdict.held) {
      note("expect " + e.text + ": held");
    } else {
      problem("expect " + e.text + ": FAILED, " + verdict.found);
      all = false;
    }
  }
  return all ? LineStatus::ok : LineStatus::failed;
}

LineStatus ClientSession::reconnect() {
  exchanger_.reset();
  if (connection_) connection_->close();
  connection_.reset();
  const bool was_logged_in = logged_in_;
  logged_in_ = false;
  if (connect() != 0) return LineStatus::disconnected;
  if (!was_logged_in) return LineStatus::ok;
  return login({});
}

}  // namespace sip2_client
