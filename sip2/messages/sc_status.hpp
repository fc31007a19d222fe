// 99 SC Status, 98 ACS Status, 97 Request ACS Resend, 96 Request SC Resend, 93 Login, 94 Login
// Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct ScStatusRequest {
  static constexpr Command kCommand = Command::sc_status_request;
  ScStatusCode status_code = ScStatusCode::ok;
  std::uint16_t max_print_width = 0;
  std::string protocol_version = "2.00";
  std::vector<Field> extra;
  bool operator==(const ScStatusRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.status_code), b(m.max_print_width), b(m.protocol_version);
  }
};

struct AcsStatusResponse {
  static constexpr Command kCommand = Command::acs_status_response;
  bool online_status = false;
  bool checkin_ok = false;
  bool checkout_ok = false;
  bool acs_renewal_policy = false;
  bool status_update_ok = false;
  bool offline_ok = false;
  std::uint16_t timeout_period = 999;  ///< tenths of a second; 999 = unknown
  std::uint16_t retries_allowed = 999;
  Timestamp date_time_sync;  ///< zero = not supported
  std::string protocol_version = "2.00";
  std::string institution_id;
  OptText library_name;
  SupportedMessages supported_messages;
  OptText terminal_location;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const AcsStatusResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.online_status), b(m.checkin_ok), b(m.checkout_ok), b(m.acs_renewal_policy);
    b(m.status_update_ok), b(m.offline_ok), b(m.timeout_period), b(m.retries_allowed);
    b(m.date_time_sync), b(m.protocol_version);
    b(field::institution_id, m.institution_id), b(field::library_name, m.library_name);
    b(field::supported_messages, m.supported_messages);
    b(field::terminal_location, m.terminal_location);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

struct RequestAcsResend {
  static constexpr Command kCommand = Command::request_acs_resend;
  std::vector<Field> extra;
  bool operator==(const RequestAcsResend&) const = default;
  template <class B, class M>
  static void describe(B&, M&) {}
};

struct RequestScResend {
  static constexpr Command kCommand = Command::request_sc_resend;
  std::vector<Field> extra;
  bool operator==(const RequestScResend&) const = default;
  template <class B, class M>
  static void describe(B&, M&) {}
};

struct LoginRequest {
  static constexpr Command kCommand = Command::login_request;
  char uid_algorithm = '0';
  char pwd_algorithm = '0';
  std::string login_user_id;
  std::string login_password;
  OptText location_code;
  std::vector<Field> extra;
  bool operator==(const LoginRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.uid_algorithm), b(m.pwd_algorithm);
    b(field::login_user_id, m.login_user_id), b(field::login_password, m.login_password);
    b(field::location_code, m.location_code);
  }
};

struct LoginResponse {
  static constexpr Command kCommand = Command::login_response;
  bool ok = false;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const LoginResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.ok);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
