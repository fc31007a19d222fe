// 15 Hold, 16 Hold Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct HoldRequest {
  static constexpr Command kCommand = Command::hold_request;
  HoldMode hold_mode = HoldMode::add;
  Timestamp transaction_date;
  std::optional<Timestamp> expiration_date;
  OptText pickup_location;
  OptText hold_type;  ///< one digit, 1–4
  std::string institution_id;
  std::string patron_identifier;
  OptText patron_password;
  OptText item_identifier;
  OptText title_identifier;
  OptText terminal_password;
  OptFlag fee_acknowledged;
  std::vector<Field> extra;
  bool operator==(const HoldRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.hold_mode), b(m.transaction_date);
    b(field::expiration_date, m.expiration_date), b(field::pickup_location, m.pickup_location);
    b(field::hold_type, m.hold_type), b(field::institution_id, m.institution_id);
    b(field::patron_identifier, m.patron_identifier), b(field::patron_password, m.patron_password);
    b(field::item_identifier, m.item_identifier), b(field::title_identifier, m.title_identifier);
    b(field::terminal_password, m.terminal_password);
    b(field::fee_acknowledged, m.fee_acknowledged);
  }
};

struct HoldResponse {
  static constexpr Command kCommand = Command::hold_response;
  bool ok = false;
  bool available = false;
  Timestamp transaction_date;
  std::optional<Timestamp> expiration_date;
  OptText queue_position;
  OptText pickup_location;
  std::string institution_id;
  std::string patron_identifier;
  OptText item_identifier;
  OptText title_identifier;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const HoldResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.ok), b(m.available), b(m.transaction_date);
    b(field::expiration_date, m.expiration_date), b(field::queue_position, m.queue_position);
    b(field::pickup_location, m.pickup_location), b(field::institution_id, m.institution_id);
    b(field::patron_identifier, m.patron_identifier), b(field::item_identifier, m.item_identifier);
    b(field::title_identifier, m.title_identifier);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
