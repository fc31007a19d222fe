// Loading the circulation section: magnetic media by material type and the return-date window.
#include <algorithm>
#include <cctype>

#include "config/sections.hpp"

namespace config::detail {

void read_circulation(ObjectReader r, CirculationConfig& c) {
  if (r.has("magnetic_media")) {
    std::map<std::string, bool, std::less<>> given;
    r.flags("magnetic_media", given);
    c.magnetic_media.clear();
    for (const auto& [name, magnetic] : given) {
      std::string type = name;
      std::transform(type.begin(), type.end(), type.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      c.magnetic_media[type] = magnetic;
    }
  }
  auto window = r.object("return_date");
  window.duration("max_age_hours", c.return_date_max_age, 1, 24 * 365);
  window.duration("max_future_seconds", c.return_date_max_future, 0, 86400);
  window.finish();
  r.finish();
}

}  // namespace config::detail
