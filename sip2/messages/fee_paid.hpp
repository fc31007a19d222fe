// 37 Fee Paid, 38 Fee Paid Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct FeePaidRequest {
  static constexpr Command kCommand = Command::fee_paid_request;
  Timestamp transaction_date;
  FeeType fee_type = FeeType::other;
  PaymentType payment_type = PaymentType::cash;
  std::string currency_type = "USD";
  std::string fee_amount;
  std::string institution_id;
  std::string patron_identifier;
  OptText terminal_password;
  OptText patron_password;
  OptText fee_identifier;
  OptText transaction_id;
  std::vector<Field> extra;
  bool operator==(const FeePaidRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.transaction_date), b(m.fee_type), b(m.payment_type), b(m.currency_type);
    b(field::fee_amount, m.fee_amount), b(field::institution_id, m.institution_id);
    b(field::patron_identifier, m.patron_identifier);
    b(field::terminal_password, m.terminal_password), b(field::patron_password, m.patron_password);
    b(field::fee_identifier, m.fee_identifier), b(field::transaction_id, m.transaction_id);
  }
};

struct FeePaidResponse {
  static constexpr Command kCommand = Command::fee_paid_response;
  bool payment_accepted = false;
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  OptText transaction_id;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const FeePaidResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.payment_accepted), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::transaction_id, m.transaction_id);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
