// The key file on disk: private reads, no-clobber creation, atomic replacement under a lock.
#include <botan/mem_ops.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "crypto/key_ring.hpp"
#include "crypto/key_ring_json.hpp"

namespace crypto {
namespace {

using Failure = tl::unexpected<std::string>;
constexpr std::size_t max_file_size = 1 << 20;

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

Failure fail(const std::filesystem::path& p, std::string_view reason) {
  return tl::make_unexpected(quoted(p) + ": " + std::string(reason));
}

std::string octal_mode(mode_t mode) {
  std::array<char, 8> text{};
  std::snprintf(text.data(), text.size(), "%04o", static_cast<unsigned>(mode & 07777));
  return text.data();
}

/// A descriptor closed at scope exit.
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

/// Wipes a string holding key material when it goes.
struct WipedText {
  std::string text;
  WipedText() = default;
  explicit WipedText(std::string t) : text(std::move(t)) {}
  WipedText(const WipedText&) = delete;
  WipedText& operator=(const WipedText&) = delete;
  ~WipedText() { Botan::secure_scrub_memory(text.data(), text.size()); }
};

std::filesystem::path directory_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

// The contents of a regular file that only its owner may read or write.
tl::expected<void, std::string> read_private(const std::filesystem::path& path, WipedText& out) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail(path, std::string("cannot read: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail(path, "is not a regular file");
  if ((st.st_mode & 077) != 0) {
    const char* how = (st.st_mode & 044) != 0 ? "readable by" : "accessible to";
    return tl::make_unexpected(quoted(path) + " is " + how + " others (mode " +
                               octal_mode(st.st_mode) + "); chmod 600 it");
  }
  if (static_cast<std::size_t>(st.st_size) > max_file_size) return fail(path, "is too large");
  out.text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out.text.size()) {
    const auto n = ::read(fd.get(), out.text.data() + done, out.text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(path, std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.text.resize(done);
  return {};
}

// Makes missing directories 0700; refuses a directory others may write (they could swap the
// file), unless it is sticky like /tmp.
tl::expected<void, std::string> prepare_directory(const std::filesystem::path& dir) {
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return fail(partial, std::string("cannot create directory: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return fail(dir, std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return fail(dir, "is not a directory");
  if ((st.st_mode & 022) != 0 && (st.st_mode & S_ISVTX) == 0)
    return tl::make_unexpected("directory " + quoted(dir) + " is writable by others (mode " +
                               octal_mode(st.st_mode) + "); chmod 700 it");
  return {};
}

/// An exclusive lock on a directory, held while the key file in it changes.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::filesystem::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    while (fd_.get() >= 0 && ::flock(fd_.get(), LOCK_EX) != 0 && errno == EINTR) {
    }
  }

 private:
  Fd fd_;
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

enum class Placement { create_new, replace };

// Writes `text` to a fresh 0600 file next to `path`, then links it in (create_new: fails with
// EEXIST when the file is there) or renames it over (replace), and syncs the directory.
int place_file(const std::filesystem::path& path, std::string_view text, Placement how) {
  const auto dir = directory_of(path);
  const auto temp = dir / ("." + path.filename().string() + ".tmp-" + hex(random_bytes(6)));
  {
    const Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return errno;
    if (::fchmod(fd.get(), 0600) != 0 || !write_all(fd.get(), text) || ::fsync(fd.get()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      return err;
    }
  }
  int err = 0;
  if (how == Placement::replace) {
    if (::rename(temp.c_str(), path.c_str()) != 0) err = errno;
  } else if (::link(temp.c_str(), path.c_str()) != 0) {
    err = errno;
  }
  if (err != 0 || how == Placement::create_new) ::unlink(temp.c_str());
  if (err != 0) return err;
  const Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) return errno;
  return 0;
}

tl::expected<void, std::string> replace_ring(const std::filesystem::path& path,
                                             const KeyRing& ring) {
  const WipedText text(detail::serialize_key_ring(ring));
  if (const int err = place_file(path, text.text, Placement::replace); err != 0)
    return fail(path, std::string("cannot replace: ") + std::strerror(err));
  return {};
}

// A new file, or EEXIST when another process (or an earlier run) made it first.
tl::expected<KeyRing, std::pair<int, std::string>> create_new(const std::filesystem::path& path,
                                                              const SecretBytes* pseudonym_key) {
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found)
    return tl::make_unexpected(std::pair(EEXIST, quoted(path) + " exists; not overwriting it"));
  const auto dir = directory_of(path);
  if (auto ready = prepare_directory(dir); !ready)
    return tl::make_unexpected(std::pair(0, ready.error()));
  KeyRing ring;
  ring.index_key = random_key();
  ring.pseudonym_key = pseudonym_key != nullptr ? *pseudonym_key : random_key();
  ring.sealing.emplace(1, random_key());
  ring.current = 1;
  const WipedText text(detail::serialize_key_ring(ring));
  const int err = place_file(path, text.text, Placement::create_new);
  if (err == EEXIST)
    return tl::make_unexpected(std::pair(err, quoted(path) + " exists; not overwriting it"));
  if (err != 0)
    return tl::make_unexpected(
        std::pair(err, quoted(path) + ": cannot create: " + std::strerror(err)));
  return ring;
}

// The pseudonym key file of earlier releases: 32 raw bytes, 0600.
tl::expected<SecretBytes, std::string> read_legacy_key(const std::filesystem::path& path) {
  WipedText raw;
  if (auto read = read_private(path, raw); !read) return tl::make_unexpected(read.error());
  if (raw.text.size() != key_size)
    return fail(path, "expected 32 bytes, found " + std::to_string(raw.text.size()));
  return SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(raw.text.data()), key_size));
}

}  // namespace

tl::expected<KeyRing, std::string> load_key_file(const std::filesystem::path& path) {
  WipedText text;
  if (auto read = read_private(path, text); !read) return tl::make_unexpected(read.error());
  auto ring = detail::parse_key_ring(text.text);
  if (!ring) return fail(path, ring.error());
  return ring;
}

tl::expected<KeyRing, std::string> create_key_file(const std::filesystem::path& path,
                                                   const SecretBytes* pseudonym_key) {
  return create_new(path, pseudonym_key).map_error([](auto e) { return std::move(e.second); });
}

tl::expected<OpenedKeyFile, std::string> open_key_file(
    const std::filesystem::path& path, const std::filesystem::path& legacy_pseudonym_key) {
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found)
    return load_key_file(path).map([](KeyRing r) { return OpenedKeyFile{std::move(r)}; });
  std::optional<SecretBytes> legacy;
  if (!legacy_pseudonym_key.empty() && std::filesystem::exists(legacy_pseudonym_key, ec)) {
    auto key = read_legacy_key(legacy_pseudonym_key);
    if (!key) return tl::make_unexpected(key.error());
    legacy = std::move(*key);
  }
  auto created = create_new(path, legacy ? &*legacy : nullptr);
  if (!created && created.error().first == EEXIST)  // another process was first: use its file
    return load_key_file(path).map([](KeyRing r) { return OpenedKeyFile{std::move(r)}; });
  if (!created) return tl::make_unexpected(std::move(created.error().second));
  return OpenedKeyFile{std::move(*created),
                       legacy ? KeyFileOrigin::migrated : KeyFileOrigin::created};
}

tl::expected<void, std::string> check_key_file(const std::filesystem::path& path,
                                               const std::filesystem::path& legacy_pseudonym_key) {
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found)
    return load_key_file(path).map([](const KeyRing&) {});
  if (!legacy_pseudonym_key.empty() && std::filesystem::exists(legacy_pseudonym_key, ec))
    return read_legacy_key(legacy_pseudonym_key).map([](const SecretBytes&) {});
  return {};
}

tl::expected<std::uint32_t, std::string> rotate_key_file(const std::filesystem::path& path) {
  const DirectoryLock lock(directory_of(path));
  auto ring = load_key_file(path);
  if (!ring) return tl::make_unexpected(ring.error());
  const std::uint32_t highest = ring->sealing.empty() ? 0 : ring->sealing.rbegin()->first;
  if (highest == UINT32_MAX) return fail(path, "no sealing version left");
  ring->sealing.emplace(highest + 1, random_key());
  ring->current = highest + 1;
  if (auto replaced = replace_ring(path, *ring); !replaced)
    return tl::make_unexpected(replaced.error());
  return ring->current;
}

tl::expected<void, std::string> retire_key_version(const std::filesystem::path& path,
                                                   std::uint32_t version) {
  const DirectoryLock lock(directory_of(path));
  auto ring = load_key_file(path);
  if (!ring) return tl::make_unexpected(ring.error());
  const auto v = std::to_string(version);
  if (version == ring->current)
    return fail(path, "version " + v + " is the current sealing version; rotate first");
  if (ring->sealing.erase(version) == 0)
    return fail(path, "version " + v + " is not in the key file (retired already?)");
  return replace_ring(path, *ring);
}

}  // namespace crypto
