// The handlers' settings taken from a loaded config.
#include "handlers/context.hpp"

namespace handlers {

Settings Settings::from(const config::Config& c) {
  Settings s;
  s.min_mutation_budget = c.limits.min_mutation_budget;
  s.magnetic_media = c.circulation.magnetic_media;
  s.return_date_max_age = c.circulation.return_date_max_age;
  s.return_date_max_future = c.circulation.return_date_max_future;
  s.time_zone = c.timezone;
  return s;
}

}  // namespace handlers
