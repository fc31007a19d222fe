// Reads the pseudonym key, or creates it atomically (temp file, then link) so racing starts agree.
#include "obs/pseudonym_key_file.hpp"

#include <botan/system_rng.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>

namespace obs {
namespace {

std::string failure(std::string_view verb, const std::filesystem::path& path,
                    std::string_view reason) {
  return "logging.pseudonym_key_file: cannot " + std::string(verb) + " '" + path.string() +
         "': " + std::string(reason);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

// The key bytes, or the errno of the failed open/read.
tl::expected<std::vector<std::uint8_t>, int> read_key(const std::filesystem::path& path) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return tl::make_unexpected(errno);
  std::vector<std::uint8_t> key;
  std::array<std::uint8_t, 64> chunk{};
  for (;;) {
    const auto n = ::read(fd.get(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::make_unexpected(errno);
    if (n == 0) return key;
    key.insert(key.end(), chunk.begin(), chunk.begin() + n);
    if (key.size() > 4096) return key;  // far too long; the size check reports it
  }
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const auto n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Writes a temp file and links it into place; losing a race to another process is success.
tl::expected<void, std::string> create_key(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return tl::make_unexpected(ec.message());
  std::filesystem::path temp = path;
  temp += ".tmp-" + std::to_string(::getpid());
  std::vector<std::uint8_t> key(pseudonym_key_size);
  try {
    Botan::System_RNG().randomize(key.data(), key.size());
  } catch (const std::exception& e) {
    return tl::make_unexpected(std::string("no system randomness: ") + e.what());
  }
  {
    const Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return tl::make_unexpected(std::strerror(errno));
    const bool written = ::fchmod(fd.get(), 0600) == 0 &&
                         write_all(fd.get(), key.data(), key.size()) && ::fsync(fd.get()) == 0;
    std::fill(key.begin(), key.end(), std::uint8_t{0});
    if (!written) {
      const int err = errno;
      ::unlink(temp.c_str());
      return tl::make_unexpected(std::strerror(err));
    }
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && err != EEXIST) return tl::make_unexpected(std::strerror(err));
  return {};
}

}  // namespace

tl::expected<std::vector<std::uint8_t>, std::string> load_or_create_key_file(
    const std::filesystem::path& key_file) {
  auto key = read_key(key_file);
  if (!key && key.error() == ENOENT) {
    if (auto created = create_key(key_file); !created) {
      return tl::make_unexpected(failure("create", key_file, created.error()));
    }
    key = read_key(key_file);
  }
  if (!key) return tl::make_unexpected(failure("read", key_file, std::strerror(key.error())));
  if (key->size() != pseudonym_key_size) {
    return tl::make_unexpected(failure("read", key_file,
                                       "expected " + std::to_string(pseudonym_key_size) +
                                           " bytes, found " + std::to_string(key->size())));
  }
  return std::move(*key);
}

}  // namespace obs
