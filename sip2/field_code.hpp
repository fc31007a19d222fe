// Two-character variable-field identifiers and the table of known ones.
#pragma once

#include <array>
#include <string_view>

namespace sip2 {

/// A variable-field identifier such as "AO".
struct FieldCode {
  std::array<char, 2> c{};
  constexpr FieldCode() = default;
  constexpr explicit FieldCode(std::string_view s)
      : c{s.size() > 0 ? s[0] : ' ', s.size() > 1 ? s[1] : ' '} {}
  constexpr std::string_view view() const { return {c.data(), 2}; }
  constexpr bool operator==(const FieldCode&) const = default;
};

/// The wire form of a known field.
enum class FieldFormat { var, fix2, fix3, fix4, flag, one_char, date };

struct FieldInfo {
  FieldCode code;
  std::string_view name;  ///< snake_case, e.g. "institution_id"
  FieldFormat format;
  bool repeatable;
};

/// Known fields (SIP 2.00 and common extensions), or nullptr.
const FieldInfo* find_field(FieldCode code) noexcept;
/// The field whose snake_case name is `name`, or nullptr.
const FieldInfo* find_field_by_name(std::string_view name) noexcept;

/// Named identifiers: the only place the wire codes are spelled.
namespace field {
inline constexpr FieldCode patron_identifier{"AA"};
inline constexpr FieldCode item_identifier{"AB"};
inline constexpr FieldCode terminal_password{"AC"};
inline constexpr FieldCode patron_password{"AD"};
inline constexpr FieldCode personal_name{"AE"};
inline constexpr FieldCode screen_message{"AF"};
inline constexpr FieldCode print_line{"AG"};
inline constexpr FieldCode due_date{"AH"};
inline constexpr FieldCode title_identifier{"AJ"};
inline constexpr FieldCode blocked_card_msg{"AL"};
inline constexpr FieldCode library_name{"AM"};
inline constexpr FieldCode terminal_location{"AN"};
inline constexpr FieldCode institution_id{"AO"};
inline constexpr FieldCode current_location{"AP"};
inline constexpr FieldCode permanent_location{"AQ"};
inline constexpr FieldCode hold_items{"AS"};
inline constexpr FieldCode overdue_items{"AT"};
inline constexpr FieldCode charged_items{"AU"};
inline constexpr FieldCode fine_items{"AV"};
inline constexpr FieldCode sequence_number{"AY"};
inline constexpr FieldCode checksum{"AZ"};
inline constexpr FieldCode home_address{"BD"};
inline constexpr FieldCode email_address{"BE"};
inline constexpr FieldCode home_phone_number{"BF"};
inline constexpr FieldCode owner{"BG"};
inline constexpr FieldCode currency_type{"BH"};
inline constexpr FieldCode cancel{"BI"};
inline constexpr FieldCode transaction_id{"BK"};
inline constexpr FieldCode valid_patron{"BL"};
inline constexpr FieldCode renewed_items{"BM"};
inline constexpr FieldCode unrenewed_items{"BN"};
inline constexpr FieldCode fee_acknowledged{"BO"};
inline constexpr FieldCode start_item{"BP"};
inline constexpr FieldCode end_item{"BQ"};
inline constexpr FieldCode queue_position{"BR"};
inline constexpr FieldCode pickup_location{"BS"};
inline constexpr FieldCode fee_type{"BT"};
inline constexpr FieldCode recall_items{"BU"};
inline constexpr FieldCode fee_amount{"BV"};
inline constexpr FieldCode expiration_date{"BW"};
inline constexpr FieldCode supported_messages{"BX"};
inline constexpr FieldCode hold_type{"BY"};
inline constexpr FieldCode hold_items_limit{"BZ"};
inline constexpr FieldCode overdue_items_limit{"CA"};
inline constexpr FieldCode charged_items_limit{"CB"};
inline constexpr FieldCode fee_limit{"CC"};
inline constexpr FieldCode unavailable_hold_items{"CD"};
inline constexpr FieldCode hold_queue_length{"CF"};
inline constexpr FieldCode fee_identifier{"CG"};
inline constexpr FieldCode item_properties{"CH"};
inline constexpr FieldCode security_inhibit{"CI"};
inline constexpr FieldCode recall_date{"CJ"};
inline constexpr FieldCode media_type{"CK"};
inline constexpr FieldCode sort_bin{"CL"};
inline constexpr FieldCode hold_pickup_date{"CM"};
inline constexpr FieldCode login_user_id{"CN"};
inline constexpr FieldCode login_password{"CO"};
inline constexpr FieldCode location_code{"CP"};
inline constexpr FieldCode valid_patron_password{"CQ"};
// Common extensions, not in SIP2 2.00 (3M's SIP2 extensions, as Koha and Evergreen send them).
inline constexpr FieldCode collection_code{"CR"};
inline constexpr FieldCode call_number{"CS"};
inline constexpr FieldCode destination_location{"CT"};
inline constexpr FieldCode alert_type{"CV"};
inline constexpr FieldCode hold_patron_id{"CY"};
inline constexpr FieldCode hold_patron_name{"DA"};
inline constexpr FieldCode pac_access_type{"PA"};
inline constexpr FieldCode patron_birth_date{"PB"};
inline constexpr FieldCode patron_class{"PC"};
inline constexpr FieldCode patron_internet_profile{"PI"};
inline constexpr FieldCode patron_internal_id{"XI"};
inline constexpr FieldCode patron_type{"ZY"};
inline constexpr FieldCode patron_group{"PT"};
inline constexpr FieldCode borrower_type{"FU"};
inline constexpr FieldCode borrower_type_description{"FV"};
inline constexpr FieldCode server_version{"SV"};
}  // namespace field

}  // namespace sip2
