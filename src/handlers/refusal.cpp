// Building the refusal response of each request type.
#include "handlers/refusal.hpp"

#include "handlers/support.hpp"

namespace handlers {

namespace {

template <class R, class Q>
R base(const Q& q, const std::string& screen, sip2::Timestamp now) {
  R a;
  a.transaction_date = now;
  if constexpr (requires { a.institution_id = q.institution_id; })
    a.institution_id = q.institution_id;
  if constexpr (requires { a.patron_identifier = q.patron_identifier; })
    a.patron_identifier = q.patron_identifier;
  if constexpr (requires { a.item_identifier = q.item_identifier; })
    a.item_identifier = q.item_identifier;
  if constexpr (requires { a.screen_message; }) a.screen_message.push_back(screen);
  return a;
}

sip2::AnyMessage dated_refusal(const sip2::AnyMessage& request, const std::string& screen,
                               sip2::Timestamp ts) {
  return std::visit(
      [&](const auto& q) -> sip2::AnyMessage {
        using T = std::decay_t<decltype(q)>;
        using namespace sip2;
        if constexpr (std::is_same_v<T, PatronStatusRequest> ||
                      std::is_same_v<T, BlockPatronRequest>) {
          auto a = base<PatronStatusResponse>(q, screen, ts);
          a.valid_patron = false;
          return a;
        } else if constexpr (std::is_same_v<T, PatronInformationRequest>) {
          auto a = base<PatronInformationResponse>(q, screen, ts);
          for (auto* n : {&a.hold_items_count, &a.overdue_items_count, &a.charged_items_count,
                          &a.fine_items_count, &a.recall_items_count, &a.unavailable_holds_count})
            *n = 0;
          return a;
        } else if constexpr (std::is_same_v<T, CheckoutRequest>) {
          auto a = base<CheckoutResponse>(q, screen, ts);
          a.desensitize = Tristate::no;
          return a;
        } else if constexpr (std::is_same_v<T, CheckinRequest>) {
          return base<CheckinResponse>(q, screen, ts);
        } else if constexpr (std::is_same_v<T, RenewRequest>) {
          auto a = base<RenewResponse>(q, screen, ts);
          a.item_identifier = q.item_identifier.value_or("");
          a.desensitize = Tristate::no;
          return a;
        } else if constexpr (std::is_same_v<T, RenewAllRequest>) {
          return base<RenewAllResponse>(q, screen, ts);
        } else if constexpr (std::is_same_v<T, EndPatronSessionRequest>) {
          auto a = base<EndPatronSessionResponse>(q, screen, ts);
          a.end_session = true;
          return a;
        } else if constexpr (std::is_same_v<T, FeePaidRequest>) {
          auto a = base<FeePaidResponse>(q, screen, ts);
          a.transaction_id = q.transaction_id;
          return a;
        } else if constexpr (std::is_same_v<T, ItemInformationRequest>) {
          auto a = base<ItemInformationResponse>(q, screen, ts);
          a.circulation_status = CirculationStatus::other;
          return a;
        } else if constexpr (std::is_same_v<T, ItemStatusUpdateRequest>) {
          return base<ItemStatusUpdateResponse>(q, screen, ts);
        } else if constexpr (std::is_same_v<T, PatronEnableRequest>) {
          return base<PatronEnableResponse>(q, screen, ts);
        } else if constexpr (std::is_same_v<T, HoldRequest>) {
          auto a = base<HoldResponse>(q, screen, ts);
          a.title_identifier = q.title_identifier;
          return a;
        } else if constexpr (std::is_same_v<T, LoginRequest>) {
          LoginResponse a;
          a.ok = false;
          return a;
        } else if constexpr (std::is_same_v<T, ScStatusRequest>) {
          AcsStatusResponse a;
          a.date_time_sync = ts;
          a.screen_message.push_back(screen);
          return a;
        } else {
          return RequestScResend{};
        }
      },
      request);
}

}  // namespace

sip2::AnyMessage refusal(const sip2::AnyMessage& request, const std::string& screen,
                         const Terminal& terminal, const Services& services) {
  return dated_refusal(request, screen, detail::now_stamp(terminal, services));
}

}  // namespace handlers
