// LMDB layout of the identity cache (all keys are 32-byte HMACs):
//   id.index    index key  → record key        (one per identifier of a patron)
//   id.records  record key → sealed Record      (CBOR)
//   id.aliases  record key → its index keys     (concatenated; to unlink identifiers)
//   id.secrets  record key → sealed Verifier
//   id.lockout  record key → failures, window start, locked until (no patron data)
//   id.seen     record key → last sync, day last used, full-pass number (see Seen)
//   id.partial  record key → ""                 (listed in bulk, not yet read in full)
//   id.meta     name       → value              (import cursor, sync times, key fingerprint,
//                                                 "partial.indexed" once id.partial is complete)
// A sealed value is: 4-byte big-endian key version ‖ AES-256/GCM(nonce ‖ ciphertext ‖ tag),
// with associated data "db name ‖ record key ‖ version": a value cannot be moved to another
// record or database, or re-labelled with another version, without failing to open.
#include "identity/cache.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

namespace identity {

namespace {

constexpr std::size_t kKeySize = 32;

template <class T>
void put_int(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(
        static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * (sizeof(T) - 1 - i))) & 0xff));
}

template <class T>
T get_int(std::string_view in, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return static_cast<T>(v);
}

std::string lockout_bytes(const Lockout& l) {
  std::string out;
  put_int<std::uint32_t>(out, l.failures);
  put_int<std::int64_t>(out, l.window_start.time_since_epoch().count());
  put_int<std::int64_t>(out, l.locked_until.time_since_epoch().count());
  return out;
}

Lockout decode_lockout_impl(std::string_view v) {
  Lockout l;
  if (v.size() != 20) return l;
  l.failures = get_int<std::uint32_t>(v, 0);
  l.window_start = ils::Timestamp(std::chrono::seconds(get_int<std::int64_t>(v, 4)));
  l.locked_until = ils::Timestamp(std::chrono::seconds(get_int<std::int64_t>(v, 12)));
  return l;
}

std::string key_string(const crypto::Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string verifier_json(const Verifier& v) {
  return nlohmann::json{{"h", v.hash},
                        {"c", v.created.time_since_epoch().count()},
                        {"e", v.expires.time_since_epoch().count()}}
      .dump();
}

std::optional<Verifier> verifier_of(std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    Verifier v;
    v.hash = j.at("h").get<std::string>();
    v.created = ils::Timestamp(std::chrono::seconds(j.at("c").get<std::int64_t>()));
    v.expires = ils::Timestamp(std::chrono::seconds(j.at("e").get<std::int64_t>()));
    return v;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string_view normalize(std::string_view identifier) {
  const auto first = identifier.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = identifier.find_last_not_of(" \t");
  return identifier.substr(first, last - first + 1);
}

Lockout decode_lockout(std::string_view bytes) {
  return decode_lockout_impl(bytes);
}

std::string encode_seen(const Seen& s) {
  std::string out;
  put_int<std::int64_t>(out, s.synced.time_since_epoch().count());
  put_int(out, s.used_day);
  put_int(out, s.pass);
  return out;
}

Seen decode_seen(std::string_view v) {
  Seen s;
  if (v.size() != 20) return s;
  s.synced = ils::Timestamp(std::chrono::seconds(get_int<std::int64_t>(v, 0)));
  s.used_day = get_int<std::uint32_t>(v, 8);
  s.pass = get_int<std::uint64_t>(v, 12);
  return s;
}

std::uint32_t day_of(ils::Timestamp t) {
  return static_cast<std::uint32_t>(
      std::chrono::floor<std::chrono::days>(t).time_since_epoch().count());
}

Cache::Cache(store::Env& env, std::shared_ptr<const crypto::KeyRing> keys,
             std::vector<std::string> identifier_fields)
    : env_(env),
      records_(env.db("id.records")),
      index_(env.db("id.index")),
      aliases_(env.db("id.aliases")),
      secrets_(env.db("id.secrets")),
      lockouts_(env.db("id.lockout")),
      seen_(env.db("id.seen")),
      meta_(env.db("id.meta")),
      partial_(env.db("id.partial")),
      keys_(std::move(keys)),
      identifier_fields_(std::move(identifier_fields)) {}

Cache::~Cache() {
  // put, touch, count_failure... queue jobs that call back into this cache; the Env (destroyed
  // after it, or kept) would run them on a dead one. The writer runs jobs in order.
  (void)env_.write([](store::WriteTxn&) { return store::Result<void>(); });
}

tl::expected<void, std::string> Cache::check_index_key() {
  const std::string fp = crypto::KeyRing::fingerprint(keys_->index_key);
  auto stored = meta("index_key");
  if (!stored) return tl::unexpected("cannot read the identity cache: " + stored.error().message());
  if (*stored) {
    if (**stored == fp) return {};
    return tl::unexpected("the identity cache was built under another index key (" + **stored +
                          ", the key file has " + fp +
                          "): its entries cannot be found; delete the cache and import again");
  }
  const auto ec =
      env_.write([&](store::WriteTxn& txn) { return set_meta_in(txn, "index_key", fp); });
  if (ec) return tl::unexpected("cannot write the identity cache: " + ec.message());
  return {};
}

Key Cache::index_key(std::string_view institution, std::string_view identifier) const {
  return key_string(crypto::hmac(keys_->index_key, {"id", institution, normalize(identifier)}));
}

Key Cache::record_key(std::string_view institution, std::string_view patron_id) const {
  return key_string(crypto::hmac(keys_->index_key, {"rec", institution, patron_id}));
}

std::string Cache::seal(std::string_view db, const Key& key, std::string_view plain) const {
  const std::uint32_t version = keys_->current;
  std::string out;
  put_int(out, version);
  std::string ad(db);
  ad += key;
  ad += out;
  const auto sealed = crypto::seal(*keys_->sealing_key(version), ad, plain);
  out.append(reinterpret_cast<const char*>(sealed.data()), sealed.size());
  return out;
}

std::uint32_t Cache::version_of(std::string_view sealed) {
  return sealed.size() < 4 ? 0 : get_int<std::uint32_t>(sealed, 0);
}

std::optional<std::string> Cache::open(std::string_view db, const Key& key,
                                       std::string_view sealed) const {
  const std::uint32_t version = version_of(sealed);
  const crypto::SecretBytes* k = keys_->sealing_key(version);
  if (k == nullptr) {
    ++shredded_;
    return std::nullopt;
  }
  std::string ad(db);
  ad += key;
  ad += sealed.substr(0, 4);
  return crypto::open(*k, ad, bytes_of(sealed.substr(4)));
}

std::vector<Key> Cache::index_keys(std::string_view institution, const ils::Patron& p) const {
  std::vector<Key> out;
  for (const auto& field : identifier_fields_) {
    const std::string* value = field == "barcode"            ? &p.barcode
                               : field == "externalSystemId" ? &p.external_system_id
                               : field == "username"         ? &p.username
                                                             : nullptr;
    if (value != nullptr && !normalize(*value).empty())
      out.push_back(index_key(institution, *value));
  }
  return out;
}

template <class Txn>
store::Result<std::optional<Record>> Cache::record_in(Txn& txn, const Key& rk) const {
  auto value = txn.get(records_, rk);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return std::nullopt;
  auto plain = open("id.records", rk, **value);
  if (!plain) return std::nullopt;
  return decode(*plain);
}

store::Result<std::optional<Cache::Hit>> Cache::find(std::string_view institution,
                                                     std::string_view identifier) const {
  const Key ik = index_key(institution, identifier);
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  auto target = txn->get(index_, ik);
  if (!target) return tl::unexpected(target.error());
  if (!*target || (*target)->size() != kKeySize) return std::nullopt;
  Key rk(**target);
  auto record = record_in(*txn, rk);
  if (!record) return tl::unexpected(record.error());
  if (!*record) return std::nullopt;
  Hit hit{std::move(rk), std::move(**record), std::nullopt, std::nullopt};
  // What validation reads next, in the same transaction: a 23 costs one. Most caches hold no
  // lockout at all: the count (in the transaction's copy of the database header) says so.
  if (auto locks = txn->count(lockouts_); locks && *locks == 0) {
    hit.lockout = Lockout{};
  } else if (auto lock = txn->get(lockouts_, hit.key)) {
    hit.lockout = *lock ? decode_lockout(**lock) : Lockout{};
  }
  if (auto seen = txn->get(seen_, hit.key); seen && *seen)
    hit.used_day = decode_seen(**seen).used_day;
  return hit;
}

store::Result<std::optional<Record>> Cache::get(const Key& rk) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  return record_in(*txn, rk);
}

store::Result<std::optional<Verifier>> Cache::verifier(const Key& rk) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  auto value = txn->get(secrets_, rk);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return std::nullopt;
  auto plain = open("id.secrets", rk, **value);
  if (!plain) return std::nullopt;
  return verifier_of(*plain);
}

store::Result<Lockout> Cache::lockout(const Key& rk) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  auto value = txn->get(lockouts_, rk);
  if (!value) return tl::unexpected(value.error());
  return *value ? decode_lockout(**value) : Lockout{};
}

store::Result<void> Cache::put_in(store::WriteTxn& txn, std::string_view institution,
                                  const ils::Patron& patron, const Record& record,
                                  std::uint64_t pass) const {
  const Key rk = record_key(institution, record.patron_id);
  const auto fresh = index_keys(institution, patron);
  // Unlink identifiers the patron no longer has, unless they now name someone else.
  auto old = txn.get(aliases_, rk);
  if (!old) return tl::unexpected(old.error());
  if (*old) {
    const std::string previous(**old);
    for (std::size_t at = 0; at + kKeySize <= previous.size(); at += kKeySize) {
      const Key ik = previous.substr(at, kKeySize);
      if (std::find(fresh.begin(), fresh.end(), ik) != fresh.end()) continue;
      auto points = txn.get(index_, ik);
      if (!points) return tl::unexpected(points.error());
      if (*points && **points == rk)
        if (auto d = txn.del(index_, ik); !d) return tl::unexpected(d.error());
    }
  }
  std::string aliases;
  for (const auto& ik : fresh) {
    if (auto r = txn.put(index_, ik, rk); !r) return r;
    aliases += ik;
  }
  if (auto r = txn.put(aliases_, rk, aliases); !r) return r;
  if (auto r = txn.put(records_, rk, seal("id.records", rk, encode(record))); !r) return r;
  if (record.summary_complete) {
    if (auto d = txn.del(partial_, rk); !d) return tl::unexpected(d.error());
  } else if (auto p = txn.put(partial_, rk, {}); !p) {
    return p;
  }
  // A listing in a full pass marks the pass; any other read keeps the pass it was last listed in.
  auto old_seen = txn.get(seen_, rk);
  if (!old_seen) return tl::unexpected(old_seen.error());
  Seen seen = *old_seen ? decode_seen(**old_seen) : Seen{};
  seen.synced = record.synced_at;
  if (pass != 0) {
    seen.pass = pass;
  } else {
    // Read from the library system while a full pass runs: as good as listed by it, so its
    // sweep keeps the record even if the listing passed the patron before it was created.
    auto running = txn.get(meta_, "full.running");
    if (!running) return tl::unexpected(running.error());
    std::uint64_t current = 0;
    if (*running &&
        std::from_chars((*running)->data(), (*running)->data() + (*running)->size(), current).ec ==
            std::errc{})
      seen.pass = std::max(seen.pass, current);
  }
  return txn.put(seen_, rk, encode_seen(seen));
}

void Cache::put(std::string_view institution, const ils::Patron& patron, const Record& record,
                store::Env::Done done) {
  env_.submit([this, inst = std::string(institution), patron,
               record](store::WriteTxn& txn) { return put_in(txn, inst, patron, record); },
              std::move(done));
}

void Cache::commit(store::Env::Job job, store::Env::Done done) const {
  if (done) {
    env_.submit(std::move(job), std::move(done));
    return;
  }
  // No callback: the caller's next read must see it (a failure counted, a verifier renewed).
  if (env_.write(std::move(job))) ++write_failures_;
}

void Cache::put_verifier(const Key& rk, const Verifier& v, store::Env::Done done) {
  commit([this, rk, sealed = seal("id.secrets", rk, verifier_json(v))](
             store::WriteTxn& txn) { return txn.put(secrets_, rk, sealed); },
         std::move(done));
}

void Cache::count_failure(const Key& rk, ils::Timestamp now, const LockoutPolicy& policy,
                          store::Env::Done done) {
  commit(
      [this, rk, now, policy](store::WriteTxn& txn) -> store::Result<void> {
        auto value = txn.get(lockouts_, rk);
        if (!value) return tl::unexpected(value.error());
        Lockout l = *value ? decode_lockout(**value) : Lockout{};
        // A lapsed lock starts a new window: its failures were paid for by the lock, and one
        // more wrong PIN must not lock again at once.
        const bool lapsed = l.locked_until != ils::Timestamp{} && !l.locked(now);
        if (l.failures == 0 || lapsed || now - l.window_start > policy.window) {
          l = Lockout{};
          l.window_start = now;
        }
        ++l.failures;
        if (l.failures >= policy.max_failures) l.locked_until = now + policy.duration;
        return txn.put(lockouts_, rk, lockout_bytes(l));
      },
      std::move(done));
}

void Cache::clear_failures(const Key& rk, store::Env::Done done) {
  commit(
      [this, rk](store::WriteTxn& txn) -> store::Result<void> {
        auto d = txn.del(lockouts_, rk);
        if (!d) return tl::unexpected(d.error());
        return {};
      },
      std::move(done));
}

void Cache::touch(const Key& rk, ils::Timestamp now, std::optional<std::uint32_t> used_day) {
  const std::uint32_t today = day_of(now);
  if (used_day && *used_day >= today) return;
  if (!used_day) {
    auto txn = env_.read();
    if (!txn) return;
    auto seen = txn->get(seen_, rk);
    if (!seen || (*seen && decode_seen(**seen).used_day >= today)) return;
  }
  env_.submit([this, rk, today](store::WriteTxn& w) -> store::Result<void> {
    auto cur = w.get(seen_, rk);
    if (!cur) return tl::unexpected(cur.error());
    if (!*cur) return {};  // forgotten meanwhile
    Seen seen = decode_seen(**cur);
    seen.used_day = std::max(seen.used_day, today);
    return w.put(seen_, rk, encode_seen(seen));
  });
}

void Cache::complete(const Key& rk, const ils::PatronSummary& summary, ils::Timestamp now) {
  env_.submit([this, rk, summary, now](store::WriteTxn& txn) -> store::Result<void> {
    auto found = record_in(txn, rk);
    if (!found) return tl::unexpected(found.error());
    auto& record = *found;
    if (!record) {  // forgotten meanwhile (or shredded): nothing to complete
      if (auto d = txn.del(partial_, rk); !d) return tl::unexpected(d.error());
      return {};
    }
    record->blocks = summary.blocks;
    record->fee_balance = summary.fee_balance;
    record->loans = summary.loans;
    record->overdue = summary.overdue;
    record->holds_available = summary.holds_available;
    record->holds_unavailable = summary.holds_unavailable;
    record->summary_complete = summary.complete;
    if (summary.complete) record->summary_at = now;
    if (auto w = txn.put(records_, rk, seal("id.records", rk, encode(*record))); !w) return w;
    if (!summary.complete) return {};
    if (auto d = txn.del(partial_, rk); !d) return tl::unexpected(d.error());
    return {};
  });
}

void Cache::adjust(const Key& rk, ils::Cents fee_paid, int loans_added) {
  auto job = [this, rk, fee_paid, loans_added](store::WriteTxn& txn) -> store::Result<void> {
    auto found = record_in(txn, rk);
    if (!found) return tl::unexpected(found.error());
    auto& record = *found;
    if (!record) return {};  // forgotten meanwhile (or shredded): nothing to adjust
    record->fee_balance = std::max<ils::Cents>(0, record->fee_balance - fee_paid);
    const auto loans = static_cast<long long>(record->loans) + loans_added;
    record->loans = static_cast<std::size_t>(std::max(0LL, loans));
    return txn.put(records_, rk, seal("id.records", rk, encode(*record)));
  };
  if (fee_paid > 0)
    commit(std::move(job), {});
  else
    env_.submit(std::move(job));
}

void Cache::unmark_partial(const Key& rk) {
  env_.submit([this, rk](store::WriteTxn& txn) -> store::Result<void> {
    if (auto d = txn.del(partial_, rk); !d) return tl::unexpected(d.error());
    return {};
  });
}

void Cache::forget_record(const Key& rk) {
  env_.submit([this, rk](store::WriteTxn& txn) -> store::Result<void> {
    auto r = forget_in(txn, rk);
    if (!r) return tl::unexpected(r.error());
    return {};
  });
}

store::Result<void> Cache::index_partial() {
  auto done = meta("partial.indexed");
  if (!done) return tl::unexpected(done.error());
  if (*done) return {};
  const auto ec = env_.write([this](store::WriteTxn& txn) -> store::Result<void> {
    std::vector<Key> partial;
    auto scanned = txn.scan(records_, "", [&](std::string_view k, std::string_view v) {
      const Key rk(k);
      auto plain = open("id.records", rk, v);
      auto record = plain ? decode(*plain) : std::nullopt;
      if (record && !record->summary_complete) partial.push_back(rk);
      return true;
    });
    if (!scanned) return scanned;
    for (const auto& rk : partial)
      if (auto p = txn.put(partial_, rk, {}); !p) return p;
    return set_meta_in(txn, "partial.indexed", "1");
  });
  if (ec) return tl::unexpected(ec);
  return {};
}

store::Result<bool> Cache::forget_in(store::WriteTxn& txn, const Key& rk) const {
  auto aliases = txn.get(aliases_, rk);
  if (!aliases) return tl::unexpected(aliases.error());
  if (*aliases) {
    const std::string list(**aliases);
    for (std::size_t at = 0; at + kKeySize <= list.size(); at += kKeySize) {
      const Key ik = list.substr(at, kKeySize);
      auto points = txn.get(index_, ik);
      if (!points) return tl::unexpected(points.error());
      if (*points && **points == rk)
        if (auto d = txn.del(index_, ik); !d) return tl::unexpected(d.error());
    }
  }
  bool existed = false;
  for (auto name :
       {"id.records", "id.aliases", "id.secrets", "id.lockout", "id.seen", "id.partial"}) {
    auto d = txn.del(db(name), rk);
    if (!d) return tl::unexpected(d.error());
    if (std::string_view(name) == "id.records") existed = *d;
  }
  return existed;
}

store::Result<bool> Cache::forget(std::string_view institution, std::string_view identifier) {
  const Key ik = index_key(institution, identifier);
  bool found = false;
  const auto ec = env_.write([&](store::WriteTxn& txn) -> store::Result<void> {
    auto target = txn.get(index_, ik);
    if (!target) return tl::unexpected(target.error());
    if (!*target) return {};
    auto r = forget_in(txn, Key(**target));
    if (!r) return tl::unexpected(r.error());
    found = true;
    // An index entry left by an identifier that no longer matches its record goes too.
    auto d = txn.del(index_, ik);
    if (!d) return tl::unexpected(d.error());
    return {};
  });
  if (ec) return tl::unexpected(ec);
  return found;
}

store::Result<CacheStats> Cache::stats() const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  CacheStats s;
  for (auto [name, field] :
       {std::pair{"id.records", &s.records}, std::pair{"id.index", &s.identifiers},
        std::pair{"id.secrets", &s.verifiers}, std::pair{"id.lockout", &s.lockouts}}) {
    auto n = txn->count(db(name));
    if (!n) return tl::unexpected(n.error());
    *field = *n;
  }
  auto partial = txn->count(partial_);
  if (!partial) return tl::unexpected(partial.error());
  s.partial = *partial;
  s.usage = env_.usage();
  return s;
}

store::Result<std::optional<std::string>> Cache::meta(std::string_view name) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  auto v = txn->get(meta_, name);
  if (!v) return tl::unexpected(v.error());
  if (!*v) return std::nullopt;
  return std::string(**v);
}

store::Result<void> Cache::set_meta_in(store::WriteTxn& txn, std::string_view name,
                                       std::string_view value) const {
  return txn.put(meta_, name, value);
}

}  // namespace identity
