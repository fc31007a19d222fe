// Hiding passwords and PINs (CO, AC, AD) in everything sip2-client prints.
#include "secret_mask.hpp"

#include <algorithm>
#include <vector>

#include "sip2/command.hpp"
#include "words.hpp"

namespace sip2_client {

bool is_secret(sip2::FieldCode code) noexcept {
  return code == sip2::field::login_password || code == sip2::field::terminal_password ||
         code == sip2::field::patron_password;
}

namespace {

std::string_view placeholder(sip2::FieldCode code) {
  if (code == sip2::field::login_password) return "{password}";
  if (code == sip2::field::patron_password) return "{pin}";
  return "{terminal-password}";
}

/// `frame` with the value of each secret field replaced by `replacement(code)`.
template <class Replacement>
std::string replace_secrets(std::string_view frame, Replacement replacement) {
  // Field starts: after the fixed part, after every delimiter, and (for a message typed without
  // its fixed part) right after the command code.
  std::vector<std::size_t> starts{2};
  if (const auto* spec = sip2::find_command(frame.substr(0, 2)))
    starts.push_back(2 + spec->fixed_length());
  for (std::size_t i = 0; i < frame.size(); ++i)
    if (frame[i] == '|') starts.push_back(i + 1);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());

  std::string out;
  std::size_t copied = 0;
  for (const std::size_t at : starts) {
    if (at < copied || at + 2 > frame.size()) continue;
    if (!is_secret(sip2::FieldCode(frame.substr(at, 2)))) continue;
    const std::size_t end = std::min(frame.find('|', at), frame.size());
    if (end == at + 2) continue;  // an empty value hides nothing
    out.append(frame.substr(copied, at + 2 - copied))
        .append(replacement(sip2::FieldCode(frame.substr(at, 2))));
    copied = end;
  }
  out.append(frame.substr(std::min(copied, frame.size())));
  return out;
}

}  // namespace

std::string mask_secrets(std::string_view frame) {
  return replace_secrets(frame, [](sip2::FieldCode) { return kMask; });
}

std::string secrets_to_placeholders(std::string_view frame) {
  return replace_secrets(frame, placeholder);
}

std::string line_without_secrets(std::string_view line, SecretStyle style) {
  const bool mask = style == SecretStyle::mask;
  const auto hide_frame = [mask](std::string_view frame) {
    return mask ? mask_secrets(frame) : secrets_to_placeholders(frame);
  };
  if (is_raw_message(line)) return hide_frame(line);
  auto words = split_words(line);
  if (!words) return std::string(line);
  auto& w = *words;
  const bool patron_pin = w.size() == 3 && w[0] == "patron" && w[2] != "-";
  const bool set_pin = w.size() == 3 && w[0] == "set" && w[1] == "pin";
  if (patron_pin || set_pin) {
    w[2] = mask ? kMask : "{pin}";
  } else if (w.size() == 2 && w[0] == "raw") {
    w[1] = hide_frame(w[1]);
  } else {
    return std::string(line);
  }
  std::string out;
  for (const auto& word : w)
    out += (out.empty() ? "" : " ") + quote_word(word);
  return out;
}

sip2::Message mask_secrets(sip2::Message message) {
  for (auto& f : message.fields)
    if (is_secret(f.code)) f.value = kMask;
  return message;
}

}  // namespace sip2_client
