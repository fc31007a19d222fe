// The command table: every SIP2 2.00 request and response with its fixed fields and their widths
// as the 3M specification gives them (the widths agree with Koha's and Evergreen's tables).
#include "sip2/command.hpp"

#include <algorithm>

namespace sip2 {
namespace {

using K = FixedKind;
namespace f = field;

constexpr FixedSpec kDate{"transaction_date", 18, K::date};
constexpr FixedSpec kLanguage{"language", 3, K::digits};
constexpr FixedSpec kPatronStatus{"patron_status", 14, K::patron_status};

constexpr FixedSpec k23[] = {kLanguage, kDate};
constexpr FixedSpec k24[] = {kPatronStatus, kLanguage, kDate};
constexpr FixedSpec k11[] = {{"sc_renewal_policy", 1, K::yes_no},
                             {"no_block", 1, K::yes_no},
                             kDate,
                             {"nb_due_date", 18, K::date_or_blank}};
constexpr FixedSpec k12[] = {{"ok", 1, K::one_zero},
                             {"renewal_ok", 1, K::yes_no},
                             {"magnetic_media", 1, K::yes_no_unknown},
                             {"desensitize", 1, K::yes_no_unknown},
                             kDate};
constexpr FixedSpec k09[] = {
    {"no_block", 1, K::yes_no}, kDate, {"return_date", 18, K::date_or_blank}};
constexpr FixedSpec k10[] = {{"ok", 1, K::one_zero},
                             {"resensitize", 1, K::yes_no_unknown},
                             {"magnetic_media", 1, K::yes_no_unknown},
                             {"alert", 1, K::yes_no},
                             kDate};
constexpr FixedSpec k01[] = {{"card_retained", 1, K::yes_no}, kDate};
constexpr FixedSpec k99[] = {{"status_code", 1, K::status_code},
                             {"max_print_width", 3, K::digits},
                             {"protocol_version", 4, K::version}};
constexpr FixedSpec k98[] = {{"online_status", 1, K::yes_no},
                             {"checkin_ok", 1, K::yes_no},
                             {"checkout_ok", 1, K::yes_no},
                             {"acs_renewal_policy", 1, K::yes_no},
                             {"status_update_ok", 1, K::yes_no},
                             {"offline_ok", 1, K::yes_no},
                             {"timeout_period", 3, K::digits},
                             {"retries_allowed", 3, K::digits},
                             {"date_time_sync", 18, K::date_or_zeros},
                             {"protocol_version", 4, K::version}};
constexpr FixedSpec k93[] = {{"uid_algorithm", 1, K::any}, {"pwd_algorithm", 1, K::any}};
constexpr FixedSpec k94[] = {{"ok", 1, K::one_zero}};
constexpr FixedSpec k63[] = {kLanguage, kDate, {"summary", 10, K::summary}};
constexpr FixedSpec k64[] = {kPatronStatus,
                             kLanguage,
                             kDate,
                             {"hold_items_count", 4, K::digits_or_blank},
                             {"overdue_items_count", 4, K::digits_or_blank},
                             {"charged_items_count", 4, K::digits_or_blank},
                             {"fine_items_count", 4, K::digits_or_blank},
                             {"recall_items_count", 4, K::digits_or_blank},
                             {"unavailable_holds_count", 4, K::digits_or_blank}};
constexpr FixedSpec kDateOnly[] = {kDate};
constexpr FixedSpec k36[] = {{"end_session", 1, K::yes_no}, kDate};
constexpr FixedSpec k37[] = {kDate,
                             {"fee_type", 2, K::digits},
                             {"payment_type", 2, K::digits},
                             {"currency_type", 3, K::currency}};
constexpr FixedSpec k38[] = {{"payment_accepted", 1, K::yes_no}, kDate};
constexpr FixedSpec k18[] = {{"circulation_status", 2, K::digits},
                             {"security_marker", 2, K::digits},
                             {"fee_type", 2, K::digits},
                             kDate};
constexpr FixedSpec k20[] = {{"item_properties_ok", 1, K::any}, kDate};
constexpr FixedSpec k15[] = {{"hold_mode", 1, K::hold_mode}, kDate};
constexpr FixedSpec k16[] = {{"ok", 1, K::one_zero}, {"available", 1, K::yes_no}, kDate};
constexpr FixedSpec k29[] = {{"third_party_allowed", 1, K::yes_no},
                             {"no_block", 1, K::yes_no},
                             kDate,
                             {"nb_due_date", 18, K::date_or_blank}};
constexpr FixedSpec k66[] = {{"ok", 1, K::one_zero},
                             {"renewed_count", 4, K::digits},
                             {"unrenewed_count", 4, K::digits},
                             kDate};

constexpr TagSpec R(FieldCode c) {
  return {c, true};
}
constexpr TagSpec O(FieldCode c) {
  return {c, false};
}

constexpr TagSpec t23[] = {R(f::institution_id), R(f::patron_identifier), O(f::terminal_password),
                           O(f::patron_password)};
constexpr TagSpec t24[] = {R(f::institution_id), R(f::patron_identifier),     R(f::personal_name),
                           O(f::valid_patron),   O(f::valid_patron_password), O(f::currency_type),
                           O(f::fee_amount),     O(f::screen_message),        O(f::print_line)};
constexpr TagSpec t11[] = {
    R(f::institution_id),  R(f::patron_identifier), R(f::item_identifier),  O(f::terminal_password),
    O(f::item_properties), O(f::patron_password),   O(f::fee_acknowledged), O(f::cancel)};
constexpr TagSpec t12[] = {R(f::institution_id),   R(f::patron_identifier), R(f::item_identifier),
                           R(f::title_identifier), R(f::due_date),          O(f::fee_type),
                           O(f::security_inhibit), O(f::currency_type),     O(f::fee_amount),
                           O(f::media_type),       O(f::item_properties),   O(f::transaction_id),
                           O(f::screen_message),   O(f::print_line)};
constexpr TagSpec t09[] = {R(f::current_location),  R(f::institution_id),  R(f::item_identifier),
                           O(f::terminal_password), O(f::item_properties), O(f::cancel)};
constexpr TagSpec t10[] = {R(f::institution_id),   R(f::item_identifier), R(f::permanent_location),
                           O(f::title_identifier), O(f::sort_bin),        O(f::patron_identifier),
                           O(f::media_type),       O(f::item_properties), O(f::screen_message),
                           O(f::print_line)};
constexpr TagSpec t01[] = {R(f::institution_id), R(f::blocked_card_msg), R(f::patron_identifier),
                           O(f::terminal_password)};
constexpr TagSpec t98[] = {R(f::institution_id),    O(f::library_name),   R(f::supported_messages),
                           O(f::terminal_location), O(f::screen_message), O(f::print_line)};
constexpr TagSpec t93[] = {R(f::login_user_id), R(f::login_password), O(f::location_code)};
constexpr TagSpec t94[] = {O(f::screen_message), O(f::print_line)};
constexpr TagSpec t63[] = {R(f::institution_id),  R(f::patron_identifier), O(f::terminal_password),
                           O(f::patron_password), O(f::start_item),        O(f::end_item)};
constexpr TagSpec t64[] = {R(f::institution_id),
                           R(f::patron_identifier),
                           R(f::personal_name),
                           O(f::hold_items_limit),
                           O(f::overdue_items_limit),
                           O(f::charged_items_limit),
                           O(f::valid_patron),
                           O(f::valid_patron_password),
                           O(f::currency_type),
                           O(f::fee_amount),
                           O(f::fee_limit),
                           O(f::hold_items),
                           O(f::overdue_items),
                           O(f::charged_items),
                           O(f::fine_items),
                           O(f::recall_items),
                           O(f::unavailable_hold_items),
                           O(f::home_address),
                           O(f::email_address),
                           O(f::home_phone_number),
                           O(f::screen_message),
                           O(f::print_line)};
constexpr TagSpec t35[] = {R(f::institution_id), R(f::patron_identifier), O(f::terminal_password),
                           O(f::patron_password)};
constexpr TagSpec t36[] = {R(f::institution_id), R(f::patron_identifier), O(f::screen_message),
                           O(f::print_line)};
constexpr TagSpec t37[] = {R(f::fee_amount),        R(f::institution_id),  R(f::patron_identifier),
                           O(f::terminal_password), O(f::patron_password), O(f::fee_identifier),
                           O(f::transaction_id)};
constexpr TagSpec t38[] = {R(f::institution_id), R(f::patron_identifier), O(f::transaction_id),
                           O(f::screen_message), O(f::print_line)};
constexpr TagSpec t17[] = {R(f::institution_id), R(f::item_identifier), O(f::terminal_password)};
constexpr TagSpec t18[] = {O(f::hold_queue_length),
                           O(f::due_date),
                           O(f::recall_date),
                           O(f::hold_pickup_date),
                           R(f::item_identifier),
                           R(f::title_identifier),
                           O(f::owner),
                           O(f::currency_type),
                           O(f::fee_amount),
                           O(f::media_type),
                           O(f::permanent_location),
                           O(f::current_location),
                           O(f::item_properties),
                           O(f::screen_message),
                           O(f::print_line)};
constexpr TagSpec t19[] = {R(f::institution_id), R(f::item_identifier), O(f::terminal_password),
                           R(f::item_properties)};
constexpr TagSpec t20[] = {R(f::item_identifier), O(f::title_identifier), O(f::item_properties),
                           O(f::screen_message), O(f::print_line)};
constexpr TagSpec t25[] = {R(f::institution_id), R(f::patron_identifier), O(f::terminal_password),
                           O(f::patron_password)};
constexpr TagSpec t26[] = {R(f::institution_id), R(f::patron_identifier),     R(f::personal_name),
                           O(f::valid_patron),   O(f::valid_patron_password), O(f::screen_message),
                           O(f::print_line)};
constexpr TagSpec t15[] = {O(f::expiration_date), O(f::pickup_location),   O(f::hold_type),
                           R(f::institution_id),  R(f::patron_identifier), O(f::patron_password),
                           O(f::item_identifier), O(f::title_identifier),  O(f::terminal_password),
                           O(f::fee_acknowledged)};
constexpr TagSpec t16[] = {O(f::expiration_date),  O(f::queue_position),    O(f::pickup_location),
                           R(f::institution_id),   R(f::patron_identifier), O(f::item_identifier),
                           O(f::title_identifier), O(f::screen_message),    O(f::print_line)};
constexpr TagSpec t29[] = {R(f::institution_id),  R(f::patron_identifier), O(f::patron_password),
                           O(f::item_identifier), O(f::title_identifier),  O(f::terminal_password),
                           O(f::item_properties), O(f::fee_acknowledged)};
constexpr TagSpec t65[] = {R(f::institution_id), R(f::patron_identifier), O(f::patron_password),
                           O(f::terminal_password), O(f::fee_acknowledged)};
constexpr TagSpec t66[] = {R(f::institution_id), O(f::renewed_items), O(f::unrenewed_items),
                           O(f::screen_message), O(f::print_line)};

using C = Command;
using D = Direction;
constexpr CommandSpec kCommands[kCommandCount] = {
    {C::patron_status_request, "23", "patron_status_request", D::request, k23, t23, true},
    {C::patron_status_response, "24", "patron_status_response", D::response, k24, t24, true},
    {C::checkout_request, "11", "checkout_request", D::request, k11, t11, true},
    {C::checkout_response, "12", "checkout_response", D::response, k12, t12, true},
    {C::checkin_request, "09", "checkin_request", D::request, k09, t09, true},
    {C::checkin_response, "10", "checkin_response", D::response, k10, t10, true},
    {C::block_patron_request, "01", "block_patron_request", D::request, k01, t01, true},
    {C::sc_status_request, "99", "sc_status_request", D::request, k99, {}, true},
    {C::acs_status_response, "98", "acs_status_response", D::response, k98, t98, true},
    {C::request_acs_resend, "97", "request_acs_resend", D::request, {}, {}, false},
    {C::request_sc_resend, "96", "request_sc_resend", D::response, {}, {}, false},
    {C::login_request, "93", "login_request", D::request, k93, t93, true},
    {C::login_response, "94", "login_response", D::response, k94, t94, true},
    {C::patron_information_request, "63", "patron_information_request", D::request, k63, t63, true},
    {C::patron_information_response, "64", "patron_information_response", D::response, k64, t64,
     true},
    {C::end_patron_session_request, "35", "end_patron_session_request", D::request, kDateOnly, t35,
     true},
    {C::end_patron_session_response, "36", "end_patron_session_response", D::response, k36, t36,
     true},
    {C::fee_paid_request, "37", "fee_paid_request", D::request, k37, t37, true},
    {C::fee_paid_response, "38", "fee_paid_response", D::response, k38, t38, true},
    {C::item_information_request, "17", "item_information_request", D::request, kDateOnly, t17,
     true},
    {C::item_information_response, "18", "item_information_response", D::response, k18, t18, true},
    {C::item_status_update_request, "19", "item_status_update_request", D::request, kDateOnly, t19,
     true},
    {C::item_status_update_response, "20", "item_status_update_response", D::response, k20, t20,
     true},
    {C::patron_enable_request, "25", "patron_enable_request", D::request, kDateOnly, t25, true},
    {C::patron_enable_response, "26", "patron_enable_response", D::response, k24, t26, true},
    {C::hold_request, "15", "hold_request", D::request, k15, t15, true},
    {C::hold_response, "16", "hold_response", D::response, k16, t16, true},
    {C::renew_request, "29", "renew_request", D::request, k29, t29, true},
    {C::renew_response, "30", "renew_response", D::response, k12, t12, true},
    {C::renew_all_request, "65", "renew_all_request", D::request, kDateOnly, t65, true},
    {C::renew_all_response, "66", "renew_all_response", D::response, k66, t66, true},
};

}  // namespace

std::size_t CommandSpec::fixed_length() const noexcept {
  std::size_t n = 0;
  for (const auto& f : fixed)
    n += f.width;
  return n;
}

const CommandSpec* find_command(std::string_view code) noexcept {
  const auto* it = std::find_if(std::begin(kCommands), std::end(kCommands),
                                [&](const CommandSpec& c) { return c.code == code; });
  return it == std::end(kCommands) ? nullptr : it;
}

const CommandSpec& spec(Command command) noexcept {
  return kCommands[static_cast<std::size_t>(command)];
}

std::span<const CommandSpec> all_commands() noexcept {
  return kCommands;
}

}  // namespace sip2
