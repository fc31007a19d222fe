// The client's commands: names, arguments and help, for `help`, tab completion and the man page.
#include "command_table.hpp"

#include <algorithm>

namespace sip2_client {
namespace {

constexpr std::string_view kInfoKinds[] = {"charged", "overdue", "holds",
                                           "fines",   "recall",  "unavailable"};
constexpr std::string_view kHoldModes[] = {"place", "cancel"};
constexpr std::string_view kSetKeys[] = {"institution", "location", "patron",
                                         "pin",         "language", "currency"};
constexpr std::string_view kExpectSubjects[] = {
    "ok=", "command=", "AF~", "AO=", "AA=", "BL=", "CQ=", "patron_status~", "rtt_ms<"};

constexpr CommandInfo kCommands[] = {
    {"login", "[USER]", "93", "log in as USER (default --login); the password is asked for", {}},
    {"status", "", "99", "SC status: the server's 98 (institution, supported messages)", {}},
    {"patron",
     "[BARCODE [PIN|-]]",
     "23",
     "patron status; remembers the patron (and PIN: - reads --pin-file or SIP2_PIN)",
     {}},
    {"info", "[charged|overdue|holds|fines|recall|unavailable]", "63",
     "patron information, with the item list asked for", kInfoKinds},
    {"checkout", "ITEM", "11", "check ITEM out to the patron", {}},
    {"checkin", "ITEM", "09", "check ITEM in (AP: the location, else the institution)", {}},
    {"item", "ITEM", "17", "item information", {}},
    {"renew", "ITEM", "29", "renew one of the patron's items", {}},
    {"renew-all", "", "65", "renew everything the patron has", {}},
    {"hold", "place|cancel ITEM", "15", "place or cancel a hold for the patron", kHoldModes},
    {"pay", "AMOUNT [FEE_ID]", "37", "pay a fee (cash), all of it or the one named", {}},
    {"block", "[REASON]", "01", "block the patron's card", {}},
    {"enable", "", "25", "enable the patron's card", {}},
    {"end", "", "35", "end the patron session; forgets patron and PIN", {}},
    {"raw",
     "'MESSAGE'",
     "",
     "send MESSAGE as typed ({now} {institution} {patron} {pin} filled in)",
     {}},
    {"resend", "", "97", "ask the server to send its last response again", {}},
    {"expect", "CONDITION...", "",
     "check the last response: ok=Y, AF~\"text\", command=12, rtt_ms<500 (help expect)",
     kExpectSubjects},
    {"set", "KEY VALUE", "", "set institution, location, patron, pin, language or currency",
     kSetKeys},
    {"show", "", "", "what the session remembers (the PIN shows as ****)", {}},
    {"reconnect", "", "", "open the connection again (and log in again if logged in)", {}},
    {"sleep", "SECONDS", "", "wait (scripts: give the server time)", {}},
    {"help", "[COMMAND]", "", "this list, or one command in detail", {}},
    {"quit", "", "", "end the session (also exit, or Ctrl-D)", {}},
};

constexpr std::string_view kExpectHelp = R"(
  expect CONDITION...   every CONDITION must hold for the last response:
    command=12          the response's command code (also just: 12)
    ok=Y                a fixed field by name (ok, renewal_ok, desensitize, alert, available,
                        circulation_status, patron_status, ...); Y/N also match 1/0
    AF=text  AF!=text   a variable field by its two-letter code equals (or not) the text
    AF~text  AF!~text   contains (or not) the text, ignoring case; repeated fields (AF, AU,
                        ...) match when any of them does; coded fields (patron_status,
                        circulation_status, ...) also match their spelled-out names
    BV>0  CQ<1          numeric comparison (also <=, >=)
    AF?  !AF            the field is present / absent
    rtt_ms<500          the round-trip time in milliseconds
  A failed expectation prints what was found instead; a script's exit status is then 1.
)";

}  // namespace

std::span<const CommandInfo> commands() {
  return kCommands;
}

const CommandInfo* find_command_info(std::string_view name) {
  for (const auto& c : kCommands)
    if (c.name == name) return &c;
  if (name == "exit") return find_command_info("quit");
  return nullptr;
}

std::string help_text(std::string_view name) {
  std::string out;
  const auto line = [&](const CommandInfo& c) {
    std::string head = "  " + std::string(c.name);
    if (!c.arguments.empty()) head += " " + std::string(c.arguments);
    if (head.size() < 24)
      head.resize(24, ' ');
    else
      head += "\n" + std::string(24, ' ');
    out += head + std::string(c.summary);
    if (!c.message.empty()) out += " [" + std::string(c.message) + "]";
    out += '\n';
  };
  if (!name.empty()) {
    const auto* c = find_command_info(name);
    if (c == nullptr) return "no command '" + std::string(name) + "' (type help for the list)\n";
    line(*c);
    if (c->name == "expect") out += kExpectHelp;
    return out;
  }
  out += "commands (the SIP2 message sent in brackets):\n";
  for (const auto& c : kCommands)
    line(c);
  out += "A line that starts with two digits is sent as a raw message. Tab completes commands.\n";
  return out;
}

std::vector<std::string> completions(std::span<const std::string> words_before,
                                     std::string_view prefix) {
  std::vector<std::string> out;
  const auto add = [&](std::string_view candidate) {
    if (!candidate.empty() && candidate.starts_with(prefix)) out.emplace_back(candidate);
  };
  if (words_before.empty()) {
    for (const auto& c : kCommands)
      add(c.name);
  } else if (words_before.size() == 1) {
    if (const auto* c = find_command_info(words_before[0])) {
      if (c->name == "help") {
        for (const auto& k : kCommands)
          add(k.name);
      } else {
        for (const auto choice : c->choices)
          add(choice);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sip2_client
