// The admin endpoint's outbox routes bound to the gateway's journal.
#pragma once

#include "admin/outbox_routes.hpp"
#include "outbox/outbox.hpp"

namespace server {

/// The exceptions queue, counts, retry and drop on `journal` (which must outlive the admin
/// server). Answers: 200 with {"jobs": [...], "next_after": ID or null}, the counts, or
/// {"job": {...}}; 404 for no such job, 409 for a state that does not allow it, 400 for a
/// reason that cannot be taken, 503 when the journal cannot be read or written; errors as
/// {"error": "..."}. Jobs show their plain fields only (pseudonyms, never identifiers).
[[nodiscard]] admin::OutboxHooks outbox_admin_hooks(outbox::Outbox& journal);

}  // namespace server
