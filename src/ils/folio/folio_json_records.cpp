// FOLIO records (users, loans, requests, accounts, blocks, items) to ils value types.
#include <algorithm>

#include "ils/folio/folio_json.hpp"
#include "ils/http_util.hpp"

namespace ils::folio {
namespace {

std::optional<Timestamp> date(const Json& object, const char* key) {
  return parse_timestamp(text(object, key));
}

int integer(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

Cents cents(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  return it == object.end() ? 0 : to_cents(*it).value_or(0);
}

const Json& member(const Json& object, const char* key) {
  static const Json null;
  if (!object.is_object()) return null;
  const auto it = object.find(key);
  return it == object.end() ? null : *it;
}

void append_word(std::string& out, std::string_view word, std::string_view separator) {
  if (word.empty()) return;
  if (!out.empty()) out += separator;
  out += word;
}

std::string format_address(const Json& personal) {
  const Json* chosen = nullptr;
  for (const auto& address : array(personal, "addresses")) {
    if (chosen == nullptr || flag(address, "primaryAddress")) chosen = &address;
    if (flag(address, "primaryAddress")) break;
  }
  if (chosen == nullptr) return {};
  std::string out;
  for (const char* key : {"addressLine1", "addressLine2", "city", "region", "postalCode"})
    append_word(out, text(*chosen, key), ", ");
  return out;
}

}  // namespace

Patron patron_from_json(const Json& user) {
  Patron p;
  p.id = text(user, "id");
  p.barcode = text(user, "barcode");
  p.username = text(user, "username");
  p.external_system_id = text(user, "externalSystemId");
  p.active = flag(user, "active");
  p.expires_at = date(user, "expirationDate");
  p.patron_group_id = text(user, "patronGroup");
  const Json& personal = member(user, "personal");
  p.first_name = text(personal, "firstName");
  p.middle_name = text(personal, "middleName");
  p.last_name = text(personal, "lastName");
  p.preferred_first_name = text(personal, "preferredFirstName");
  append_word(p.display_name,
              p.preferred_first_name.empty() ? p.first_name : p.preferred_first_name, " ");
  append_word(p.display_name, p.middle_name, " ");
  append_word(p.display_name, p.last_name, " ");
  p.email = text(personal, "email");
  p.phone = text(personal, "phone");
  if (p.phone.empty()) p.phone = text(personal, "mobilePhone");
  p.address = format_address(personal);
  p.updated_at = parse_timestamp(text(user, "metadata", "updatedDate"));
  return p;
}

Loan loan_from_json(const Json& loan, Timestamp now) {
  Loan l;
  l.id = text(loan, "id");
  l.item_id = text(loan, "itemId");
  l.user_id = text(loan, "userId");
  const Json& item = member(loan, "item");
  l.item_barcode = text(item, "barcode");
  l.title = text(item, "title");
  l.call_number = text(item, "callNumber");
  l.material_type = text(item, "materialType", "name");
  l.location = text(item, "location", "name");
  if (l.item_id.empty()) l.item_id = text(item, "id");
  l.loan_date = date(loan, "loanDate");
  l.due_date = date(loan, "dueDate");
  l.overdue = l.due_date && *l.due_date < now;
  l.renewal_count = static_cast<std::uint32_t>(std::max(0, integer(loan, "renewalCount")));
  l.user_barcode = text(loan, "borrower", "barcode");
  return l;
}

Hold hold_from_json(const Json& request) {
  Hold h;
  h.id = text(request, "id");
  const std::string type = text(request, "requestType");
  h.kind = type == "Hold"     ? HoldKind::hold
           : type == "Recall" ? HoldKind::recall
           : type == "Page"   ? HoldKind::page
                              : HoldKind::other;
  h.status = text(request, "status");
  h.available = h.status == "Open - Awaiting pickup";
  h.requester_id = text(request, "requesterId");
  h.requester_barcode = text(request, "requester", "barcode");
  h.item_id = text(request, "itemId");
  h.item_barcode = text(request, "item", "barcode");
  h.instance_id = text(request, "instanceId");
  h.title = text(request, "instance", "title");
  if (h.title.empty()) h.title = text(request, "item", "title");
  h.position = integer(request, "position");
  h.pickup_location_id = text(request, "pickupServicePointId");
  h.request_date = date(request, "requestDate");
  h.expires_at = date(request, "requestExpirationDate");
  h.hold_shelf_expires_at = date(request, "holdShelfExpirationDate");
  return h;
}

Fee fee_from_json(const Json& account) {
  Fee f;
  f.id = text(account, "id");
  f.type = text(account, "feeFineType");
  f.amount = cents(account, "amount");
  f.remaining = cents(account, "remaining");
  f.item_barcode = text(account, "barcode");
  f.title = text(account, "title");
  f.created_at = date(account, "dateCreated");
  return f;
}

Block manual_block_from_json(const Json& block, std::string_view marker) {
  Block b;
  b.id = text(block, "id");
  b.source = BlockSource::manual;
  b.borrowing = flag(block, "borrowing");
  b.renewals = flag(block, "renewals");
  b.requests = flag(block, "requests");
  b.expires_at = date(block, "expirationDate");
  std::string desc = text(block, "desc");
  b.created_by_gateway = !marker.empty() && desc.starts_with(marker);
  if (b.created_by_gateway) desc = std::string(trim(std::string_view(desc).substr(marker.size())));
  b.message = text(block, "patronMessage");
  if (b.message.empty()) b.message = desc;
  return b;
}

Block automated_block_from_json(const Json& block) {
  Block b;
  b.source = BlockSource::automated;
  b.borrowing = flag(block, "blockBorrowing");
  b.renewals = flag(block, "blockRenewals");
  b.requests = flag(block, "blockRequests");
  b.message = text(block, "message");
  return b;
}

Item item_from_json(const Json& item) {
  Item i;
  i.id = text(item, "id");
  i.barcode = text(item, "barcode");
  i.title = text(item, "title");
  i.call_number = text(item, "callNumber");
  if (i.call_number.empty())
    i.call_number = text(item, "effectiveCallNumberComponents", "callNumber");
  i.status_name = text(item, "status", "name");
  i.status = map_item_status(i.status_name);
  i.permanent_location = text(item, "permanentLocation", "name");
  i.current_location = text(item, "effectiveLocation", "name");
  if (i.current_location.empty()) i.current_location = text(item, "location", "name");
  if (i.permanent_location.empty()) i.permanent_location = i.current_location;
  i.material_type = text(item, "materialType", "name");
  i.holdings_record_id = text(item, "holdingsRecordId");
  i.instance_id = text(item, "instanceId");
  return i;
}

ItemStatus map_item_status(std::string_view name) {
  if (name == "Available") return ItemStatus::available;
  if (name == "Awaiting pickup") return ItemStatus::on_hold_shelf;
  if (name == "In transit" || name == "Awaiting delivery") return ItemStatus::in_transit;
  if (name == "Checked out") return ItemStatus::charged;
  if (name == "Paged") return ItemStatus::recalled;
  if (name == "On order") return ItemStatus::on_order;
  if (name == "In process") return ItemStatus::in_process;
  if (name == "Claimed returned") return ItemStatus::claimed_returned;
  if (name == "Declared lost" || name == "Aged to lost" || name == "Lost and paid")
    return ItemStatus::lost;
  if (name == "Long missing" || name == "Missing") return ItemStatus::missing;
  return ItemStatus::other;
}

}  // namespace ils::folio
