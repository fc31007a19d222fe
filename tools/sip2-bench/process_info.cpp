// Process facts the benchmark needs: another process's resident memory, our file limit.
#include "process_info.hpp"

#include <sys/resource.h>

#include <fstream>
#include <sstream>

namespace bench {

std::optional<std::uint64_t> read_rss_kib(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    std::istringstream words(line.substr(6));
    std::uint64_t kib = 0;
    if (words >> kib) return kib;
  }
  return std::nullopt;
}

tl::expected<std::uint64_t, std::string> raise_file_limit(std::uint64_t needed) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return tl::unexpected(std::string("getrlimit failed"));
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < needed) {
    rlimit wider{needed, needed};
    if (::setrlimit(RLIMIT_NOFILE, &wider) == 0) return needed;  // privileged: raised both
    return tl::unexpected("needs " + std::to_string(needed) +
                          " file descriptors (connections plus a margin) but the hard limit is " +
                          std::to_string(lim.rlim_max) +
                          "; raise it (ulimit -Hn, or LimitNOFILE) or use fewer connections");
  }
  lim.rlim_cur = lim.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0)
    return tl::unexpected(std::string("cannot raise the open-file limit"));
  return lim.rlim_cur;
}

}  // namespace bench
