// FolioBackend construction, capabilities and the small helpers its operations share.
#include "ils/folio/folio_backend.hpp"

#include "ils/folio/cql.hpp"
#include "ils/folio/okapi_client.hpp"
#include "ils/folio/patron_groups.hpp"

namespace ils::folio {
namespace {

/// Paths are appended to base_url, so it must not end in a slash.
FolioConfig normalized(FolioConfig config) {
  while (!config.base_url.empty() && config.base_url.back() == '/')
    config.base_url.pop_back();
  return config;
}

}  // namespace

std::unique_ptr<Backend> make_backend(FolioConfig config, Observer observer) {
  return std::make_unique<FolioBackend>(std::move(config), std::move(observer));
}

FolioBackend::FolioBackend(FolioConfig config, Observer observer)
    : config_(normalized(std::move(config))),
      okapi_(std::make_unique<OkapiClient>(config_, std::move(observer))),
      groups_(std::make_unique<PatronGroups>()) {}

FolioBackend::~FolioBackend() = default;

Capabilities FolioBackend::capabilities() const {
  Capabilities caps = config_.enabled;
  caps.item_status_update = false;
  // FOLIO refuses a cancellation without a reason id, so cancel is offered only with one.
  caps.cancel_hold = caps.cancel_hold && !config_.cancellation_reason_id.empty();
  caps.credential = config_.patron_verification;
  return caps;
}

const std::string& FolioBackend::service_point(const std::string& requested) const {
  return requested.empty() ? config_.service_point_id : requested;
}

Result<Json> FolioBackend::search(const CallContext& ctx, std::string operation,
                                  const std::string& resource, std::string query, int limit) {
  const std::string path =
      resource + cql::query_string({{"query", std::move(query)}, {"limit", std::to_string(limit)}});
  return okapi_->call(ctx, Call::get(std::move(operation), path));
}

}  // namespace ils::folio
