// --profile for sip2-client: a firmware profile's wire conventions as the client's dialect.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "client_options.hpp"
#include "profiles/profile_registry.hpp"

namespace sip2_client {
namespace {

namespace fs = std::filesystem;

/// Where a profile id is looked up when --profiles-dir is not given.
std::vector<fs::path> default_profile_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("SIP2GW_PROFILES_DIR")) dirs.emplace_back(env);
  dirs.emplace_back("firmware-profiles");
  dirs.emplace_back(SIP2GW_PROFILES_INSTALL_DIR);
  return dirs;
}

/// The directory to load and the id to find in it, for an id or a profile file.
tl::expected<std::pair<fs::path, std::string>, std::string> locate(const ClientOptions& o) {
  const std::string& wanted = *o.profile;
  if (wanted.ends_with(".json") || wanted.find('/') != std::string::npos) {
    std::ifstream in(wanted);
    if (!in) return tl::unexpected("--profile: cannot read '" + wanted + "'");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("profile_id") ||
        !j["profile_id"].is_string())
      return tl::unexpected("--profile: '" + wanted + "' is not a firmware profile");
    return std::pair{fs::path(wanted).parent_path(), j["profile_id"].get<std::string>()};
  }
  if (o.profiles_dir) return std::pair{fs::path(*o.profiles_dir), wanted};
  for (const auto& dir : default_profile_dirs()) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return std::pair{dir, wanted};
  }
  return tl::unexpected(
      std::string("--profile: no firmware-profiles directory found; give "
                  "--profiles-dir DIR"));
}

}  // namespace

tl::expected<void, std::string> resolve_dialect(ClientOptions& o) {
  bool profile_detection = false;
  if (o.profile) {
    const auto where = locate(o);
    if (!where) return tl::unexpected(where.error());
    auto loaded = profiles::ProfileRegistry::load(where->first);
    if (auto* errors = std::get_if<std::vector<std::string>>(&loaded))
      return tl::unexpected("--profile: " + errors->front());
    const auto& registry = std::get<profiles::ProfileRegistry>(loaded);
    const auto* profile = registry.find(where->second);
    if (profile == nullptr)
      return tl::unexpected("--profile: no profile '" + where->second + "' in " +
                            where->first.string());
    o.dialect = profile->dialect;
    profile_detection = profile->dialect.error_detection == sip2::ErrorDetection::on;
  }
  // Options given on the command line win over the profile (and over a trace's header).
  if (o.charset) o.dialect.charset = *o.charset;
  if (o.terminator) o.dialect.terminator = *o.terminator;
  if (o.checksum_basis) o.dialect.checksum_basis = *o.checksum_basis;
  if (!o.error_detection) o.error_detection = profile_detection;
  // Responses are checked as they come: with a trailer when one is there.
  o.dialect.error_detection = sip2::ErrorDetection::automatic;
  o.connect.framer.max_frame_length = o.dialect.max_frame_length;
  return {};
}

}  // namespace sip2_client
