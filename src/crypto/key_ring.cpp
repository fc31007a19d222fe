// The key ring and its JSON form: strict reading (every field checked, unknown ones refused).
#include "crypto/key_ring.hpp"

#include <botan/base64.h>
#include <botan/mem_ops.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "crypto/key_ring_json.hpp"

namespace crypto {
namespace {

using nlohmann::json;
using Failure = tl::unexpected<std::string>;

constexpr int format_version = 1;

Failure fail(const std::string& path, std::string_view reason) {
  return tl::make_unexpected(path + ": " + std::string(reason));
}

// Overwrites every string in `j` (base64 keys) before the JSON object frees them.
void scrub(json& j) {
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    Botan::secure_scrub_memory(s.data(), s.size());
  } else if (j.is_structured()) {
    for (auto& item : j)
      scrub(item);
  }
}

std::optional<std::string> unknown_field(const json& object,
                                         std::initializer_list<const char*> known,
                                         const std::string& prefix) {
  for (const auto& [name, value] : object.items()) {
    bool found = false;
    for (const char* k : known)
      found = found || name == k;
    if (!found) return prefix + name;
  }
  return std::nullopt;
}

std::optional<SecretBytes> decode_key(const json& value) {
  if (!value.is_string()) return std::nullopt;
  try {
    const auto bytes = Botan::base64_decode(value.get_ref<const std::string&>(), false);
    if (bytes.size() != key_size) return std::nullopt;
    return SecretBytes(bytes);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string encode_key(const SecretBytes& key) {
  return Botan::base64_encode(key.bytes().data(), key.size());
}

// A version name: decimal, no sign or leading zero, 1..2^32-1.
std::optional<std::uint32_t> parse_version(std::string_view name) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
  if (ec != std::errc() || end != name.data() + name.size() || v == 0 || name[0] == '0')
    return std::nullopt;
  return v;
}

tl::expected<void, std::string> read_sealing(const json& root, KeyRing& ring) {
  if (!root.contains("sealing")) return fail("sealing", "is missing");
  const auto& sealing = root.at("sealing");
  if (!sealing.is_object()) return fail("sealing", "must be an object");
  if (auto field = unknown_field(sealing, {"current", "keys"}, "sealing."))
    return fail(*field, "unknown field");
  if (!sealing.contains("current")) return fail("sealing.current", "is missing");
  const auto& current = sealing.at("current");
  if (!current.is_number_unsigned() || current.get<std::uint64_t>() < 1 ||
      current.get<std::uint64_t>() > UINT32_MAX)
    return fail("sealing.current", "must be a version number (1 or more)");
  ring.current = current.get<std::uint32_t>();
  if (!sealing.contains("keys")) return fail("sealing.keys", "is missing");
  const auto& keys = sealing.at("keys");
  if (!keys.is_object()) return fail("sealing.keys", "must be an object of version: key");
  for (const auto& [name, value] : keys.items()) {
    const auto version = parse_version(name);
    if (!version) return fail("sealing.keys." + name, "is not a version number (1 or more)");
    auto key = decode_key(value);
    if (!key) return fail("sealing.keys." + name, "must be base64 of 32 bytes");
    ring.sealing.emplace(*version, std::move(*key));
  }
  if (!ring.sealing_key(ring.current))
    return fail("sealing.current",
                "version " + std::to_string(ring.current) + " is not in sealing.keys");
  return {};
}

tl::expected<KeyRing, std::string> read_ring(const json& root) {
  if (!root.is_object()) return fail("(file)", "must be a JSON object");
  if (auto field = unknown_field(root, {"format", "index_key", "pseudonym_key", "sealing"}, ""))
    return fail(*field, "unknown field");
  if (!root.contains("format")) return fail("format", "is missing");
  const auto& format = root.at("format");
  if (!format.is_number_integer()) return fail("format", "must be a number");
  if (format.get<std::int64_t>() != format_version)
    return fail("format", "is " + format.dump() + "; this sip2gw reads format 1");
  KeyRing ring;
  for (const auto& [name, slot] :
       {std::pair{"index_key", &ring.index_key}, std::pair{"pseudonym_key", &ring.pseudonym_key}}) {
    if (!root.contains(name)) return fail(name, "is missing");
    auto key = decode_key(root.at(name));
    if (!key) return fail(name, "must be base64 of 32 bytes");
    *slot = std::move(*key);
  }
  if (auto sealing = read_sealing(root, ring); !sealing)
    return tl::make_unexpected(sealing.error());
  return ring;
}

}  // namespace

const SecretBytes* KeyRing::sealing_key(std::uint32_t version) const {
  const auto it = sealing.find(version);
  return it == sealing.end() ? nullptr : &it->second;
}

std::string KeyRing::fingerprint(const SecretBytes& key) {
  const auto digest = hmac(key, {"sip2gw key fingerprint"});
  return "k:" + hex(std::span(digest).first(4));
}

namespace detail {

tl::expected<KeyRing, std::string> parse_key_ring(std::string_view text) {
  auto root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return fail("(file)", "not valid JSON");
  auto ring = read_ring(root);
  scrub(root);
  return ring;
}

std::string serialize_key_ring(const KeyRing& ring) {
  json keys = json::object();
  for (const auto& [version, key] : ring.sealing)
    keys[std::to_string(version)] = encode_key(key);
  json root = {{"format", format_version},
               {"index_key", encode_key(ring.index_key)},
               {"pseudonym_key", encode_key(ring.pseudonym_key)},
               {"sealing", {{"current", ring.current}, {"keys", std::move(keys)}}}};
  std::string text = root.dump(2) + "\n";
  scrub(root);
  return text;
}

}  // namespace detail
}  // namespace crypto
