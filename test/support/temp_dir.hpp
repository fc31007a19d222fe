// A fresh directory under the system temp dir, removed with everything in it at scope exit;
// shared by the unit tests that need files.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace test_support {

class TempDir {
 public:
  /// Named /tmp/sip2gw-PREFIX-XXXXXX (mode 0700, as mkdtemp makes it).
  explicit TempDir(const std::string& prefix = "test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("sip2gw-" + prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace test_support
