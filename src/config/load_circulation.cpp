// Loading the circulation section: magnetic media by material type and the return-date window.
#include <algorithm>
#include <cctype>

#include "config/sections.hpp"

namespace config::detail {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

}  // namespace

void read_circulation(ObjectReader r, CirculationConfig& c) {
  if (r.has("magnetic_media")) {
    std::map<std::string, bool, std::less<>> given;
    r.flags("magnetic_media", given);
    c.magnetic_media.clear();
    for (const auto& [name, magnetic] : given)
      c.magnetic_media[lower(name)] = magnetic;
  }
  if (const auto* types = r.raw("media_types"); types != nullptr && !types->is_object()) {
    r.error("media_types", "must be an object of material type names to SIP media types");
  } else if (types != nullptr) {
    c.media_types.clear();
    for (auto it = types->begin(); it != types->end(); ++it) {
      const bool valid = it->is_string() && it->get<std::string>().size() == 3 &&
                         it->get<std::string>() >= "000" && it->get<std::string>() <= "010" &&
                         std::all_of(it->get<std::string>().begin(), it->get<std::string>().end(),
                                     [](unsigned char ch) { return std::isdigit(ch) != 0; });
      if (!valid) {
        r.errors().push_back(r.path_of("media_types") + "." + it.key() +
                             ": must be a SIP media type from \"000\" to \"010\"");
        continue;
      }
      c.media_types[lower(it.key())] = it->get<std::string>();
    }
  }
  auto window = r.object("return_date");
  window.duration("max_age_hours", c.return_date_max_age, 1, 24 * 365);
  window.duration("max_future_seconds", c.return_date_max_future, 0, 86400);
  window.finish();
  r.finish();
}

}  // namespace config::detail
