// The SIP2 request bodies behind the client's plain-word commands, from what the session knows.
#include "request_builder.hpp"

#include <charconv>
#include <chrono>
#include <ctime>
#include <utility>

#include "secret_mask.hpp"
#include "sip2/field_code.hpp"
#include "sip2/typed.hpp"

namespace sip2_client {
namespace {

using Body = tl::expected<std::string, std::string>;
using Args = std::span<const std::string>;

sip2::Timestamp now_timestamp() {
  const auto text = sip_now();
  return *sip2::parse_timestamp(text);
}

/// The body of a typed request, in UTF-8 and without trailer.
Body encode_body(const sip2::AnyMessage& message) {
  sip2::Dialect utf8;
  utf8.charset = sip2::Charset::utf8;
  auto body = sip2::encode(message, utf8);
  if (!body) return tl::unexpected("cannot encode the request: " + body.error().code.message());
  return std::move(*body);
}

tl::expected<std::string, std::string> need_patron(const SessionState& s, std::string_view cmd) {
  if (!s.patron)
    return tl::unexpected(std::string(cmd) + ": no patron yet; start with `patron BARCODE [PIN]`");
  return *s.patron;
}

tl::expected<std::string, std::string> one_arg(Args args, std::string_view cmd,
                                               std::string_view what) {
  if (args.size() != 1) return tl::unexpected(std::string(cmd) + " needs " + std::string(what));
  return args[0];
}

/// Builds a patron-bound request: sets AO, AA and AD (when a PIN is known) on `request`.
template <class Request>
Body patron_request(Request request, const SessionState& s, std::string_view cmd) {
  const auto patron = need_patron(s, cmd);
  if (!patron) return tl::unexpected(patron.error());
  request.transaction_date = now_timestamp();
  request.institution_id = s.institution;
  request.patron_identifier = *patron;
  request.patron_password = s.pin;
  return encode_body(request);
}

Body patron_command(Args args, SessionState& s) {
  if (args.size() > 2) return tl::unexpected(std::string("patron takes BARCODE [PIN]"));
  // `patron X ****` (a line recalled from the history) keeps the PIN remembered for X.
  const bool recalled = args.size() == 2 && args[1] == kMask && s.patron == args[0];
  if (!args.empty() && !recalled) {
    s.patron = args[0];
    s.pin.reset();
    if (args.size() == 2) s.pin = args[1];
  }
  sip2::PatronStatusRequest r;
  r.language = s.language;
  return patron_request(r, s, "patron");
}

Body info_command(Args args, const SessionState& s) {
  static constexpr std::pair<std::string_view, sip2::SummaryItem> kKinds[] = {
      {"holds", sip2::SummaryItem::hold_items},
      {"overdue", sip2::SummaryItem::overdue_items},
      {"charged", sip2::SummaryItem::charged_items},
      {"fines", sip2::SummaryItem::fine_items},
      {"recall", sip2::SummaryItem::recall_items},
      {"unavailable", sip2::SummaryItem::unavailable_holds}};
  sip2::PatronInformationRequest r;
  r.language = s.language;
  if (args.size() > 1) return tl::unexpected(std::string("info takes at most one list name"));
  if (args.size() == 1) {
    bool found = false;
    for (const auto& [name, item] : kKinds) {
      if (args[0] == name) {
        r.summary.set(static_cast<std::size_t>(item));
        found = true;
      }
    }
    if (!found)
      return tl::unexpected("info: '" + args[0] +
                            "' is not one of charged, overdue, holds, fines, recall, unavailable");
  }
  return patron_request(r, s, "info");
}

Body checkout_command(Args args, const SessionState& s) {
  const auto item = one_arg(args, "checkout", "an ITEM");
  if (!item) return tl::unexpected(item.error());
  sip2::CheckoutRequest r;
  r.sc_renewal_policy = true;
  r.item_identifier = *item;
  return patron_request(r, s, "checkout");
}

Body checkin_command(Args args, const SessionState& s) {
  const auto item = one_arg(args, "checkin", "an ITEM");
  if (!item) return tl::unexpected(item.error());
  sip2::CheckinRequest r;
  r.transaction_date = now_timestamp();
  r.return_date = r.transaction_date;
  r.current_location = s.location.value_or(s.institution);
  r.institution_id = s.institution;
  r.item_identifier = *item;
  return encode_body(r);
}

Body item_command(Args args, const SessionState& s) {
  const auto item = one_arg(args, "item", "an ITEM");
  if (!item) return tl::unexpected(item.error());
  sip2::ItemInformationRequest r;
  r.transaction_date = now_timestamp();
  r.institution_id = s.institution;
  r.item_identifier = *item;
  return encode_body(r);
}

Body renew_command(Args args, const SessionState& s) {
  const auto item = one_arg(args, "renew", "an ITEM (or use renew-all)");
  if (!item) return tl::unexpected(item.error());
  sip2::RenewRequest r;
  r.item_identifier = *item;
  return patron_request(r, s, "renew");
}

Body hold_command(Args args, const SessionState& s) {
  if (args.size() != 2 || (args[0] != "place" && args[0] != "cancel"))
    return tl::unexpected(std::string("hold takes place|cancel ITEM"));
  sip2::HoldRequest r;
  r.hold_mode = args[0] == "place" ? sip2::HoldMode::add : sip2::HoldMode::remove;
  r.item_identifier = args[1];
  return patron_request(r, s, "hold");
}

bool is_amount(std::string_view v) {
  double amount = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), amount);
  return ec == std::errc() && end == v.data() + v.size() && amount > 0;
}

Body pay_command(Args args, const SessionState& s) {
  if (args.empty() || args.size() > 2 || !is_amount(args[0]))
    return tl::unexpected(std::string("pay takes AMOUNT [FEE_ID], e.g. pay 2.50"));
  sip2::FeePaidRequest r;
  r.currency_type = s.currency;
  r.fee_amount = args[0];
  if (args.size() == 2) r.fee_identifier = args[1];
  return patron_request(r, s, "pay");
}

Body block_command(Args args, const SessionState& s) {
  sip2::BlockPatronRequest r;
  r.blocked_card_msg = "Blocked by sip2-client";
  if (!args.empty()) {
    r.blocked_card_msg.clear();
    for (const auto& a : args)
      r.blocked_card_msg += (r.blocked_card_msg.empty() ? "" : " ") + a;
  }
  const auto patron = need_patron(s, "block");
  if (!patron) return tl::unexpected(patron.error());
  r.transaction_date = now_timestamp();
  r.institution_id = s.institution;
  r.patron_identifier = *patron;
  return encode_body(r);
}

Body no_args(Args args, std::string_view cmd, Body body) {
  if (!args.empty()) return tl::unexpected(std::string(cmd) + " takes no arguments");
  return body;
}

}  // namespace

std::string sip_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d    %H%M%S", &tm);
  return buf;
}

std::string login_body(std::string_view user, std::string_view password,
                       const std::optional<std::string>& location) {
  namespace f = sip2::field;
  std::string body = "9300";  // 93, UID and PWD algorithm 0: plain text
  body.append(f::login_user_id.view()).append(user).append("|");
  body.append(f::login_password.view()).append(password).append("|");
  if (location) body.append(f::location_code.view()).append(*location).append("|");
  return body;
}

tl::expected<std::string, std::string_view> fill_placeholders(std::string text,
                                                              std::span<const Placeholder> values) {
  for (const auto& [key, value] : values) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
      if (!value) return tl::unexpected(key);
      text.replace(at, key.size(), *value);
      at += value->size();
    }
  }
  return text;
}

tl::expected<std::string, std::string> expand_placeholders(std::string text,
                                                           const SessionState& s) {
  const Placeholder values[] = {{"{now}", sip_now()},
                                {"{institution}", s.institution},
                                {"{location}", s.location},
                                {"{patron}", s.patron},
                                {"{pin}", s.pin}};
  auto filled = fill_placeholders(std::move(text), values);
  if (!filled) return tl::unexpected(std::string(filled.error()) + " has no value in this session");
  return std::move(*filled);
}

tl::expected<std::string, std::string> build_request(std::string_view command, Args args,
                                                     SessionState& s) {
  if (command == "status") return no_args(args, command, "9900302.00");
  if (command == "patron") return patron_command(args, s);
  if (command == "info") return info_command(args, s);
  if (command == "checkout") return checkout_command(args, s);
  if (command == "checkin") return checkin_command(args, s);
  if (command == "item") return item_command(args, s);
  if (command == "renew") return renew_command(args, s);
  if (command == "hold") return hold_command(args, s);
  if (command == "pay") return pay_command(args, s);
  if (command == "block") return block_command(args, s);
  if (command == "renew-all")
    return args.empty() ? patron_request(sip2::RenewAllRequest{}, s, command)
                        : no_args(args, command, "");
  if (command == "enable")
    return args.empty() ? patron_request(sip2::PatronEnableRequest{}, s, command)
                        : no_args(args, command, "");
  if (command == "end")
    return args.empty() ? patron_request(sip2::EndPatronSessionRequest{}, s, command)
                        : no_args(args, command, "");
  if (command == "resend") return no_args(args, command, "97");
  if (command == "raw") {
    if (args.size() != 1 || args[0].size() < 2)
      return tl::unexpected(std::string("raw takes one quoted MESSAGE, e.g. raw '9900302.00'"));
    if (args[0].find_first_of("\r\n") != std::string::npos)
      return tl::unexpected(std::string("raw: the message may not contain CR or LF"));
    return expand_placeholders(args[0], s);
  }
  return tl::unexpected("unknown command '" + std::string(command) + "' (try `help`)");
}

}  // namespace sip2_client
