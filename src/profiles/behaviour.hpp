// What a firmware profile changes in the handlers' answers; the codec's part is sip2::Dialect.
#pragma once

#include <string>

namespace profiles {

/// Read from the profile's sections by ProfileRegistry; the defaults are the built-in baseline.
struct Behaviour {
  struct Checkin {
    bool ct_always = false;          ///< checkin.ct.always_send: CT even without a destination
    bool cv_00_on_success = false;   ///< checkin.cv.send_00_on_success: CV 00 without an alert
    bool message_on_success = true;  ///< checkin.screen_message_on_success: AF on a plain return
    bool patron_aa = true;           ///< checkin.return_patron_aa: AA of the loan's patron
    bool operator==(const Checkin&) const = default;
  } checkin;
  struct Session {
    bool reject_encrypted_login = true;  ///< session.reject_encrypted_login
    bool relogin = true;                 ///< session.relogin_on_same_connection
    std::string pre_login_institution;   ///< session.sc_status_before_login.institution_id
    bool operator==(const Session&) const = default;
  } session;
  bool fees_supported = true;  ///< fees.supported: 37 answered, and BX says so
  bool operator==(const Behaviour&) const = default;
};

}  // namespace profiles
