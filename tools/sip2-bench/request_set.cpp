// The requests one connection sends, encoded once; framing adds AY/AZ and CR per send.
#include "request_set.hpp"

#include <chrono>

#include "sip2/checksum.hpp"
#include "sip2/typed.hpp"

namespace bench {

namespace {

sip2::OptText optional(const std::string& s) {
  return s.empty() ? sip2::OptText{} : sip2::OptText{s};
}

/// Placeholders the encoder passes through unchanged; split out again after encoding.
constexpr std::string_view kBarcode = "{AA}";
constexpr std::string_view kPinField = "AD{AD}|";
constexpr std::string_view kWrongPinField = "AD{AD!}|";

/// The typed request of a kind; `now` is the transaction date of every request (a fixed date is
/// what a kiosk that never syncs its clock sends, and servers accept it).
sip2::AnyMessage make_request(MessageKind kind, const BenchOptions& o, const Patron& patron,
                              const std::string& item, sip2::Timestamp now) {
  const std::string& ao = o.institution;
  switch (kind) {
    case MessageKind::login:
      return sip2::LoginRequest{'0', '0', o.login, o.password, optional(o.location), {}};
    case MessageKind::sc_status:
      return sip2::ScStatusRequest{sip2::ScStatusCode::ok, 80, "2.00", {}};
    case MessageKind::patron_status_pin:
      return sip2::PatronStatusRequest{
          "001", now, ao, patron.barcode, std::string(), optional(patron.pin), {}};
    case MessageKind::patron_status_wrong_pin:
      return sip2::PatronStatusRequest{
          "001", now, ao, patron.barcode, std::string(), sip2::OptText{"{AD!}"}, {}};
    case MessageKind::patron_status:
      return sip2::PatronStatusRequest{"001", now, ao, patron.barcode, std::string(), {}, {}};
    case MessageKind::patron_information: {
      sip2::PatronInformationRequest r;
      r.language = "001", r.transaction_date = now, r.institution_id = ao;
      r.patron_identifier = patron.barcode, r.terminal_password = std::string();
      r.patron_password = optional(patron.pin);
      return r;
    }
    case MessageKind::item_information:
      return sip2::ItemInformationRequest{now, ao, item, std::string(), {}};
    case MessageKind::checkout: {
      sip2::CheckoutRequest r;
      r.transaction_date = now, r.institution_id = ao, r.patron_identifier = patron.barcode;
      r.item_identifier = item, r.terminal_password = std::string();
      r.patron_password = optional(patron.pin);
      return r;
    }
    case MessageKind::checkin: {
      sip2::CheckinRequest r;
      r.transaction_date = now, r.return_date = now;
      r.current_location = o.location.empty() ? ao : o.location;
      r.institution_id = ao, r.item_identifier = item, r.terminal_password = std::string();
      return r;
    }
    case MessageKind::renew: {
      sip2::RenewRequest r;
      r.transaction_date = now, r.institution_id = ao, r.patron_identifier = patron.barcode;
      r.patron_password = optional(patron.pin), r.item_identifier = item;
      r.terminal_password = std::string();
      return r;
    }
  }
  return sip2::ScStatusRequest{};
}

}  // namespace

RequestSet RequestSet::build(const BenchOptions& o, std::size_t connection_index) {
  RequestSet set;
  const auto now = sip2::Timestamp::from_sys(
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  const Patron placeholder{std::string(kBarcode), "{AD}"};
  const Patron none;
  const Patron& own = o.patrons.empty() ? none : o.patrons[connection_index % o.patrons.size()];
  const std::string empty;
  const std::string& item = o.items.empty() ? empty : o.items[connection_index % o.items.size()];
  std::vector<MessageKind> kinds = o.mix.kinds();
  kinds.push_back(MessageKind::sc_status);
  if (!o.login.empty()) kinds.push_back(MessageKind::login);
  for (const MessageKind kind : kinds) {
    const auto k = static_cast<std::size_t>(kind);
    auto body = sip2::encode(make_request(kind, o, placeholder, item, now));
    if (!body) continue;
    set.templates_[k] = split(*body);
    set.render(kind, own, set.bodies_[k]);
  }
  return set;
}

std::vector<RequestSet::Piece> RequestSet::split(const std::string& body) {
  std::vector<Piece> pieces;
  std::string_view rest = body;
  for (;;) {
    // The earliest placeholder (a kind names its patron once, but AA may come after AD).
    std::size_t at = std::string_view::npos;
    std::string_view mark;
    Slot slot = Slot::none;
    for (const auto& [m, s] :
         {std::pair{kBarcode, Slot::barcode}, std::pair{kWrongPinField, Slot::wrong_pin_field},
          std::pair{kPinField, Slot::pin_field}}) {
      const auto pos = rest.find(m);
      if (pos < at) at = pos, mark = m, slot = s;
    }
    if (at == std::string_view::npos) {
      pieces.push_back({std::string(rest), Slot::none});
      return pieces;
    }
    pieces.push_back({std::string(rest.substr(0, at)), slot});
    rest.remove_prefix(at + mark.size());
  }
}

void RequestSet::render(MessageKind kind, const Patron& patron, std::string& out) const {
  out.clear();
  for (const Piece& p : templates_[static_cast<std::size_t>(kind)]) {
    out += p.text;
    switch (p.slot) {
      case Slot::none:
        break;
      case Slot::barcode:
        out += patron.barcode;
        break;
      case Slot::pin_field:
        if (!patron.pin.empty()) out.append("AD").append(patron.pin).push_back('|');
        break;
      case Slot::wrong_pin_field:
        out.append("AD").append(wrong_pin(patron.pin)).push_back('|');
        break;
    }
  }
}

void frame_request(std::string& out, const std::string& body, bool error_detection, int sequence) {
  out.assign(body);
  finish_frame(out, error_detection, sequence);
}

void finish_frame(std::string& out, bool error_detection, int sequence) {
  if (error_detection)
    sip2::append_error_detection(out, sequence, sip2::ChecksumBasis::bytes, sip2::Charset::cp850);
  out.push_back('\r');
}

}  // namespace bench
