// One function per request message; each answers with its own response type.
#pragma once

#include "handlers/context.hpp"

namespace handlers::detail {

Outcome patron_status(const sip2::PatronStatusRequest& q, Terminal& t, const Services& s,
                      const Request& r);
/// A 23 from the identity cache alone, or nullopt (see handlers::answer_locally).
std::optional<Outcome> patron_status_locally(const sip2::PatronStatusRequest& q, Terminal& t,
                                             const Services& s);
Outcome patron_information(const sip2::PatronInformationRequest& q, Terminal& t, const Services& s,
                           const Request& r);
Outcome end_session(const sip2::EndPatronSessionRequest& q, Terminal& t, const Services& s,
                    const Request& r);
Outcome block_patron(const sip2::BlockPatronRequest& q, Terminal& t, const Services& s,
                     const Request& r);
Outcome patron_enable(const sip2::PatronEnableRequest& q, Terminal& t, const Services& s,
                      const Request& r);
Outcome checkout(const sip2::CheckoutRequest& q, Terminal& t, const Services& s, const Request& r);
Outcome checkin(const sip2::CheckinRequest& q, Terminal& t, const Services& s, const Request& r);
Outcome renew(const sip2::RenewRequest& q, Terminal& t, const Services& s, const Request& r);
Outcome renew_all(const sip2::RenewAllRequest& q, Terminal& t, const Services& s, const Request& r);
Outcome item_information(const sip2::ItemInformationRequest& q, Terminal& t, const Services& s,
                         const Request& r);
Outcome item_status_update(const sip2::ItemStatusUpdateRequest& q, Terminal& t, const Services& s,
                           const Request& r);
Outcome hold(const sip2::HoldRequest& q, Terminal& t, const Services& s, const Request& r);
Outcome fee_paid(const sip2::FeePaidRequest& q, Terminal& t, const Services& s, const Request& r);

}  // namespace handlers::detail
