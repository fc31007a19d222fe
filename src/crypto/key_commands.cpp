// The key file commands: each a few lines over key_ring.hpp, printing no key bytes ever.
#include "crypto/key_commands.hpp"

#include <charconv>
#include <optional>

#include "crypto/key_ring.hpp"

namespace crypto {
namespace {

constexpr int ok = 0;
constexpr int failed = 1;
constexpr int usage = 2;

int refused(std::ostream& err, const std::string& why) {
  err << "sip2gw keys: security.key_file: " << why << "\n";
  return failed;
}

int init(const KeyFilePaths& paths, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::exists(paths.key_file, ec))
    return refused(err, "'" + paths.key_file.string() + "' exists; not overwriting it");
  auto opened = open_key_file(paths.key_file, paths.legacy_pseudonym_key);
  if (!opened) return refused(err, opened.error());
  out << "created key file '" << paths.key_file.string() << "' with sealing version 1";
  if (opened->origin == KeyFileOrigin::migrated)
    out << " and the pseudonym key of '" << paths.legacy_pseudonym_key.string()
        << "' (log pseudonyms stay the same)";
  out << "\n";
  return ok;
}

int rotate(const KeyFilePaths& paths, std::ostream& out, std::ostream& err) {
  auto version = rotate_key_file(paths.key_file);
  if (!version) return refused(err, version.error());
  out << "sealing version " << *version << " is now current; restart sip2gw to seal with it\n";
  return ok;
}

std::optional<std::uint32_t> parse_version(const std::string& text) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0) return std::nullopt;
  return v;
}

int retire(const std::string& text, const KeyFilePaths& paths, std::ostream& out,
           std::ostream& err) {
  const auto version = parse_version(text);
  if (!version) {
    err << "sip2gw keys retire: '" << text << "' is not a version number (1 or more)\n";
    return usage;
  }
  if (auto done = retire_key_version(paths.key_file, *version); !done)
    return refused(err, done.error());
  out << "retired sealing version " << *version << ": records sealed only with version " << *version
      << " can no longer be opened (a running sip2gw forgets it at restart)\n";
  return ok;
}

int show(const KeyFilePaths& paths, std::ostream& out, std::ostream& err) {
  auto ring = load_key_file(paths.key_file);
  if (!ring) return refused(err, ring.error());
  out << "key file: " << paths.key_file.string() << "\n"
      << "index key: " << KeyRing::fingerprint(ring->index_key) << "\n"
      << "pseudonym key: " << KeyRing::fingerprint(ring->pseudonym_key) << "\n"
      << "sealing versions:\n";
  for (const auto& [version, key] : ring->sealing)
    out << "  " << version << " " << KeyRing::fingerprint(key)
        << (version == ring->current ? " current" : "") << "\n";
  return ok;
}

}  // namespace

int run_keys_command(std::span<const std::string> args, const KeyFilePaths& paths,
                     std::ostream& out, std::ostream& err) {
  const std::string command = args.empty() ? "" : args[0];
  const std::size_t wanted = command == "retire" ? 2 : 1;
  if (args.size() != wanted ||
      (command != "init" && command != "rotate" && command != "retire" && command != "show")) {
    err << "sip2gw keys: expected init, rotate, retire VERSION or show\n";
    return usage;
  }
  if (command == "init") return init(paths, out, err);
  if (command == "rotate") return rotate(paths, out, err);
  if (command == "retire") return retire(args[1], paths, out, err);
  return show(paths, out, err);
}

}  // namespace crypto
