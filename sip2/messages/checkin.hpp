// 09 Checkin, 10 Checkin Response (with the common sorting extensions CR CS CT CV CY DA CM).
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct CheckinRequest {
  static constexpr Command kCommand = Command::checkin_request;
  bool no_block = false;
  Timestamp transaction_date;
  std::optional<Timestamp> return_date;
  std::string current_location;
  std::string institution_id;
  std::string item_identifier;
  OptText terminal_password;
  OptText item_properties;
  OptFlag cancel;
  std::vector<Field> extra;
  bool operator==(const CheckinRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.no_block), b(m.transaction_date), b(m.return_date);
    b(field::current_location, m.current_location), b(field::institution_id, m.institution_id);
    b(field::item_identifier, m.item_identifier), b(field::terminal_password, m.terminal_password);
    b(field::item_properties, m.item_properties), b(field::cancel, m.cancel);
  }
};

struct CheckinResponse {
  static constexpr Command kCommand = Command::checkin_response;
  bool ok = false;
  Tristate resensitize = Tristate::unknown;
  Tristate magnetic_media = Tristate::unknown;
  bool alert = false;
  Timestamp transaction_date;
  std::string institution_id;
  std::string item_identifier;
  std::string permanent_location;
  OptText title_identifier;
  OptText sort_bin;
  OptText patron_identifier;
  OptText media_type;
  OptText item_properties;
  OptText collection_code;
  OptText call_number;
  OptText destination_location;
  std::optional<AlertType> alert_type;
  OptText hold_patron_id;
  OptText hold_patron_name;
  std::optional<Timestamp> hold_pickup_date;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const CheckinResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.ok), b(m.resensitize), b(m.magnetic_media), b(m.alert), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::item_identifier, m.item_identifier);
    b(field::permanent_location, m.permanent_location);
    b(field::title_identifier, m.title_identifier), b(field::sort_bin, m.sort_bin);
    b(field::patron_identifier, m.patron_identifier), b(field::media_type, m.media_type);
    b(field::item_properties, m.item_properties), b(field::collection_code, m.collection_code);
    b(field::call_number, m.call_number), b(field::destination_location, m.destination_location);
    b(field::alert_type, m.alert_type), b(field::hold_patron_id, m.hold_patron_id);
    b(field::hold_patron_name, m.hold_patron_name), b(field::hold_pickup_date, m.hold_pickup_date);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
