// What a session does with one frame: error detection, replay, login, status, dispatch.
#include <algorithm>
#include <cctype>

#include <asio/experimental/as_tuple.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "handlers/refusal.hpp"
#include "obs/log.hpp"
#include "server/offload.hpp"
#include "server/session_state.hpp"
#include "sip2/checksum.hpp"

namespace server::detail {

namespace {

constexpr std::uint64_t kPreLoginLinesLogged = 5;
constexpr std::uint64_t kPreLoginSampling = 10;

std::string_view code_of(const sip2::AnyMessage& m) {
  return sip2::spec(sip2::command_of(m)).code;
}

/// The keyed pseudonyms of a request's patron (AA) and item (AB), empty when absent: logs never
/// carry the identifiers themselves, and staff can still find a patron's requests by pseudonym.
std::pair<std::string, std::string> pseudonymous_ids(const obs::Pseudonymizer& p,
                                                     const sip2::AnyMessage& m) {
  return std::visit(
      [&p](const auto& q) {
        std::pair<std::string, std::string> out;
        if constexpr (requires { q.patron_identifier.empty(); })
          if (!q.patron_identifier.empty()) out.first = p(q.patron_identifier);
        if constexpr (requires { q.item_identifier.empty(); }) {
          if (!q.item_identifier.empty()) out.second = p(q.item_identifier);
        } else if constexpr (requires { q.item_identifier.has_value(); }) {
          if (q.item_identifier && !q.item_identifier->empty()) out.second = p(*q.item_identifier);
        }
        return out;
      },
      m);
}

/// A login id as the guard's key: bounded, so a peer cannot grow the tables with long names.
std::string guard_key(std::string_view login) {
  return std::string(login.substr(0, 64));
}

/// Checks a 93's password. A remembered login is answered here, without the crypto queue; an
/// unknown account is checked against a decoy hash, so it costs what a known one costs. The
/// same account and password already being checked (a reconnect storm of kiosks sharing an
/// account) wait for that one check instead of queueing their own. Nullopt when the crypto
/// queue is full.
asio::awaitable<std::optional<bool>> check_password(SessionState& s, const config::Account* account,
                                                    const sip2::LoginRequest& q) {
  TerminalAuth& auth = s.hub.auth;
  if (account != nullptr && auth.remembered(account->password_hash, q.login_password))
    co_return true;
  std::string hash = account != nullptr ? account->password_hash : std::string();
  const auto key =
      auth.pair_key(account != nullptr ? hash : "unknown:" + q.login_user_id, q.login_password);
  if (auto it = s.hub.logins_in_flight.find(key); it != s.hub.logins_in_flight.end()) {
    const auto flight = it->second;  // keeps it alive while this session waits
    while (!flight->result)
      (void)co_await flight->done.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    co_return *flight->result;
  }
  const auto& workers = s.rt().config.workers;
  if (s.hub.crypto_jobs >= static_cast<std::size_t>(workers.crypto_queue_limit))
    co_return std::nullopt;
  std::string like = account != nullptr || s.rt().config.accounts.empty()
                         ? hash
                         : s.rt().config.accounts.front().password_hash;
  std::string password = q.login_password;
  auto check = [&auth, hash, like, password] {
    if (!hash.empty()) return auth.verify(hash, password);
    (void)auth.verify(auth.decoy_like(like), password);  // the cost, not the answer
    return false;
  };
  auto flight = std::make_shared<Hub::LoginFlight>(co_await asio::this_coro::executor);
  s.hub.logins_in_flight.emplace(key, flight);
  ++s.hub.crypto_jobs;
  // However this coroutine ends, the flight is closed and its waiters woken (with a refusal
  // if no result came).
  struct Land {
    Hub& hub;
    const std::string& key;
    Hub::LoginFlight& flight;
    ~Land() {
      --hub.crypto_jobs;
      hub.logins_in_flight.erase(key);
      if (!flight.result) flight.result = false;
      flight.done.cancel();
    }
  } land{s.hub, key, *flight};
  flight->result = co_await offload(s.hub.crypto_pool, check);
  co_return *flight->result;
}

/// Replies to a 93: limits first, then the password (see check_password); binds the account
/// and maybe a profile.
asio::awaitable<sip2::AnyMessage> login(SessionState& s, const sip2::LoginRequest& q,
                                        const std::string& req_id) {
  auto rt = s.hub.runtime;
  const auto& limits = rt->config.limits;
  const config::Account* account = rt->account(q.login_user_id);
  if (account != nullptr && !account->enabled) account = nullptr;  // refused like an unknown one
  const auto key = guard_key(q.login_user_id);
  auto verdict = s.hub.login_guard.check(key, s.peer, limits, s.clock.now());
  std::optional<bool> ok = false;
  std::string_view refused_by = verdict.reason;
  const auto& session = s.terminal.behaviour.session;  // the profile bound so far
  if (verdict.allowed && s.terminal.logged_in && !session.relogin) {
    // The profile says this kiosk logs in once per connection: refused, not counted as a
    // wrong password, and the session stays logged in as before.
    refused_by = "relogin";
    ok = std::nullopt;
  } else if (verdict.allowed && session.reject_encrypted_login &&
             (q.uid_algorithm != '0' || q.pwd_algorithm != '0')) {
    refused_by = "encrypted_credentials";  // SIP2 names no algorithm but 0 (plain)
  } else if (verdict.allowed) {
    ok = co_await check_password(s, account, q);
    if (!ok) refused_by = "busy";
  }
  sip2::LoginResponse a;
  a.ok = ok.value_or(false) && account != nullptr;
  if (a.ok) {
    s.hub.login_guard.succeeded(key, s.peer);
    s.terminal.logged_in = true;
    s.poke();  // the idle deadline replaces the login deadline, and may be earlier
    s.terminal.account = *account;
    s.terminal.location = q.location_code.value_or("");
    if (const auto* p = rt->profile_at_login(s.listener, s.peer, *account, s.terminal.location))
      bind_profile(s, *p);
    s.hub.metrics.login("ok");
    obs::log(spdlog::level::info, s.terminal.connection_id, req_id, "login",
             {{"account", account->login}, {"peer", s.peer}, {"profile", s.terminal.profile}});
    co_return a;
  }
  if (verdict.allowed && ok.has_value()) {
    verdict = s.hub.login_guard.failed(key, s.peer, limits, s.clock.now());
    refused_by = "password";
  }
  s.hub.metrics.login(refused_by == "busy" ? "busy" : "refused");
  obs::log(spdlog::level::warn, s.terminal.connection_id, req_id, "login refused",
           {{"account", account ? account->login : std::string("(unknown)")},
            {"peer", s.peer},
            {"by", std::string(refused_by)},
            {"delay_ms", std::to_string(verdict.delay.count())},
            {"closing", verdict.close ? "yes" : "no"}});
  a.screen_message.push_back(rt->catalogue.text("login.refused"));
  if (verdict.delay.count() > 0) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    co_await s.clock.sleep_for(t, verdict.delay);
  }
  if (verdict.close) s.end = EndReason::login_failures;
  co_return a;
}

/// When a request that came at `at` must be answered: the profile's response deadline after
/// it, else the config's request timeout.
Clock::time_point deadline_of(const SessionState& s, Clock::time_point at) {
  return at + s.terminal.behaviour.timeouts.response_deadline.value_or(
                  s.rt().config.limits.request_timeout);
}

/// Runs a handler on the backend pool, turning any escaped exception into a refusal.
asio::awaitable<handlers::Outcome> dispatch(SessionState& s, const sip2::AnyMessage& request,
                                            const std::string& req_id) {
  auto rt = s.hub.runtime;  // keeps the snapshot (and its backend) alive for the call
  // A patron status the identity cache can answer costs no thread hop: LMDB reads and one
  // AES-GCM open, here on the network thread. Anything it cannot answer goes to the workers.
  try {
    if (auto local = handlers::answer_locally(request, s.terminal, *rt->services))
      co_return std::move(*local);
  } catch (const std::exception& e) {
    obs::log(spdlog::level::warn, s.terminal.connection_id, req_id,
             "identity cache: local answer failed, asking the workers", {{"error", e.what()}});
  }
  handlers::Request r{req_id, deadline_of(s, Clock::now())};
  handlers::Terminal* terminal = &s.terminal;
  auto job = [rt, terminal, &request, r]() -> handlers::Outcome {
    try {
      return handlers::handle(request, *terminal, *rt->services, r);
    } catch (const std::exception& e) {
      return {
          handlers::refusal(request, rt->catalogue.text("backend.error"), *terminal, *rt->services),
          "error", std::string("exception: ") + e.what()};
    }
  };
  handlers::Outcome outcome = co_await offload(s.hub.backend_pool, job);
  co_return outcome;
}

}  // namespace

void bind_profile(SessionState& s, const profiles::Profile& p) {
  s.terminal.dialect = p.dialect;
  s.terminal.behaviour = p.behaviour;
  s.terminal.profile = p.id;
  s.terminal.time_zone.reset();
  if (!p.behaviour.time_zone.empty())
    s.terminal.time_zone = zone::TimeZone::locate(p.behaviour.time_zone);
  s.framer.set_max_frame_length(
      std::min(s.rt().config.limits.max_frame_length, p.dialect.max_frame_length));
  s.framer.set_accept_lf(p.behaviour.lf_ends_request);
  s.poke();  // the profile's timeouts may move a deadline earlier
  // A profile's keepalive, or the config's again when a profile bound before set its own.
  if (const auto& ka = p.behaviour.keepalive; ka.any() || s.profile_keepalive) {
    s.profile_keepalive = ka.any();
    const auto& c = s.rt().config.limits.keepalive;
    const net::Keepalive k{ka.enabled.value_or(c.enabled), ka.idle.value_or(c.idle),
                           ka.interval.value_or(c.interval), ka.probes.value_or(c.count)};
    if (const auto ec = s.channel.keepalive(k))
      obs::log(spdlog::level::warn, s.terminal.connection_id, {},
               "the profile's TCP keepalive could not be set", {{"error", ec.message()}});
  }
}

void on_reload(SessionState& s) {
  s.reload_pending = true;
  if (!s.terminal.logged_in || !s.terminal.account) return;
  const auto* account = s.rt().account(s.terminal.account->login);
  if (account != nullptr && account->enabled) return;
  obs::log(spdlog::level::info, s.terminal.connection_id, {},
           "account removed or disabled by a reload: closing",
           {{"account", s.terminal.account->login}});
  if (!s.end) s.end = EndReason::account_removed;
  s.poke();  // a session waiting for a request closes now; one handling a request, after it
}

void apply_reload(SessionState& s) {
  s.reload_pending = false;
  if (!s.terminal.logged_in || !s.terminal.account) return;
  const auto& rt = s.rt();
  const auto* account = rt.account(s.terminal.account->login);
  if (account == nullptr || !account->enabled) return;  // on_reload has ended the session
  if (account->password_hash != s.terminal.account->password_hash) {
    obs::log(spdlog::level::info, s.terminal.connection_id, {},
             "account password changed by a reload: login required", {{"account", account->login}});
    s.terminal.logged_in = false;
    s.terminal.account.reset();
    s.accepted = s.clock.now();  // the login timeout runs again from here
    s.poke();
    return;
  }
  s.terminal.account = *account;  // policy, institution and profile as reloaded
  if (const auto* p = rt.profile_at_login(s.listener, s.peer, *account, s.terminal.location))
    bind_profile(s, *p);
}

std::string wire(const SessionState& s, const sip2::AnyMessage& m, std::optional<int> sequence) {
  const auto& d = s.terminal.dialect;
  using Out = sip2::Dialect::Outbound;
  const bool ed =
      d.outbound == Out::always || (d.outbound == Out::mirror_request && sequence.has_value());
  const int seq = d.echo_sequence ? sequence.value_or(0) : 0;
  const auto& b = s.terminal.behaviour;
  auto body = b.normalization == profiles::Normalization::none && b.fields.empty()
                  ? sip2::encode(m, d, {.error_detection = ed, .sequence = seq})
                  : [&] {
                      auto message = sip2::to_message(m);
                      // Lengths are counted in the form the kiosk is sent.
                      profiles::normalize(message, b.normalization);
                      profiles::apply(b.fields, message, s.print_width);
                      return sip2::encode(message, d, {.error_detection = ed, .sequence = seq});
                    }();
  if (!body) {
    obs::log(spdlog::level::err, s.terminal.connection_id, {}, "response not encodable",
             {{"error", body.error().code.message()}});
    return sip2::with_terminator(*sip2::encode(sip2::AnyMessage{sip2::RequestScResend{}}, d), d);
  }
  return sip2::with_terminator(std::move(*body), d);
}

std::string resend_request(const SessionState& s) {
  const auto& d = s.terminal.dialect;
  const bool ed = d.outbound == sip2::Dialect::Outbound::always;
  return sip2::with_terminator(
      *sip2::encode(sip2::AnyMessage{sip2::RequestScResend{}}, d, {.error_detection = ed}), d);
}

namespace {

/// The "AY<digit>AZ<4 hex>" that ends `frame`, or "" (no sequence number or no checksum).
std::string_view trailer_of(std::string_view frame) {
  if (frame.size() < 9) return {};
  const auto t = frame.substr(frame.size() - 9);
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (t.substr(0, 2) != "AY" || t[2] < '0' || t[2] > '9' || t.substr(3, 2) != "AZ" ||
      !std::all_of(t.begin() + 5, t.end(), hex))
    return {};
  return t;
}

/// A request that repeats the previous one, by the profile's key: the same AY and AZ, or the
/// same bytes.
bool repeats_previous(const SessionState& s, const std::string& frame) {
  if (s.last_request.empty() || s.last_response.empty()) return false;
  if (!s.terminal.dialect.duplicate_by_checksum) return frame == s.last_request;
  const auto mine = trailer_of(frame);
  return !mine.empty() && mine == trailer_of(s.last_request);
}

/// The last response for a 97: as sent, or (resend_97.recompute_error_detection) with its AY
/// dropped and its AZ computed again.
std::string resent(const SessionState& s) {
  const auto& d = s.terminal.dialect;
  std::string out = s.last_response;
  if (!d.resend_recompute) return out;
  std::string body = out.substr(0, out.size() - std::min(out.size(), d.terminator.size()));
  const auto t = trailer_of(body);
  if (t.empty()) return out;
  body.resize(body.size() - t.size());
  const bool lower = d.hex_case == sip2::Dialect::HexCase::lower;
  sip2::append_error_detection(body, std::nullopt, d.checksum_basis, d.charset, lower);
  return sip2::with_terminator(std::move(body), d);
}

/// A request's fields that SIP 2.00 does not name for it, and its repeated ones, by the
/// profile's fields.unknown_inbound and duplicate_inbound: the answer to send instead (a 96),
/// or nullopt to go on (with the last of a repeated field read, when the profile says so).
std::optional<std::string> inbound_fields(SessionState& s, const std::string& frame,
                                          sip2::RequestFrame& decoded) {
  using In = profiles::Behaviour::Inbound;
  const auto& rules = s.terminal.behaviour.inbound;
  if (rules.unknown == In::Unknown::ignore && rules.duplicate == In::Duplicate::first_wins)
    return std::nullopt;
  const auto& spec = sip2::spec(sip2::command_of(decoded.frame.message));
  // A 37's extension fields the profile takes (EnvisionWare's OR, RN) are named for it.
  static const std::vector<std::string> kNone;
  const auto& accepted = spec.command == sip2::Command::fee_paid_request
                             ? s.terminal.behaviour.fees.payment_extensions
                             : kNone;
  std::vector<sip2::FieldCode> unknown, repeated;
  std::visit(
      [&](const auto& m) {
        for (const auto& f : m.extra) {
          const bool named = std::any_of(spec.tags.begin(), spec.tags.end(),
                                         [&f](const sip2::TagSpec& t) { return t.code == f.code; });
          if (named)
            repeated.push_back(f.code);
          else if (std::find(accepted.begin(), accepted.end(), f.code.view()) == accepted.end())
            unknown.push_back(f.code);
        }
      },
      decoded.frame.message);
  auto codes = [](const std::vector<sip2::FieldCode>& list) {
    std::string out;
    for (const auto& c : list)
      out += (out.empty() ? "" : ",") + std::string(c.view());
    return out;
  };
  // Before login anyone can send anything: logged like the request lines, sampled.
  const bool quiet = !s.terminal.logged_in && s.pre_login_requests >= kPreLoginLinesLogged &&
                     s.pre_login_requests % kPreLoginSampling != 0;
  if (!unknown.empty() && rules.unknown != In::Unknown::ignore) {
    // The codes only: a value may be a PIN or a patron's identifier.
    if (!quiet)
      obs::log(spdlog::level::warn, s.terminal.connection_id, {},
               "request with fields SIP 2.00 does not name for it (profile)",
               {{"command", std::string(spec.code)}, {"codes", codes(unknown)}});
    if (rules.unknown == In::Unknown::send_96) {
      s.hub.metrics.message(spec.code, "malformed");
      return resend_request(s);
    }
  }
  if (repeated.empty() || rules.duplicate == In::Duplicate::first_wins) return std::nullopt;
  if (rules.duplicate == In::Duplicate::log_and_first_wins) {
    if (!quiet)
      obs::log(spdlog::level::warn, s.terminal.connection_id, {},
               "request repeats a field: the first is read (profile)",
               {{"command", std::string(spec.code)}, {"codes", codes(repeated)}});
    return std::nullopt;
  }
  // last_wins: each repeated field keeps its last value only, and the request is read again.
  auto generic = sip2::decode(frame, s.terminal.dialect, sip2::Mode::lenient);
  if (!generic) return std::nullopt;
  auto& fields = generic->fields;
  for (const auto& code : repeated) {
    const auto last = std::find_if(fields.rbegin(), fields.rend(),
                                   [&code](const sip2::Field& f) { return f.code == code; });
    const auto keep = static_cast<std::size_t>(std::distance(fields.begin(), last.base()) - 1);
    std::vector<sip2::Field> kept;
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].code != code || i == keep) kept.push_back(std::move(fields[i]));
    fields = std::move(kept);
  }
  if (auto typed = sip2::to_typed(*generic)) decoded.frame.message = std::move(*typed);
  return std::nullopt;
}

/// A frame that is no SIP2 request (an unknown code, or a response's), when the profile says
/// not to answer it with a 96: "" (no answer) after logging it, and for `close` the session
/// ends. Nullopt: answer with a 96 as usual.
std::optional<std::string> unknown_message(SessionState& s, const std::string& frame) {
  using U = sip2::Dialect::UnknownMessage;
  const auto policy = s.terminal.dialect.unknown_message;
  if (policy == U::send_96) return std::nullopt;
  s.hub.metrics.message(frame.size() >= 2 ? std::string_view(frame).substr(0, 2) : "??",
                        policy == U::close ? "closed" : "ignored");
  obs::log(spdlog::level::warn, s.terminal.connection_id, {},
           policy == U::close ? "not a SIP2 request: closing (profile)"
                              : "not a SIP2 request: not answered (profile)",
           {{"profile", s.terminal.profile}});
  if (policy == U::close && !s.end) s.end = EndReason::unknown_message;
  return std::string();
}

}  // namespace

asio::awaitable<std::string> process(SessionState& s, const std::string& frame) {
  auto& hub = s.hub;
  const auto& d = s.terminal.dialect;
  const auto started = Clock::now();
  if (frame.empty()) co_return std::string();  // a blank line between frames: nothing to answer
  if (s.reload_pending) apply_reload(s);
  // A repeated request (same AY and AZ, same bytes) gets the previous answer, not a second run.
  if (s.terminal.dialect.replay_duplicates && repeats_previous(s, frame)) {
    hub.metrics.message(std::string_view(frame).substr(0, 2), "replayed");
    obs::log(spdlog::level::info, s.terminal.connection_id, {}, "duplicate request replayed");
    co_return s.last_response;
  }
  auto decoded = sip2::decode_request(frame, d);
  if (!decoded && decoded.error().code == sip2::errc::checksum_mismatch &&
      d.on_bad_checksum != sip2::Dialect::BadChecksum::send_96) {
    // The profile says how this kiosk's wrong checksums are handled: not answered (it resends
    // on its own), or read as if right (firmware known to compute AZ wrongly).
    const bool drop = d.on_bad_checksum == sip2::Dialect::BadChecksum::drop;
    obs::log(spdlog::level::warn, s.terminal.connection_id, {},
             drop ? "request with a wrong checksum not answered (profile)"
                  : "request with a wrong checksum processed anyway (profile)",
             {{"profile", s.terminal.profile}});
    if (drop) {
      hub.metrics.message(frame.size() >= 2 ? std::string_view(frame).substr(0, 2) : "??",
                          "bad_checksum");
      co_return std::string();
    }
    auto unchecked = d;
    unchecked.error_detection = sip2::ErrorDetection::off;
    decoded = sip2::decode_request(frame, unchecked);
  }
  if (decoded && decoded->lenient) {
    // Tolerate what real kiosks send: read it leniently, but log what was wrong.
    obs::log(spdlog::level::warn, s.terminal.connection_id, {},
             "non-conforming frame read leniently",
             {{"error", decoded->strict_error->code.message()},
              {"offset", std::to_string(decoded->strict_error->offset)}});
  }
  if (!decoded && decoded.error().code == sip2::errc::unknown_command) {
    if (auto handled = unknown_message(s, frame)) co_return *handled;
  }
  if (!decoded) {
    const auto kind =
        decoded.error().code == sip2::errc::checksum_mismatch ? "bad_checksum" : "malformed";
    hub.metrics.message(frame.size() >= 2 ? std::string_view(frame).substr(0, 2) : "??", kind);
    obs::log(spdlog::level::warn, s.terminal.connection_id, {}, "request refused with 96",
             {{"error", decoded.error().code.message()}});
    co_return resend_request(s);
  }
  const auto& request = decoded->frame.message;
  const auto cmd = sip2::command_of(request);
  const auto seq = decoded->frame.sequence;
  if (sip2::spec(cmd).direction != sip2::Direction::request) {
    if (auto handled = unknown_message(s, frame)) co_return *handled;
    hub.metrics.message(code_of(request), "malformed");
    co_return resend_request(s);
  }
  if (auto handled = inbound_fields(s, frame, *decoded)) co_return *handled;
  if (cmd == sip2::Command::request_acs_resend) {
    // Per profile: unsupported 97s and 97s before any response may go unanswered.
    if (!d.resend_supported || (s.last_response.empty() && !d.resend_nothing_sent_96)) {
      hub.metrics.message("97", "ignored");
      obs::log(spdlog::level::info, s.terminal.connection_id, {}, "97 not answered (profile)",
               {{"profile", s.terminal.profile}});
      co_return std::string();
    }
    hub.metrics.message("97", "ok");
    co_return s.last_response.empty() ? resend_request(s) : resent(s);
  }
  const std::string req_id = s.next_request_id();
  sip2::AnyMessage response;
  std::string_view result = "ok";
  std::string detail;
  if (cmd == sip2::Command::login_request) {
    response = co_await login(s, std::get<sip2::LoginRequest>(request), req_id);
    result = std::get<sip2::LoginResponse>(response).ok ? "ok" : "refused";
  } else if (cmd == sip2::Command::sc_status_request) {
    if (s.terminal.logged_in || d.sc_status_before_login) {
      s.print_width = std::get<sip2::ScStatusRequest>(request).max_print_width;
      response = handlers::acs_status(s.terminal, *s.rt().services, s.terminal.logged_in);
    } else {
      response = handlers::refusal(request, s.rt().catalogue.text("login.required"), s.terminal,
                                   *s.rt().services);
      result = "refused";
    }
  } else if (!s.terminal.logged_in) {
    response = handlers::refusal(request, s.rt().catalogue.text("login.required"), s.terminal,
                                 *s.rt().services);
    result = "refused";
  } else {
    auto outcome = co_await dispatch(s, request, req_id);
    // The library system's calls ran out of time: their budget ends at the deadline (an HTTP
    // timeout in whole milliseconds may fire a little before it).
    if (outcome.result == "error" && s.terminal.behaviour.timeouts.close_on_deadline &&
        Clock::now() + std::chrono::milliseconds(100) >= deadline_of(s, started)) {
      // The profile's kiosk retries on a new connection rather than read a failure.
      hub.metrics.message(code_of(request), "error");
      obs::log(spdlog::level::warn, s.terminal.connection_id, req_id,
               "request past its deadline: closing unanswered (profile)",
               {{"command", std::string(code_of(request))}, {"detail", outcome.detail}});
      if (!s.end) s.end = EndReason::request_deadline;
      co_return std::string();
    }
    response = std::move(outcome.response);
    result = outcome.result;
    detail = std::move(outcome.detail);
  }
  std::string out = wire(s, response, seq);
  s.last_response = out;
  s.last_request = decoded->frame.checksum_valid.value_or(false) ? frame : std::string();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  hub.metrics.message(code_of(request), result);
  hub.metrics.latency(code_of(request), seconds);
  const auto level = result == "error" ? spdlog::level::warn : spdlog::level::info;
  if (!obs::should_log(level)) co_return out;
  if (!s.terminal.behaviour.log_requests && result != "error") co_return out;  // the profile
  // Before login anyone can send anything: the first few lines are logged, then one in ten,
  // so a flood cannot fill the disk (the session's closing line has the total).
  if (!s.terminal.logged_in && cmd != sip2::Command::login_request) {
    const auto n = ++s.pre_login_requests;
    if (n > kPreLoginLinesLogged && n % kPreLoginSampling != 0) co_return out;
  }
  // The identifier as the handlers read it (a profile may trim or rewrite it), so that the log
  // line and the journal name the patron by the same pseudonym.
  const auto ids = s.terminal.behaviour.identifier.any()
                       ? pseudonymous_ids(hub.pseudonym, handlers::as_read(request, s.terminal))
                       : pseudonymous_ids(hub.pseudonym, request);
  obs::log(level, s.terminal.connection_id, req_id, "request",
           {{"command", std::string(code_of(request))},
            {"result", std::string(result)},
            {"ms", std::to_string(static_cast<long>(seconds * 1000))},
            {"patron", ids.first},
            {"item", ids.second},
            {"detail", detail}});
  co_return out;
}

}  // namespace server::detail
