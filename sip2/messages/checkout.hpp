// 11 Checkout, 12 Checkout Response; 29 Renew, 30 Renew Response (same layout as 12).
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct CheckoutRequest {
  static constexpr Command kCommand = Command::checkout_request;
  bool sc_renewal_policy = false;
  bool no_block = false;
  Timestamp transaction_date;
  std::optional<Timestamp> nb_due_date;
  std::string institution_id;
  std::string patron_identifier;
  std::string item_identifier;
  OptText terminal_password;
  OptText item_properties;
  OptText patron_password;
  OptFlag fee_acknowledged;
  OptFlag cancel;
  std::vector<Field> extra;
  bool operator==(const CheckoutRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.sc_renewal_policy), b(m.no_block), b(m.transaction_date), b(m.nb_due_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::item_identifier, m.item_identifier), b(field::terminal_password, m.terminal_password);
    b(field::item_properties, m.item_properties), b(field::patron_password, m.patron_password);
    b(field::fee_acknowledged, m.fee_acknowledged), b(field::cancel, m.cancel);
  }
};

/// The shared layout of 12 and 30.
template <Command C>
struct CirculationResponse {
  static constexpr Command kCommand = C;
  bool ok = false;
  bool renewal_ok = false;
  Tristate magnetic_media = Tristate::unknown;
  Tristate desensitize = Tristate::unknown;
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  std::string item_identifier;
  std::string title_identifier;
  std::string due_date;  ///< free format (AH), rendered per dialect
  std::optional<FeeType> fee_type;
  OptFlag security_inhibit;
  OptText currency_type;
  OptText fee_amount;
  OptText media_type;
  OptText item_properties;
  OptText transaction_id;
  OptFlag valid_patron;           ///< extension sent by Koha and Evergreen on failures
  OptFlag valid_patron_password;  ///< extension sent by Koha and Evergreen on failures
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const CirculationResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.ok), b(m.renewal_ok), b(m.magnetic_media), b(m.desensitize), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::item_identifier, m.item_identifier), b(field::title_identifier, m.title_identifier);
    b(field::due_date, m.due_date), b(field::fee_type, m.fee_type);
    b(field::security_inhibit, m.security_inhibit), b(field::currency_type, m.currency_type);
    b(field::fee_amount, m.fee_amount), b(field::media_type, m.media_type);
    b(field::item_properties, m.item_properties), b(field::transaction_id, m.transaction_id);
    b(field::valid_patron, m.valid_patron),
        b(field::valid_patron_password, m.valid_patron_password);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};
using CheckoutResponse = CirculationResponse<Command::checkout_response>;
using RenewResponse = CirculationResponse<Command::renew_response>;

struct RenewRequest {
  static constexpr Command kCommand = Command::renew_request;
  bool third_party_allowed = false;
  bool no_block = false;
  Timestamp transaction_date;
  std::optional<Timestamp> nb_due_date;
  std::string institution_id;
  std::string patron_identifier;
  OptText patron_password;
  OptText item_identifier;
  OptText title_identifier;
  OptText terminal_password;
  OptText item_properties;
  OptFlag fee_acknowledged;
  std::vector<Field> extra;
  bool operator==(const RenewRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.third_party_allowed), b(m.no_block), b(m.transaction_date), b(m.nb_due_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::patron_password, m.patron_password), b(field::item_identifier, m.item_identifier);
    b(field::title_identifier, m.title_identifier),
        b(field::terminal_password, m.terminal_password);
    b(field::item_properties, m.item_properties), b(field::fee_acknowledged, m.fee_acknowledged);
  }
};

}  // namespace sip2
