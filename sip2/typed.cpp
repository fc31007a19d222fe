// Conversion between typed messages and the generic Message.
#include "sip2/typed.hpp"

#include <array>
#include <utility>

#include "sip2/typed_binder.hpp"

namespace sip2 {

namespace {

template <std::size_t... I>
constexpr std::array<Command, sizeof...(I)> commands_of(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, AnyMessage>::kCommand...};
}
constexpr auto kAlternativeCommands =
    commands_of(std::make_index_sequence<std::variant_size_v<AnyMessage>>{});
static_assert(kAlternativeCommands.size() == kCommandCount);

template <class T>
AnyMessage read_as(const Message& message) {
  T typed;
  detail::FromMessage binder(message, spec(T::kCommand));
  T::describe(binder, typed);
  typed.extra = binder.leftovers();
  return typed;
}

template <std::size_t... I>
AnyMessage read_by_index(std::size_t index, const Message& message, std::index_sequence<I...>) {
  using Reader = AnyMessage (*)(const Message&);
  constexpr Reader readers[] = {&read_as<std::variant_alternative_t<I, AnyMessage>>...};
  return readers[index](message);
}

}  // namespace

Command command_of(const AnyMessage& m) noexcept {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kCommand; }, m);
}

DecodeResult<AnyMessage> to_typed(const Message& message) {
  const CommandSpec* s = message.spec();
  if (s == nullptr) return tl::unexpected(DecodeError{errc::unknown_command, 0});
  for (std::size_t i = 0; i < kAlternativeCommands.size(); ++i)
    if (kAlternativeCommands[i] == s->command)
      return read_by_index(i, message, std::make_index_sequence<std::variant_size_v<AnyMessage>>{});
  return tl::unexpected(DecodeError{errc::unknown_command, 0});
}

Message to_message(const AnyMessage& message) {
  return std::visit(
      [](const auto& typed) {
        using T = std::decay_t<decltype(typed)>;
        detail::ToMessage binder(spec(T::kCommand));
        T::describe(binder, typed);
        return std::move(binder).take(typed.extra);
      },
      message);
}

DecodeResult<TypedFrame> decode_typed(std::string_view frame, const Dialect& dialect, Mode mode) {
  auto generic = decode(frame, dialect, mode);
  if (!generic) return tl::unexpected(generic.error());
  auto typed = to_typed(*generic);
  if (!typed) return tl::unexpected(typed.error());
  return TypedFrame{std::move(*typed), generic->sequence, generic->checksum_valid};
}

DecodeResult<RequestFrame> decode_request(std::string_view frame, const Dialect& dialect) {
  RequestFrame out;
  auto strict = decode_typed(frame, dialect, Mode::strict);
  if (strict) {
    out.frame = std::move(*strict);
    return out;
  }
  if (strict.error().code == errc::checksum_mismatch ||
      strict.error().code == errc::missing_checksum)
    return tl::unexpected(strict.error());
  out.strict_error = strict.error();
  auto lenient = decode_typed(frame, dialect, Mode::lenient);
  if (!lenient) return tl::unexpected(lenient.error());
  // The lenient reading reports a wrong AZ without refusing it; a server must refuse it, or a
  // corrupted frame would be executed. Only a dialect with error detection off ignores AZ.
  if (lenient->checksum_valid == false && dialect.error_detection != ErrorDetection::off)
    return tl::unexpected(DecodeError{errc::checksum_mismatch, out.strict_error->offset});
  out.frame = std::move(*lenient);
  out.lenient = true;
  return out;
}

DecodeResult<std::string> encode(const AnyMessage& message, const Dialect& dialect,
                                 EncodeOptions options) {
  return encode(to_message(message), dialect, options);
}

}  // namespace sip2
