// The table of known variable fields: those of SIP2 2.00 and the common vendor extensions.
#include "sip2/field_code.hpp"

#include <algorithm>

namespace sip2 {
namespace {

using F = FieldFormat;
constexpr FieldInfo kFields[] = {
    {field::patron_identifier, "patron_identifier", F::var, false},
    {field::item_identifier, "item_identifier", F::var, false},
    {field::terminal_password, "terminal_password", F::var, false},
    {field::patron_password, "patron_password", F::var, false},
    {field::personal_name, "personal_name", F::var, false},
    {field::screen_message, "screen_message", F::var, true},
    {field::print_line, "print_line", F::var, true},
    {field::due_date, "due_date", F::var, false},
    {field::title_identifier, "title_identifier", F::var, false},
    {field::blocked_card_msg, "blocked_card_msg", F::var, false},
    {field::library_name, "library_name", F::var, false},
    {field::terminal_location, "terminal_location", F::var, false},
    {field::institution_id, "institution_id", F::var, false},
    {field::current_location, "current_location", F::var, false},
    {field::permanent_location, "permanent_location", F::var, false},
    {field::hold_items, "hold_items", F::var, true},
    {field::overdue_items, "overdue_items", F::var, true},
    {field::charged_items, "charged_items", F::var, true},
    {field::fine_items, "fine_items", F::var, true},
    {field::home_address, "home_address", F::var, false},
    {field::email_address, "email_address", F::var, false},
    {field::home_phone_number, "home_phone_number", F::var, false},
    {field::owner, "owner", F::var, false},
    {field::currency_type, "currency_type", F::fix3, false},
    {field::cancel, "cancel", F::flag, false},
    {field::transaction_id, "transaction_id", F::var, false},
    {field::valid_patron, "valid_patron", F::flag, false},
    {field::renewed_items, "renewed_items", F::var, true},
    {field::unrenewed_items, "unrenewed_items", F::var, true},
    {field::fee_acknowledged, "fee_acknowledged", F::flag, false},
    {field::start_item, "start_item", F::var, false},
    {field::end_item, "end_item", F::var, false},
    {field::queue_position, "queue_position", F::var, false},
    {field::pickup_location, "pickup_location", F::var, false},
    {field::fee_type, "fee_type", F::fix2, false},
    {field::recall_items, "recall_items", F::var, true},
    {field::fee_amount, "fee_amount", F::var, false},
    {field::expiration_date, "expiration_date", F::date, false},
    {field::supported_messages, "supported_messages", F::var, false},
    {field::hold_type, "hold_type", F::one_char, false},
    {field::hold_items_limit, "hold_items_limit", F::fix4, false},
    {field::overdue_items_limit, "overdue_items_limit", F::fix4, false},
    {field::charged_items_limit, "charged_items_limit", F::fix4, false},
    {field::fee_limit, "fee_limit", F::var, false},
    {field::unavailable_hold_items, "unavailable_hold_items", F::var, true},
    {field::hold_queue_length, "hold_queue_length", F::var, false},
    {field::fee_identifier, "fee_identifier", F::var, false},
    {field::item_properties, "item_properties", F::var, false},
    {field::security_inhibit, "security_inhibit", F::flag, false},
    {field::recall_date, "recall_date", F::date, false},
    {field::media_type, "media_type", F::fix3, false},
    {field::sort_bin, "sort_bin", F::var, false},
    {field::hold_pickup_date, "hold_pickup_date", F::date, false},
    {field::login_user_id, "login_user_id", F::var, false},
    {field::login_password, "login_password", F::var, false},
    {field::location_code, "location_code", F::var, false},
    {field::valid_patron_password, "valid_patron_password", F::flag, false},
    {field::collection_code, "collection_code", F::var, false},
    {field::call_number, "call_number", F::var, false},
    {field::destination_location, "destination_location", F::var, false},
    {field::alert_type, "alert_type", F::fix2, false},
    {field::hold_patron_id, "hold_patron_id", F::var, false},
    {field::hold_patron_name, "hold_patron_name", F::var, false},
    {field::pac_access_type, "pac_access_type", F::var, false},
    {field::patron_birth_date, "patron_birth_date", F::var, false},
    {field::patron_class, "patron_class", F::var, false},
    {field::patron_internet_profile, "patron_internet_profile", F::var, false},
    {field::patron_internal_id, "patron_internal_id", F::var, false},
    {field::patron_type, "patron_type", F::var, false},
    {field::patron_group, "patron_group", F::var, false},
    {field::borrower_type, "borrower_type", F::var, false},
    {field::borrower_type_description, "borrower_type_description", F::var, false},
    {field::server_version, "server_version", F::var, false},
};

}  // namespace

const FieldInfo* find_field(FieldCode code) noexcept {
  const auto* it = std::find_if(std::begin(kFields), std::end(kFields),
                                [&](const FieldInfo& f) { return f.code == code; });
  return it == std::end(kFields) ? nullptr : it;
}

const FieldInfo* find_field_by_name(std::string_view name) noexcept {
  const auto* it = std::find_if(std::begin(kFields), std::end(kFields),
                                [&](const FieldInfo& f) { return f.name == name; });
  return it == std::end(kFields) ? nullptr : it;
}

}  // namespace sip2
