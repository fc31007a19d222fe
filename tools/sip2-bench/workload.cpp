// The message mix: which requests a connection sends, in which deterministic order.
#include "workload.hpp"

#include <algorithm>
#include <charconv>

namespace bench {

namespace {

using K = MessageKind;

struct KindInfo {
  std::string_view name;
  std::string_view request;
  std::string_view reply;
  bool patron;
  bool item;
};

constexpr std::array<KindInfo, kKindCount> kKinds = {{
    {"login", "93", "94", false, false},
    {"status", "99", "98", false, false},
    {"patron-pin", "23", "24", true, false},
    {"patron-wrong-pin", "23", "24", true, false},
    {"patron", "23", "24", true, false},
    {"info", "63", "64", true, false},
    {"item", "17", "18", false, true},
    {"checkout", "11", "12", true, true},
    {"checkin", "09", "10", false, true},
    {"renew", "29", "30", true, true},
}};

const KindInfo& info(MessageKind k) noexcept {
  return kKinds[static_cast<std::size_t>(k)];
}

/// The entries the mix syntax knows, by name.
std::optional<std::vector<MessageKind>> steps_of(std::string_view name) {
  if (name == "status") return std::vector{K::sc_status};
  if (name == "patron-pin") return std::vector{K::patron_status_pin};
  if (name == "patron-wrong-pin") return std::vector{K::patron_status_wrong_pin};
  if (name == "patron") return std::vector{K::patron_status};
  if (name == "info") return std::vector{K::patron_information};
  if (name == "item") return std::vector{K::item_information};
  if (name == "checkout-checkin") return std::vector{K::checkout, K::checkin};
  if (name == "renew") return std::vector{K::renew};
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

/// Smooth weighted round robin (as in nginx): interleaves entries instead of bunching them.
std::vector<std::size_t> make_cycle(const std::vector<MixEntry>& entries) {
  unsigned total = 0;
  for (const auto& e : entries)
    total += e.weight;
  std::vector<long> current(entries.size(), 0);
  std::vector<std::size_t> cycle;
  for (unsigned n = 0; n < total; ++n) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      current[i] += entries[i].weight;
      if (current[i] > current[best]) best = i;
    }
    current[best] -= static_cast<long>(total);
    cycle.push_back(best);
  }
  return cycle;
}

}  // namespace

std::string_view kind_name(MessageKind kind) noexcept {
  return info(kind).name;
}
std::string_view request_code(MessageKind kind) noexcept {
  return info(kind).request;
}
std::string_view reply_code(MessageKind kind) noexcept {
  return info(kind).reply;
}
bool needs_patron(MessageKind kind) noexcept {
  return info(kind).patron;
}
bool needs_item(MessageKind kind) noexcept {
  return info(kind).item;
}

tl::expected<Mix, std::string> Mix::parse(std::string_view text) {
  Mix mix;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    const std::string_view name = trim(part.substr(0, eq));
    unsigned weight = 1;
    if (eq != std::string_view::npos) {
      const std::string_view w = trim(part.substr(eq + 1));
      const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), weight);
      if (ec != std::errc{} || end != w.data() + w.size() || weight > 1000)
        return tl::unexpected("bad weight in mix entry '" + std::string(part) + "'");
    }
    auto steps = steps_of(name);
    if (!steps)
      return tl::unexpected("unknown mix entry '" + std::string(name) +
                            "' (known: patron-pin, patron-wrong-pin, patron, info, item, "
                            "checkout-checkin, renew, status)");
    if (weight == 0) continue;
    mix.entries_.push_back({std::string(name), std::move(*steps), weight});
  }
  if (mix.entries_.empty()) return tl::unexpected(std::string("the mix is empty"));
  mix.cycle_ = make_cycle(mix.entries_);
  return mix;
}

std::vector<MessageKind> Mix::kinds() const {
  std::vector<MessageKind> out;
  for (const auto& e : entries_)
    for (auto k : e.steps)
      if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  return out;
}

bool Mix::uses_patrons() const {
  const auto k = kinds();
  return std::any_of(k.begin(), k.end(), needs_patron);
}

bool Mix::uses_items() const {
  const auto k = kinds();
  return std::any_of(k.begin(), k.end(), needs_item);
}

MessageKind MixCursor::next() noexcept {
  const auto& entry = mix_->entries()[mix_->cycle()[entry_]];
  const MessageKind k = entry.steps[step_];
  if (++step_ == entry.steps.size()) {
    step_ = 0;
    entry_ = (entry_ + 1) % mix_->cycle().size();
  }
  return k;
}

}  // namespace bench
