// Job records and index keys (see record_codec.hpp for the layout).
#include "outbox/record_codec.hpp"

#include <algorithm>
#include <span>

#include <nlohmann/json.hpp>

namespace outbox {
namespace {

using nlohmann::json;

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string be32(std::uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
  return out;
}

std::uint32_t read_be32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

std::optional<Key> key_of_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Key key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    unsigned v = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const char c = hex[2 * i + k];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    key[i] = static_cast<std::uint8_t>(v);
  }
  return key;
}

json baseline_json(const Baseline& b) {
  json j = json::object();
  if (b.due_date) j["due"] = *b.due_date;
  j["renewals"] = b.renewal_count;
  if (!b.loans.empty()) j["loans"] = b.loans;
  return j;
}

Baseline baseline_of(const json& j) {
  Baseline b;
  b.present = true;
  if (auto it = j.find("due"); it != j.end()) b.due_date = it->get<std::int64_t>();
  j.at("renewals").get_to(b.renewal_count);
  if (auto it = j.find("loans"); it != j.end()) it->get_to(b.loans);
  return b;
}

}  // namespace

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v >> (56 - 8 * i));
  return out;
}

std::uint64_t read_be64(std::string_view s, std::size_t at) {
  if (s.size() < at + 8) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

std::uint64_t ms_of(Time t) {
  const auto ms = t.time_since_epoch().count();
  return ms < 0 ? 0 : static_cast<std::uint64_t>(ms);
}

Time time_of_ms(std::uint64_t ms) {
  return Time(std::chrono::milliseconds(static_cast<std::int64_t>(ms)));
}

std::string key_bytes(const Key& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

std::string due_key(Time next, std::uint64_t id) {
  return be64(ms_of(next)) + be64(id);
}

std::string due_value(const Job& job) {
  std::string out(1, static_cast<char>(std::min<std::size_t>(job.patron.size(), 255)));
  out += job.patron.substr(0, 255);
  out += job.item.substr(0, 255);
  return out;
}

void due_parties(std::string_view value, Job& job) {
  if (value.empty()) return;
  const std::size_t n =
      std::min<std::size_t>(static_cast<unsigned char>(value[0]), value.size() - 1);
  job.patron = std::string(value.substr(1, n));
  job.item = std::string(value.substr(1 + n));
}

std::string order_prefix(char kind, std::string_view pseudonym, char list) {
  std::string out(1, kind);
  out += pseudonym;
  out += list;
  return out;
}

std::string state_key(State s, std::uint64_t id) {
  std::string out(1, static_cast<char>(s));
  out += be64(id);  // appended (GCC 12 misreads string&& + string&& as overlapping: -Wrestrict)
  return out;
}

std::string purge_key(char kind, Time finished, std::uint64_t id) {
  std::string out(1, kind);
  out += be64(ms_of(finished));
  out += be64(id);
  return out;
}

RecordCodec::RecordCodec(std::shared_ptr<const crypto::KeyRing> keys) : keys_(std::move(keys)) {}

std::string RecordCodec::seal(std::string_view part, const Key& key, std::string_view plain) const {
  const std::uint32_t version = keys_->current;
  std::string out = be32(version);
  std::string ad = "ob.";
  ad += part;
  ad += key_bytes(key);
  ad += out;
  const auto sealed = crypto::seal(*keys_->sealing_key(version), ad, plain);
  out.append(reinterpret_cast<const char*>(sealed.data()), sealed.size());
  return out;
}

std::optional<std::string> RecordCodec::open(std::string_view part, const Key& key,
                                             std::string_view sealed) const {
  if (sealed.size() < 4) return std::nullopt;
  const crypto::SecretBytes* k = keys_->sealing_key(read_be32(sealed, 0));
  if (k == nullptr) return std::nullopt;
  std::string ad = "ob.";
  ad += part;
  ad += key_bytes(key);
  ad += sealed.substr(0, 4);
  return crypto::open(*k, ad, bytes_of(sealed.substr(4)));
}

std::string RecordCodec::plain(const Job& job) {
  json rb = json::array();
  for (const auto& r : job.read_backs)
    rb.push_back(json::array({ms_of(r.at), static_cast<int>(r.found)}));
  json j{{"k", hex_of(job.key)},
         {"op", static_cast<int>(job.op)},
         {"st", static_cast<int>(job.state)},
         {"at", job.attempts},
         {"c", ms_of(job.created)},
         {"n", ms_of(job.next_attempt)},
         {"f", ms_of(job.finished)},
         {"r", ms_of(job.retried)},
         {"ra", job.attempts_at_retry},
         {"ack", job.acknowledged},
         {"rep", job.replay},
         {"unres", job.unresolved},
         {"wd", job.withdrawn},
         {"inst", job.institution},
         {"p", job.patron},
         {"i", job.item},
         {"why", job.reason},
         {"rb", std::move(rb)},
         {"purged", job.purged}};
  if (job.baseline.present) j["base"] = baseline_json(job.baseline);
  if (job.retry_key) j["rk"] = hex_of(*job.retry_key);
  return j.dump();
}

bool RecordCodec::read_plain(std::string_view text, Job& job) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  try {
    const auto key = key_of_hex(j.at("k").get<std::string>());
    const int op = j.at("op").get<int>();
    const int st = j.at("st").get<int>();
    if (!key || op < 0 || op >= static_cast<int>(op_count) || st < 0 ||
        st >= static_cast<int>(state_count))
      return false;
    job.key = *key;
    job.op = static_cast<Op>(op);
    job.state = static_cast<State>(st);
    j.at("at").get_to(job.attempts);
    job.created = time_of_ms(j.at("c").get<std::uint64_t>());
    job.next_attempt = time_of_ms(j.at("n").get<std::uint64_t>());
    job.finished = time_of_ms(j.at("f").get<std::uint64_t>());
    job.retried = time_of_ms(j.at("r").get<std::uint64_t>());
    j.at("ra").get_to(job.attempts_at_retry);
    j.at("ack").get_to(job.acknowledged);
    j.at("rep").get_to(job.replay);
    j.at("unres").get_to(job.unresolved);
    j.at("wd").get_to(job.withdrawn);
    j.at("inst").get_to(job.institution);
    j.at("p").get_to(job.patron);
    j.at("i").get_to(job.item);
    j.at("why").get_to(job.reason);
    job.read_backs.clear();
    for (const auto& r : j.at("rb")) {
      const int f = r.at(1).get<int>();
      if (f < 0 || f >= static_cast<int>(finding_count)) return false;
      job.read_backs.push_back({time_of_ms(r.at(0).get<std::uint64_t>()), static_cast<Finding>(f)});
    }
    job.baseline = j.contains("base") ? baseline_of(j.at("base")) : Baseline{};
    job.retry_key.reset();
    if (auto rk = j.find("rk"); rk != j.end()) {
      job.retry_key = key_of_hex(rk->get<std::string>());
      if (!job.retry_key) return false;
    }
    j.at("purged").get_to(job.purged);
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

std::optional<RecordCodec::Parts> RecordCodec::split(std::string_view record) {
  if (record.size() < 4) return std::nullopt;
  const std::size_t plain_size = read_be32(record, 0);
  if (record.size() < 8 + plain_size) return std::nullopt;
  const std::size_t args_size = read_be32(record, 4 + plain_size);
  if (record.size() < 8 + plain_size + args_size) return std::nullopt;
  Parts p;
  p.plain = record.substr(4, plain_size);
  p.args = record.substr(8 + plain_size, args_size);
  p.result = record.substr(8 + plain_size + args_size);
  return p;
}

std::string RecordCodec::join(std::string_view plain, std::string_view args,
                              std::string_view result) {
  std::string out = be32(static_cast<std::uint32_t>(plain.size()));
  out += plain;
  out += be32(static_cast<std::uint32_t>(args.size()));
  out += args;
  out += result;
  return out;
}

std::optional<Job> RecordCodec::decode(std::uint64_t id, std::string_view record,
                                       bool open_sealed) const {
  const auto parts = split(record);
  if (!parts) return std::nullopt;
  Job job;
  if (!read_plain(parts->plain, job)) return std::nullopt;
  job.id = id;
  if (!open_sealed) return job;
  const auto open_json = [&](std::string_view part, std::string_view sealed, json& out) {
    if (sealed.empty()) return;
    const auto text = open(part, job.key, sealed);
    json parsed = text ? json::parse(*text, nullptr, false) : json();
    if (!text || parsed.is_discarded()) {
      job.purged = true;  // sealed under a retired key version: crypto-shredded
      return;
    }
    out = std::move(parsed);
  };
  open_json("args", parts->args, job.args);
  open_json("result", parts->result, job.result);
  return job;
}

}  // namespace outbox
