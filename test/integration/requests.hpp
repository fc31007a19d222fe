// SIP2 request bodies as a kiosk writes them (no terminator), for the demo library's data.
#pragma once

#include <string>
#include <string_view>

namespace integration::req {

/// Demo identities (config/demo.json, config/demo-library.json).
inline constexpr std::string_view kInstitution = "MAIN";
inline constexpr std::string_view kTerminalPassword = "demo-kiosk";
inline constexpr std::string_view kAda = "21234000000018";  ///< normal patron, PIN 1234
inline constexpr std::string_view kAdaPin = "1234";
inline constexpr std::string_view kBoris = "21234000000026";  ///< manual block, PIN 2222
inline constexpr std::string_view kFarah = "21234000000067";  ///< fees 2.50 + 5.00 + 2.00
inline constexpr std::string_view kFarahPin = "6666";
inline constexpr std::string_view kIvo = "21234000000091";  ///< loan at its renewal limit
inline constexpr std::string_view kUnknownPatron = "21234999999999";
inline constexpr std::string_view kAvailableBook = "31234000000016";
inline constexpr std::string_view kHeldItem = "31234000000040";  ///< out to Logan, hold queued
inline constexpr std::string_view kAdasLoan = "31234000000131";
inline constexpr std::string_view kIvosLoan = "31234000000123";
inline constexpr std::string_view kUnknownItem = "39999999999999";

/// The current UTC time as a SIP2 date "YYYYMMDD   ZHHMMSS".
[[nodiscard]] std::string now();

[[nodiscard]] std::string login(std::string_view user, std::string_view password);
[[nodiscard]] std::string sc_status();
[[nodiscard]] std::string patron_status(std::string_view patron, std::string_view pin);
/// `summary`: ten characters, a Y at the position of the list wanted (3rd: charged items).
[[nodiscard]] std::string patron_information(std::string_view patron, std::string_view pin,
                                             std::string_view summary = "          ");
[[nodiscard]] std::string checkout(std::string_view patron, std::string_view item,
                                   std::string_view pin);
[[nodiscard]] std::string checkin(std::string_view item);
[[nodiscard]] std::string item_information(std::string_view item);
[[nodiscard]] std::string item_status_update(std::string_view item);
[[nodiscard]] std::string renew(std::string_view patron, std::string_view item,
                                std::string_view pin);
[[nodiscard]] std::string renew_all(std::string_view patron, std::string_view pin);
/// `mode`: '+' place, '-' cancel.
[[nodiscard]] std::string hold(char mode, std::string_view patron, std::string_view item,
                               std::string_view pin);
[[nodiscard]] std::string end_session(std::string_view patron);
[[nodiscard]] std::string fee_paid(std::string_view patron, std::string_view pin,
                                   std::string_view amount);
[[nodiscard]] std::string block_patron(std::string_view patron);
[[nodiscard]] std::string patron_enable(std::string_view patron, std::string_view pin);

/// `body` with "AZ<checksum>" appended (no sequence number, as for 97).
[[nodiscard]] std::string with_checksum(std::string body);
/// `body` with "AY<seq>AZ<checksum>" appended.
[[nodiscard]] std::string with_error_detection(std::string body, int seq);

}  // namespace integration::req
