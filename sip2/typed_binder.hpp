// The two visitors that move a typed message's members to and from the generic Message.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "sip2/messages/common.hpp"

namespace sip2::detail {

/// Fills a typed struct from a Message: fixed members positionally, tagged members by code.
class FromMessage {
 public:
  FromMessage(const Message& message, const CommandSpec& spec);

  template <class T>
  void operator()(T& member) {
    const FixedSpec* fs = index_ < spec_.fixed.size() ? &spec_.fixed[index_] : nullptr;
    std::string_view raw = index_ < message_.fixed.size() ? std::string_view(message_.fixed[index_])
                                                          : std::string_view();
    ++index_;
    read_fixed(raw, fs ? fs->kind : FixedKind::any, member);
  }

  template <class T>
  void operator()(FieldCode code, T& member) {
    read_tag(code, member);
  }

  /// Fields no member took, in wire order.
  [[nodiscard]] std::vector<Field> leftovers() const;

 private:
  static void read_fixed(std::string_view raw, FixedKind kind, bool& v);
  static void read_fixed(std::string_view raw, FixedKind kind, Tristate& v);
  static void read_fixed(std::string_view raw, FixedKind kind, Timestamp& v);
  static void read_fixed(std::string_view raw, FixedKind kind, std::optional<Timestamp>& v);
  static void read_fixed(std::string_view raw, FixedKind kind, std::string& v);
  static void read_fixed(std::string_view raw, FixedKind kind, char& v);
  static void read_fixed(std::string_view raw, FixedKind kind, std::uint16_t& v);
  static void read_fixed(std::string_view raw, FixedKind kind, std::optional<std::uint16_t>& v);
  static void read_fixed(std::string_view raw, FixedKind kind, HoldMode& v);
  static void read_fixed(std::string_view raw, FixedKind kind, ScStatusCode& v);
  template <std::size_t N>
  static void read_fixed(std::string_view raw, FixedKind, std::bitset<N>& v) {
    for (std::size_t i = 0; i < N && i < raw.size(); ++i)
      v.set(i, raw[i] == 'Y');
  }
  template <class E>
  requires std::is_enum_v<E>
  static void read_fixed(std::string_view raw, FixedKind, E& v) {
    if (auto n = two_digits(raw)) v = static_cast<E>(*n);
  }
  static std::optional<int> two_digits(std::string_view raw);

  /// The index of the next occurrence of `code` no member has taken yet.
  std::optional<std::size_t> next(FieldCode code) const;

  void read_tag(FieldCode code, std::string& v);
  void read_tag(FieldCode code, std::optional<std::string>& v);
  void read_tag(FieldCode code, std::vector<std::string>& v);
  void read_tag(FieldCode code, std::optional<bool>& v);
  void read_tag(FieldCode code, std::optional<Timestamp>& v);
  void read_tag(FieldCode code, std::optional<FeeType>& v);
  void read_tag(FieldCode code, std::optional<AlertType>& v);
  void read_tag(FieldCode code, SupportedMessages& v);

  const Message& message_;
  const CommandSpec& spec_;
  std::size_t index_ = 0;
  std::vector<bool> taken_;
};

/// Builds a Message from a typed struct.
class ToMessage {
 public:
  explicit ToMessage(const CommandSpec& spec);

  template <class T>
  void operator()(const T& member) {
    const FixedSpec* fs = index_ < spec_.fixed.size() ? &spec_.fixed[index_] : nullptr;
    ++index_;
    const std::size_t width = fs ? fs->width : 0;
    message_.fixed.push_back(write_fixed(width, fs ? fs->kind : FixedKind::any, member));
  }

  template <class T>
  void operator()(FieldCode code, const T& member) {
    write_tag(code, member);
  }

  [[nodiscard]] Message take(const std::vector<Field>& extra) &&;

 private:
  static std::string write_fixed(std::size_t width, FixedKind kind, bool v);
  static std::string write_fixed(std::size_t width, FixedKind kind, Tristate v);
  static std::string write_fixed(std::size_t width, FixedKind kind, const Timestamp& v);
  static std::string write_fixed(std::size_t width, FixedKind kind,
                                 const std::optional<Timestamp>& v);
  static std::string write_fixed(std::size_t width, FixedKind kind, const std::string& v);
  static std::string write_fixed(std::size_t width, FixedKind kind, char v);
  static std::string write_fixed(std::size_t width, FixedKind kind, std::uint16_t v);
  static std::string write_fixed(std::size_t width, FixedKind kind,
                                 const std::optional<std::uint16_t>& v);
  static std::string write_fixed(std::size_t width, FixedKind kind, HoldMode v);
  static std::string write_fixed(std::size_t width, FixedKind kind, ScStatusCode v);
  template <std::size_t N>
  static std::string write_fixed(std::size_t, FixedKind, const std::bitset<N>& v) {
    std::string s(N, ' ');
    for (std::size_t i = 0; i < N; ++i)
      s[i] = v.test(i) ? 'Y' : ' ';
    return s;
  }
  template <class E>
  requires std::is_enum_v<E>
  static std::string write_fixed(std::size_t width, FixedKind, E v) {
    return digits(static_cast<unsigned>(v), width);
  }
  static std::string digits(unsigned value, std::size_t width);

  void write_tag(FieldCode code, const std::string& v);
  void write_tag(FieldCode code, const std::optional<std::string>& v);
  void write_tag(FieldCode code, const std::vector<std::string>& v);
  void write_tag(FieldCode code, const std::optional<bool>& v);
  void write_tag(FieldCode code, const std::optional<Timestamp>& v);
  void write_tag(FieldCode code, const std::optional<FeeType>& v);
  void write_tag(FieldCode code, const std::optional<AlertType>& v);
  void write_tag(FieldCode code, const SupportedMessages& v);

  const CommandSpec& spec_;
  std::size_t index_ = 0;
  Message message_;
};

}  // namespace sip2::detail
