// The built-in screen messages and the site override file.
#include "handlers/catalogue.hpp"

#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

namespace handlers {

const std::map<std::string, std::string, std::less<>>& Catalogue::builtin() {
  static const std::map<std::string, std::string, std::less<>> texts = {
      {"login.refused", "Login refused"},
      {"login.required", "Please log in first"},
      {"unsupported", "This service is not available at this terminal"},
      {"policy.denied", "This terminal may not do that; please ask staff"},
      {"backend.unavailable", "The library system is not available; please try again later"},
      {"backend.timeout", "The library system did not answer in time; please try again"},
      {"backend.error", "Something went wrong; please ask staff"},
      {"backend.try_again", "Not enough time left to finish that safely; please try again"},
      {"backend.unauthorized", "The library system did not accept this service; please ask staff"},
      {"backend.bad_response", "The library system's answer could not be read; please ask staff"},
      {"identifier.invalid", "That number could not be read; please try again or ask staff"},
      {"patron.unknown", "Library card not recognised"},
      {"patron.bad_password", "Wrong PIN"},
      {"patron.locked", "Too many wrong PINs; please try again later or ask staff"},
      {"patron.validation_unavailable",
       "Your card cannot be checked right now; please try again later or ask staff"},
      {"patron.details_unavailable",
       "Your loans and fees cannot be listed right now; the counts shown may be out of date"},
      {"patron.password_required", "Please enter your PIN"},
      {"patron.inactive", "Your account is not active; please ask staff"},
      {"patron.expired", "Your card has expired; please ask staff"},
      {"patron.blocked", "Your account is blocked: {reason}"},
      {"patron.welcome", "Welcome, {name}"},
      {"patron.fees_owed", "You owe {amount}"},
      {"item.unknown", "Item not recognised"},
      {"item.info", "{title}"},
      {"item.refused", "This item cannot be used here: {reason}"},
      {"checkout.ok", "Checked out: {title}, due {due}"},
      {"checkout.refused", "Cannot check out: {reason}"},
      {"checkout.item_type_blocked", "This item cannot be borrowed here; please ask staff"},
      {"checkout.in_house", "For use in the library only; please do not take it out"},
      {"checkout.already_yours", "You have already borrowed this item"},
      {"checkin.ok", "Returned: {title}"},
      {"checkin.hold", "Hold for another patron: put aside"},
      {"checkin.transit", "Send to {destination}"},
      {"checkin.refused", "Cannot return: {reason}"},
      {"checkin.not_on_loan", "{title} was not checked out"},
      {"renew.ok", "Renewed: {title}, due {due}"},
      {"renew.refused", "Cannot renew: {reason}"},
      {"renew_all.done", "{renewed} renewed, {unrenewed} not renewed"},
      {"fee.paid", "Payment of {amount} accepted"},
      {"fee.refused", "Payment not accepted: {reason}"},
      {"fee.bad_amount", "The amount is not valid"},
      {"fee.none_owed", "You have no fees to pay"},
      {"fee.unknown", "That fee was not found"},
      {"fee.id_required", "Choose the fee to pay"},
      {"hold.placed", "Hold placed"},
      {"hold.cancelled", "Hold cancelled"},
      {"hold.refused", "Cannot place the hold: {reason}"},
      {"hold.mode_unsupported", "Changing a hold is not supported"},
      {"hold.not_found", "You have no hold on that item"},
      {"block.done", "Card blocked"},
      {"block.refused", "The card could not be blocked: {reason}"},
      {"enable.done", "Account enabled"},
      {"enable.remaining", "Account enabled; some blocks remain, please ask staff"},
      {"enable.refused", "The account could not be enabled: {reason}"},
      {"end_session.done", "Thank you, goodbye"},
      {"item_status.unsupported", "Item status updates are not supported"},
      {"item_status.refused", "The item could not be updated: {reason}"},
      {"status.offline",
       "The library system is offline: loans and returns are recorded and sent later"},
      {"offline.checkout", "Checked out (offline), due {due}"},
      {"offline.checkout_due_text", "Checked out (offline)"},
      {"offline.checkin", "Returned (offline)"},
      {"offline.renew", "Renewed (offline), due {due}"},
      {"offline.fee_paid", "Payment of {amount} accepted (offline)"},
      {"offline.hold", "Hold request taken (offline)"},
      {"offline.block", "Card blocked (offline)"},
      {"offline.refused",
       "The library system is offline; this cannot be done now, please ask staff"},
      {"offline.not_loanable",
       "This item cannot be checked out while the library system is offline"},
      {"outbox.unavailable",
       "The transaction could not be recorded; please ask staff (nothing was changed)"},
  };
  return texts;
}

Catalogue::Catalogue() : texts_(builtin()) {}

std::variant<Catalogue, std::vector<std::string>> Catalogue::load(
    const std::filesystem::path& site_file) {
  Catalogue c;
  if (site_file.empty()) return c;
  std::vector<std::string> errors;
  std::ifstream in(site_file);
  if (!in)
    return std::vector<std::string>{"messages.file: cannot read '" + site_file.string() + "'"};
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return std::vector<std::string>{"messages.file: not valid JSON"};
  }
  if (!j.is_object()) return std::vector<std::string>{"messages.file: must be an object"};
  static const std::regex placeholder(R"(\{([a-z_]+)\})");
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto b = builtin().find(it.key());
    if (b == builtin().end()) {
      errors.push_back("messages.file: " + it.key() + ": unknown message");
      continue;
    }
    if (!it->is_string()) {
      errors.push_back("messages.file: " + it.key() + ": must be a string");
      continue;
    }
    const std::string text = it->get<std::string>();
    for (std::sregex_iterator m(text.begin(), text.end(), placeholder), end; m != end; ++m)
      if (b->second.find((*m)[0].str()) == std::string::npos)
        errors.push_back("messages.file: " + it.key() + ": unknown placeholder " + (*m)[0].str());
    c.texts_[it.key()] = text;
  }
  if (!errors.empty()) return errors;
  return c;
}

std::string Catalogue::text(std::string_view key, Args args) const {
  auto it = texts_.find(key);
  std::string s = it == texts_.end() ? std::string(key) : it->second;
  for (const auto& [name, value] : args) {
    const std::string token = "{" + std::string(name) + "}";
    for (auto pos = s.find(token); pos != std::string::npos;
         pos = s.find(token, pos + value.size()))
      s.replace(pos, token.size(), value);
  }
  return s;
}

}  // namespace handlers
