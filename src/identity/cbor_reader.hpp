// A pull reader of the CBOR that records are stored in (RFC 8949 definite-length maps, arrays,
// text, integers, booleans and null, as nlohmann::json::to_cbor writes them): a record is read
// field by field, without building a JSON tree first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace identity::cbor {

class Reader {
 public:
  explicit Reader(std::string_view bytes) : in_(bytes) {}

  /// Each reads the next item when it is of that kind; nullopt (nothing read) otherwise, or when
  /// the input is malformed or ends early.
  [[nodiscard]] std::optional<std::size_t> map();    ///< a map's pair count
  [[nodiscard]] std::optional<std::size_t> array();  ///< an array's item count
  [[nodiscard]] std::optional<std::string_view> text();
  [[nodiscard]] std::optional<std::int64_t> integer();
  [[nodiscard]] std::optional<bool> boolean();
  /// Reads a null if one comes next.
  [[nodiscard]] bool null();
  /// Skips one item of any kind (a map or array with what it holds); false when malformed.
  [[nodiscard]] bool skip();
  [[nodiscard]] bool at_end() const { return at_ == in_.size(); }

 private:
  struct Head {
    std::uint8_t major = 0;
    std::uint8_t info = 0;
    std::uint64_t argument = 0;
    std::size_t size = 0;  ///< bytes of the head
  };
  /// The head of the next item, not consumed.
  [[nodiscard]] std::optional<Head> peek() const;
  [[nodiscard]] bool skip(int depth);

  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace identity::cbor
