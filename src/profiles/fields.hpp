// A firmware profile's `fields` section: which variable fields a response carries, in what
// order, and how their texts are rewritten, applied to every response before it is encoded.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "sip2/message.hpp"

namespace profiles {

/// Keyed by a response's two-digit code, or "*" for every response.
template <class T>
using PerMessage = std::map<std::string, T, std::less<>>;

struct FieldRules {
  using Codes = std::vector<sip2::FieldCode>;
  /// fields.order "spec": the command's fields in the order SIP 2.00 lists them, required ones
  /// first, then fields the document does not name, as the handler wrote them. "any" (the
  /// default) keeps the handler's order.
  bool spec_order = false;
  PerMessage<Codes> first;       ///< per_message_order: these lead, in this order
  PerMessage<Codes> hide;        ///< never sent (a required field cannot be hidden)
  PerMessage<Codes> allow_only;  ///< only these optional fields are sent, besides required ones
  /// always_send: a field the response lacks is added with this value ("" = empty field).
  PerMessage<std::vector<sip2::Field>> always_send;
  /// rewrite: a field's value rewritten by an ECMAScript regular expression ($1, $& …).
  struct Rewrite {
    std::string message;  ///< a code or "*"
    sip2::FieldCode field;
    std::string find;
    std::string replace;
    std::shared_ptr<const std::regex> re;  ///< `find`, compiled once at load
    bool operator==(const Rewrite& o) const {
      return message == o.message && field == o.field && find == o.find && replace == o.replace;
    }
  };
  std::vector<Rewrite> rewrite;
  /// fields.screen_message: an AF (and AG) longer than this is cut (0: no limit), or split into
  /// repeated fields of at most this length, at a space where there is one.
  std::size_t screen_max = 0;
  bool split_screen = false;
  /// fields.print_line_width "from_sc_status": AG lines no wider than the 99's print width.
  bool print_width_from_99 = false;
  /// fields.language_default: the language of a 24/64 whose request said 000 (unknown).
  std::string language_default;

  /// True when the rules change nothing (the response is encoded as the handler wrote it).
  [[nodiscard]] bool empty() const;
  bool operator==(const FieldRules&) const = default;
};

/// `m` (a response) shaped by `rules`: rewritten, filtered, completed, cut and ordered.
/// `print_width` is the max print width of the session's last 99 (0: none given).
void apply(const FieldRules& rules, sip2::Message& m, std::size_t print_width = 0);

}  // namespace profiles
