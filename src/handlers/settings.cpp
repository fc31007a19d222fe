// The handlers' settings taken from a loaded config.
#include "handlers/context.hpp"

namespace handlers {

Settings Settings::from(const config::Config& c) {
  Settings s;
  s.min_mutation_budget = c.limits.min_mutation_budget;
  s.magnetic_media = c.circulation.magnetic_media;
  s.media_types = c.circulation.media_types;
  s.return_date_max_age = c.circulation.return_date_max_age;
  s.return_date_max_future = c.circulation.return_date_max_future;
  s.time_zone = c.timezone;
  s.set_outbox(c.outbox);
  return s;
}

void Settings::set_outbox(const config::OutboxConfig& o) {
  outbox = o;
  offline_items.clear();
  // The loader checked every pattern.
  for (const auto& rule : o.offline.items)
    offline_items.emplace_back(std::regex(rule.barcode_pattern, std::regex::ECMAScript), rule);
}

}  // namespace handlers
