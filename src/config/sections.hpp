// Readers of the config's sections, shared by the loader's source files.
#pragma once

#include "config/config.hpp"

namespace config::detail {

void read_listeners(ObjectReader& root, Config& c, const std::filesystem::path& base);
void read_limits(ObjectReader r, Limits& l);
void read_accounts(ObjectReader& root, Config& c);
void read_profiles(ObjectReader r, ProfilesConfig& p, Errors& errors);
void read_backend(ObjectReader r, BackendConfig& b, const std::filesystem::path& base,
                  Errors& errors);
void read_circulation(ObjectReader r, CirculationConfig& c);
/// `p` made absolute against `base` (no change when empty or already absolute).
std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p);

}  // namespace config::detail
