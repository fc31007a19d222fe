// Human names of SIP2 coded values and flag positions (the spec's enumerations, sip2/values.hpp).
#include "value_names.hpp"

#include <charconv>
#include <utility>

#include "sip2/values.hpp"

namespace sip2_client {
namespace {

template <class E>
using NameTable = std::pair<E, std::string_view>;

/// The entry whose enumerator's value is the decimal `code`, or "".
template <class E, std::size_t N>
std::string_view lookup(const NameTable<E> (&table)[N], std::string_view code) {
  int value = -1;
  const auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), value);
  if (ec != std::errc() || end != code.data() + code.size()) return {};
  for (const auto& [e, name] : table)
    if (static_cast<int>(e) == value) return name;
  return {};
}

/// Names of the positions of `flags` holding `mark`, for positions that have a name.
template <std::size_t N>
std::vector<std::string_view> marked(const std::string_view (&names)[N], std::string_view flags,
                                     char mark) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < N && i < flags.size(); ++i)
    if (flags[i] == mark) out.push_back(names[i]);
  return out;
}

constexpr std::string_view kPatronStatus[] = {
    "charge privileges denied", "renewal privileges denied",   "recall privileges denied",
    "hold privileges denied",   "card reported lost",          "too many items charged",
    "too many items overdue",   "too many renewals",           "too many claims of items returned",
    "too many items lost",      "excessive outstanding fines", "excessive outstanding fees",
    "recall overdue",           "too many items billed"};
static_assert(std::size(kPatronStatus) == sip2::PatronStatus().size());

constexpr std::string_view kSummary[] = {"hold items", "overdue items", "charged items",
                                         "fine items", "recall items",  "unavailable holds"};

constexpr std::string_view kSupported[] = {"patron status",
                                           "checkout",
                                           "checkin",
                                           "block patron",
                                           "SC/ACS status",
                                           "resend",
                                           "login",
                                           "patron information",
                                           "end patron session",
                                           "fee paid",
                                           "item information",
                                           "item status update",
                                           "patron enable",
                                           "hold",
                                           "renew",
                                           "renew all"};
static_assert(std::size(kSupported) == sip2::SupportedMessages().size());

using CS = sip2::CirculationStatus;
constexpr NameTable<CS> kCirculation[] = {
    {CS::other, "other"},
    {CS::on_order, "on order"},
    {CS::available, "available"},
    {CS::charged, "charged"},
    {CS::charged_not_to_be_recalled, "charged; not to be recalled until earliest recall date"},
    {CS::in_process, "in process"},
    {CS::recalled, "recalled"},
    {CS::waiting_on_hold_shelf, "waiting on hold shelf"},
    {CS::waiting_to_be_reshelved, "waiting to be re-shelved"},
    {CS::in_transit, "in transit between library locations"},
    {CS::claimed_returned, "claimed returned"},
    {CS::lost, "lost"},
    {CS::missing, "missing"}};

using SM = sip2::SecurityMarker;
constexpr NameTable<SM> kSecurity[] = {{SM::other, "other"},
                                       {SM::none, "none"},
                                       {SM::tattle_tape, "3M Tattle-Tape security strip"},
                                       {SM::whisper_tape, "3M Whisper Tape"}};

using FT = sip2::FeeType;
constexpr NameTable<FT> kFee[] = {
    {FT::other, "other/unknown"},     {FT::administrative, "administrative"},
    {FT::damage, "damage"},           {FT::overdue, "overdue"},
    {FT::processing, "processing"},   {FT::rental, "rental"},
    {FT::replacement, "replacement"}, {FT::computer_access_charge, "computer access charge"},
    {FT::hold_fee, "hold fee"}};

using PT = sip2::PaymentType;
constexpr NameTable<PT> kPayment[] = {
    {PT::cash, "cash"}, {PT::visa, "VISA"}, {PT::credit_card, "credit card"}};

using AT = sip2::AlertType;
constexpr NameTable<AT> kAlert[] = {{AT::unknown, "unknown / no special alert"},
                                    {AT::hold_for_this_library, "hold for this library"},
                                    {AT::hold_for_other_branch, "hold for another branch"},
                                    {AT::hold_for_ill, "hold for ILL"},
                                    {AT::send_to_other_branch, "send to another branch"},
                                    {AT::other, "other / special handling"}};

constexpr NameTable<int> kMedia[] = {{0, "other"},
                                     {1, "book"},
                                     {2, "magazine"},
                                     {3, "bound journal"},
                                     {4, "audio tape"},
                                     {5, "video tape"},
                                     {6, "CD/CDROM"},
                                     {7, "diskette"},
                                     {8, "book with diskette"},
                                     {9, "book with CD"},
                                     {10, "book with audio tape"}};

constexpr std::string_view kLanguages[] = {"unknown",        "English",
                                           "French",         "German",
                                           "Italian",        "Dutch",
                                           "Swedish",        "Finnish",
                                           "Spanish",        "Danish",
                                           "Portuguese",     "Canadian-French",
                                           "Norwegian",      "Hebrew",
                                           "Japanese",       "Russian",
                                           "Arabic",         "Polish",
                                           "Greek",          "Chinese",
                                           "Korean",         "North American Spanish",
                                           "Tamil",          "Malay",
                                           "United Kingdom", "Icelandic",
                                           "Belgian",        "Taiwanese"};

constexpr NameTable<int> kHoldType[] = {{1, "other"},
                                        {2, "any copy of a title"},
                                        {3, "a specific copy"},
                                        {4, "any copy at a single branch or sublocation"}};

}  // namespace

std::vector<std::string_view> patron_status_names(std::string_view flags) {
  return marked(kPatronStatus, flags, 'Y');
}

std::vector<std::string_view> summary_names(std::string_view flags) {
  return marked(kSummary, flags, 'Y');
}

SupportedNames supported_message_names(std::string_view bx) {
  return {marked(kSupported, bx, 'Y'), marked(kSupported, bx, 'N')};
}

std::string_view circulation_status_name(std::string_view code) {
  return lookup(kCirculation, code);
}
std::string_view security_marker_name(std::string_view code) {
  return lookup(kSecurity, code);
}
std::string_view fee_type_name(std::string_view code) {
  return lookup(kFee, code);
}
std::string_view payment_type_name(std::string_view code) {
  return lookup(kPayment, code);
}
std::string_view alert_type_name(std::string_view code) {
  return lookup(kAlert, code);
}
std::string_view media_type_name(std::string_view code) {
  return lookup(kMedia, code);
}
std::string_view hold_type_name(std::string_view code) {
  return lookup(kHoldType, code);
}

std::string_view language_name(std::string_view code) {
  int value = -1;
  const auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), value);
  if (ec != std::errc() || end != code.data() + code.size()) return {};
  if (value < 0 || static_cast<std::size_t>(value) >= std::size(kLanguages)) return {};
  return kLanguages[value];
}

std::string_view status_code_name(std::string_view code) {
  if (code == "0") return "SC ok";
  if (code == "1") return "printer out of paper";
  if (code == "2") return "SC about to shut down";
  return {};
}

std::string_view hold_mode_name(std::string_view code) {
  if (code == "+") return "add";
  if (code == "-") return "delete";
  if (code == "*") return "change";
  return {};
}

}  // namespace sip2_client
