// The baseline server's answers: one canned, spec-valid response per request type.
#include "canned_responder.hpp"

#include <chrono>

#include "sip2/checksum.hpp"
#include "sip2/command.hpp"
#include "sip2/typed.hpp"

namespace bench {

namespace {

constexpr std::string_view kInstitution = "{AO}";
constexpr std::string_view kPatron = "{AA}";
constexpr std::string_view kItem = "{AB}";
constexpr std::string_view kTitle = "Baseline Title";

template <class R>
R with_ids(sip2::Timestamp now) {
  R r;
  r.transaction_date = now;
  if constexpr (requires { r.institution_id = std::string(); })
    r.institution_id = std::string(kInstitution);
  if constexpr (requires { r.patron_identifier = std::string(); })
    r.patron_identifier = std::string(kPatron);
  if constexpr (requires { r.item_identifier = std::string(); })
    r.item_identifier = std::string(kItem);
  if constexpr (requires { r.personal_name = std::string(); }) r.personal_name = "Baseline Patron";
  if constexpr (requires { r.valid_patron = true; }) r.valid_patron = true;
  if constexpr (requires { r.valid_patron_password = true; }) r.valid_patron_password = true;
  if constexpr (requires { r.ok = true; }) r.ok = true;
  return r;
}

sip2::AcsStatusResponse acs_status(sip2::Timestamp now) {
  sip2::AcsStatusResponse a;
  a.online_status = a.checkin_ok = a.checkout_ok = a.acs_renewal_policy = true;
  a.timeout_period = 30, a.retries_allowed = 3, a.date_time_sync = now;
  a.institution_id = "MAIN";  // a 99 names no institution
  a.library_name = "sip2-bench baseline";
  a.supported_messages.set();
  return a;
}

/// Request code → its canned response.
std::vector<std::pair<std::string, sip2::AnyMessage>> responses(sip2::Timestamp now) {
  using namespace sip2;
  auto item_info = with_ids<ItemInformationResponse>(now);
  item_info.circulation_status = CirculationStatus::available;
  item_info.title_identifier = kTitle;
  auto checkout = with_ids<CheckoutResponse>(now);
  checkout.title_identifier = kTitle, checkout.due_date = "20991231    235959";
  checkout.desensitize = Tristate::yes, checkout.magnetic_media = Tristate::no;
  auto renew = with_ids<RenewResponse>(now);
  renew.renewal_ok = true, renew.title_identifier = kTitle, renew.due_date = "20991231    235959";
  auto checkin = with_ids<CheckinResponse>(now);
  checkin.permanent_location = "Main Library Stacks",
  checkin.title_identifier = std::string(kTitle);
  checkin.resensitize = Tristate::yes, checkin.magnetic_media = Tristate::no;
  auto info = with_ids<PatronInformationResponse>(now);
  for (auto* n : {&info.hold_items_count, &info.overdue_items_count, &info.charged_items_count,
                  &info.fine_items_count, &info.recall_items_count, &info.unavailable_holds_count})
    *n = 0;
  auto end_session = with_ids<EndPatronSessionResponse>(now);
  end_session.end_session = true;
  auto fee_paid = with_ids<FeePaidResponse>(now);
  fee_paid.payment_accepted = true;
  return {{"93", LoginResponse{true, {}, {}, {}}},
          {"99", acs_status(now)},
          {"23", with_ids<PatronStatusResponse>(now)},
          {"01", with_ids<PatronStatusResponse>(now)},
          {"63", info},
          {"17", item_info},
          {"11", checkout},
          {"09", checkin},
          {"29", renew},
          {"35", end_session},
          {"37", fee_paid},
          {"15", with_ids<HoldResponse>(now)},
          {"65", with_ids<RenewAllResponse>(now)},
          {"25", with_ids<PatronEnableResponse>(now)}};
}

/// The ids a request carries (first of each) and its AY digit (-1 without).
struct RequestIds {
  std::string_view institution, patron, item;
  int sequence = -1;
};

/// Reads the variable part of a request up to its trailer.
RequestIds read_ids(std::string_view fields) {
  RequestIds ids;
  while (!fields.empty()) {
    const auto bar = fields.find('|');
    const std::string_view seg = fields.substr(0, bar);
    fields = bar == std::string_view::npos ? std::string_view{} : fields.substr(bar + 1);
    if (seg.size() < 2) continue;
    const std::string_view code = seg.substr(0, 2), value = seg.substr(2);
    if (code == "AY") {
      if (!value.empty() && value[0] >= '0' && value[0] <= '9') ids.sequence = value[0] - '0';
      break;
    }
    if (code == "AZ") break;
    if (code == "AO" && ids.institution.empty()) ids.institution = value;
    if (code == "AA" && ids.patron.empty()) ids.patron = value;
    if (code == "AB" && ids.item.empty()) ids.item = value;
  }
  return ids;
}

/// False when the request ends in an AZ that does not verify.
bool checksum_ok(std::string_view request) {
  const auto az = request.rfind("AZ");
  if (az == std::string_view::npos || request.size() != az + 6) return true;
  const auto sent = sip2::parse_checksum_hex(request.substr(az + 2));
  return sent && *sent == sip2::checksum(request.substr(0, az + 2));
}

}  // namespace

CannedResponder::CannedResponder() {
  const auto now = sip2::Timestamp::from_sys(
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  for (auto& [code, message] : responses(now)) {
    auto body = sip2::encode(message);
    if (body) templates_.emplace_back(code, split(*body));
  }
  resend_ = *sip2::encode(sip2::AnyMessage{sip2::RequestScResend{}}) + "\r";
}

CannedResponder::Template CannedResponder::split(const std::string& body) {
  Template t;
  std::string_view rest = body;
  for (;;) {
    std::size_t at = std::string_view::npos;
    Slot slot = Slot::none;
    for (auto [mark, s] : {std::pair{kInstitution, Slot::institution},
                           std::pair{kPatron, Slot::patron}, std::pair{kItem, Slot::item}}) {
      const auto pos = rest.find(mark);
      if (pos < at) at = pos, slot = s;
    }
    t.push_back({std::string(rest.substr(0, at)), slot});
    if (at == std::string_view::npos) return t;
    rest.remove_prefix(at + 4);
  }
}

const CannedResponder::Template* CannedResponder::find(std::string_view code) const {
  for (const auto& [c, t] : templates_)
    if (c == code) return &t;
  return nullptr;
}

void CannedResponder::answer(std::string_view request, std::string& out) const {
  const sip2::CommandSpec* spec =
      request.size() >= 2 ? sip2::find_command(request.substr(0, 2)) : nullptr;
  const Template* t = spec != nullptr ? find(spec->code) : nullptr;
  if (t == nullptr || request.size() < 2 + spec->fixed_length() || !checksum_ok(request)) {
    out += resend_;
    return;
  }
  const RequestIds ids = read_ids(request.substr(2 + spec->fixed_length()));
  const std::size_t start = out.size();
  for (const Piece& p : *t) {
    out += p.text;
    if (p.slot == Slot::institution) out += ids.institution;
    if (p.slot == Slot::patron) out += ids.patron;
    if (p.slot == Slot::item) out += ids.item;
  }
  if (ids.sequence >= 0) {
    out += "AY";
    out.push_back(static_cast<char>('0' + ids.sequence));
    out += "AZ";
    out += sip2::checksum_hex(sip2::checksum(std::string_view(out).substr(start)));
  }
  out += '\r';
}

}  // namespace bench
