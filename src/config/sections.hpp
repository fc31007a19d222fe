// Readers of the config's sections, shared by the loader's source files.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"

namespace config::detail {

void read_listeners(ObjectReader& root, Config& c, const std::filesystem::path& base);
void read_limits(ObjectReader r, Limits& l);
void read_accounts(ObjectReader& root, Config& c);
void read_profiles(ObjectReader r, ProfilesConfig& p, Errors& errors);
void read_backend(ObjectReader r, BackendConfig& b, const std::filesystem::path& base,
                  Errors& errors);
void read_circulation(ObjectReader r, CirculationConfig& c);
void read_store(ObjectReader r, StoreConfig& s, const std::filesystem::path& base);
void read_identity(ObjectReader r, IdentityConfig& i);
void read_outbox(ObjectReader r, OutboxConfig& o);
void read_outbox_mode(ObjectReader& r, std::string_view key, OutboxMode& out);
/// `p` made absolute against `base` (no change when empty or already absolute).
std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p);
/// Why the file at `path` may not hold a secret (group or others may read or write it), if so.
[[nodiscard]] std::optional<std::string> private_file_problem(const std::filesystem::path& path);
/// Reports `key` when the file at `path` exists and is readable or writable by group or others
/// (secrets must be 0600 or 0400: "json.path: '/f' is readable by group or others (mode 0644)").
void require_private_file(ObjectReader& r, std::string_view key, const std::filesystem::path& path);
/// The first line of a private file (checked as above); reports it when it cannot be read.
[[nodiscard]] std::string read_secret_file(ObjectReader& r, std::string_view key,
                                           const std::filesystem::path& path);

}  // namespace config::detail
