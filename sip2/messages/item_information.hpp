// 17 Item Information, 18 Item Information Response, 19 Item Status Update, 20 its response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct ItemInformationRequest {
  static constexpr Command kCommand = Command::item_information_request;
  Timestamp transaction_date;
  std::string institution_id;
  std::string item_identifier;
  OptText terminal_password;
  std::vector<Field> extra;
  bool operator==(const ItemInformationRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::item_identifier, m.item_identifier);
    b(field::terminal_password, m.terminal_password);
  }
};

struct ItemInformationResponse {
  static constexpr Command kCommand = Command::item_information_response;
  CirculationStatus circulation_status = CirculationStatus::other;
  SecurityMarker security_marker = SecurityMarker::other;
  FeeType fee_type = FeeType::other;
  Timestamp transaction_date;
  OptText hold_queue_length;
  OptText due_date;
  std::optional<Timestamp> recall_date;
  std::optional<Timestamp> hold_pickup_date;
  std::string item_identifier;
  std::string title_identifier;
  OptText owner;
  OptText currency_type;
  OptText fee_amount;
  OptText media_type;
  OptText permanent_location;
  OptText current_location;
  OptText item_properties;
  OptText call_number;
  OptText collection_code;
  OptText destination_location;
  OptText hold_patron_id;
  OptText hold_patron_name;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const ItemInformationResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.circulation_status), b(m.security_marker), b(m.fee_type), b(m.transaction_date);
    b(field::hold_queue_length, m.hold_queue_length), b(field::due_date, m.due_date);
    b(field::recall_date, m.recall_date), b(field::hold_pickup_date, m.hold_pickup_date);
    b(field::item_identifier, m.item_identifier), b(field::title_identifier, m.title_identifier);
    b(field::owner, m.owner), b(field::currency_type, m.currency_type);
    b(field::fee_amount, m.fee_amount), b(field::media_type, m.media_type);
    b(field::permanent_location, m.permanent_location);
    b(field::current_location, m.current_location), b(field::item_properties, m.item_properties);
    b(field::call_number, m.call_number), b(field::collection_code, m.collection_code);
    b(field::destination_location, m.destination_location);
    b(field::hold_patron_id, m.hold_patron_id), b(field::hold_patron_name, m.hold_patron_name);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

struct ItemStatusUpdateRequest {
  static constexpr Command kCommand = Command::item_status_update_request;
  Timestamp transaction_date;
  std::string institution_id;
  std::string item_identifier;
  OptText terminal_password;
  std::string item_properties;
  std::vector<Field> extra;
  bool operator==(const ItemStatusUpdateRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::item_identifier, m.item_identifier);
    b(field::terminal_password, m.terminal_password);
    b(field::item_properties, m.item_properties);
  }
};

struct ItemStatusUpdateResponse {
  static constexpr Command kCommand = Command::item_status_update_response;
  char item_properties_ok = '0';
  Timestamp transaction_date;
  std::string item_identifier;
  OptText title_identifier;
  OptText item_properties;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const ItemStatusUpdateResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.item_properties_ok), b(m.transaction_date);
    b(field::item_identifier, m.item_identifier), b(field::title_identifier, m.title_identifier);
    b(field::item_properties, m.item_properties);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
