// The handlers' settings taken from a loaded config.
#include "handlers/context.hpp"

namespace handlers {

Settings Settings::from(const config::Config& c) {
  Settings s;
  s.min_mutation_budget = c.limits.min_mutation_budget;
  return s;
}

}  // namespace handlers
