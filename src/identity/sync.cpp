// Meta keys (id.meta): "full.pass" the number of the current or last full pass, "full.cursor"
// the cursor after its last committed page ("" once finished), "full.started" its start time,
// "full.running" the number of the pass in progress (absent otherwise), "sync.since" where the
// next incremental refresh starts.
#include "identity/sync.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace identity {

namespace {

std::string number(std::int64_t v) {
  return std::to_string(v);
}

std::optional<std::int64_t> parse(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || p != text->data() + text->size()) return std::nullopt;
  return v;
}

std::string failure_text(const ils::Failure& f) {
  return f.message.empty() ? f.code.message() : f.code.message() + ": " + f.message;
}

ils::Timestamp seconds(std::int64_t v) {
  return ils::Timestamp(std::chrono::seconds(v));
}

constexpr std::size_t kSealed = 4;  // version prefix

}  // namespace

Sync::Sync(Cache& cache, std::string institution, SyncOptions options)
    : cache_(cache), institution_(std::move(institution)), options_(options) {}

tl::expected<void, std::string> Sync::store_page(const ils::PatronPage& page, std::uint64_t pass,
                                                 std::string_view cursor_meta,
                                                 std::string_view next_cursor, ils::Timestamp now) {
  const auto ec = cache_.env().write([&](store::WriteTxn& txn) -> store::Result<void> {
    for (std::size_t i = 0; i < page.patrons.size(); ++i) {
      const auto& p = page.patrons[i];
      ils::PatronSummary summary;
      if (i < page.summaries.size())
        summary = page.summaries[i];
      else
        summary.complete = false;
      Record r = make_record(p, summary, {}, credential_mode_, now);
      if (!summary.complete) {
        // A bulk listing lacks per-patron parts (automated blocks, counts): keep what an earlier
        // complete read had until the patron is next used and read in full.
        const Key rk = cache_.record_key(institution_, p.id);
        auto old = txn.get(cache_.db("id.records"), rk);
        if (!old) return tl::unexpected(old.error());
        if (*old)
          if (auto plain = cache_.open("id.records", rk, **old))
            if (auto prev = decode(*plain)) {
              for (const auto& b : prev->blocks)
                if (b.source == ils::BlockSource::automated) r.blocks.push_back(b);
              // The full read they came from dates them: the record stays complete, and the
              // validator refreshes it once that read is older than the soft age.
              r.summary_complete = prev->summary_complete;
              r.summary_at = prev->summary_at;
              r.loans = prev->loans;
              r.overdue = prev->overdue;
              r.holds_available = prev->holds_available;
              r.holds_unavailable = prev->holds_unavailable;
            }
      }
      if (auto w = cache_.put_in(txn, institution_, p, r, pass); !w) return w;
    }
    if (!cursor_meta.empty())
      if (auto w = cache_.set_meta_in(txn, cursor_meta, next_cursor); !w) return w;
    return {};
  });
  if (ec) return tl::unexpected("cannot write the identity cache: " + ec.message());
  return {};
}

tl::expected<PassResult, std::string> Sync::full_pass(
    ils::Backend& backend, const std::function<void(const Progress&)>& progress,
    const std::atomic<bool>* stop) {
  credential_mode_ = backend.capabilities().credential;
  PassResult result;
  auto pass_text = cache_.meta("full.pass");
  auto cursor = cache_.meta("full.cursor");
  auto started_text = cache_.meta("full.started");
  if (!pass_text || !cursor || !started_text)
    return tl::unexpected(std::string("cannot read the identity cache"));
  std::uint64_t pass = static_cast<std::uint64_t>(parse(*pass_text).value_or(0));
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::string next;
  ils::Timestamp started = now;
  if (*cursor && !(*cursor)->empty() && pass > 0) {
    result.resumed = true;  // an interrupted pass: continue after its last committed page
    next = **cursor;
    started = seconds(parse(*started_text).value_or(now.time_since_epoch().count()));
  } else {
    ++pass;
    const auto ec = cache_.env().write([&](store::WriteTxn& txn) -> store::Result<void> {
      if (auto w = cache_.set_meta_in(txn, "full.pass", number(static_cast<std::int64_t>(pass)));
          !w)
        return w;
      if (auto w = cache_.set_meta_in(txn, "full.started", number(now.time_since_epoch().count()));
          !w)
        return w;
      if (auto w = cache_.set_meta_in(txn, "full.running", number(static_cast<std::int64_t>(pass)));
          !w)
        return w;
      return cache_.set_meta_in(txn, "full.cursor", "");
    });
    if (ec) return tl::unexpected("cannot write the identity cache: " + ec.message());
  }
  Progress shown{0, std::nullopt, result.resumed};
  // Resumed after its last page ("-"): only the sweep is left. "-" is no cursor of the library
  // system's: listing from it would start over, or fail on every resume and never sweep.
  bool listed_all = result.resumed && next == "-";
  while (!listed_all) {
    if (stop != nullptr && stop->load()) return tl::unexpected(std::string("stopped"));
    const ils::CallContext ctx{"cache-import",
                               std::chrono::steady_clock::now() + options_.call_timeout};
    auto page = backend.list_patrons(ctx, {next, options_.page_size, std::nullopt});
    if (!page) return tl::unexpected("library system: " + failure_text(page.error()));
    // "-" marks a pass whose pages are all in; the sweep below may still be to do.
    const std::string after = page->next_cursor.empty() ? "-" : page->next_cursor;
    const auto batch_time =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (auto w = store_page(*page, pass, "full.cursor", after, batch_time); !w)
      return tl::unexpected(w.error());
    result.listed += page->patrons.size();
    shown.done += page->patrons.size();
    if (page->total) shown.total = page->total;
    if (progress) progress(shown);
    next = page->next_cursor;
    listed_all = next.empty();
  }

  // Sweep: a record neither listed in this pass nor read from the library system while it ran
  // is of a patron the library system no longer has.
  const auto ec = cache_.env().write([&](store::WriteTxn& txn) -> store::Result<void> {
    std::vector<Key> gone;
    auto scanned = txn.scan(cache_.db("id.seen"), "", [&](std::string_view k, std::string_view v) {
      const Seen seen = decode_seen(v);
      if (seen.pass < pass) gone.emplace_back(k);
      return true;
    });
    if (!scanned) return scanned;
    result.removed = 0;  // the job may run again after the map grew
    for (const auto& k : gone) {
      auto r = cache_.forget_in(txn, k);
      if (!r) return tl::unexpected(r.error());
      result.removed += *r ? 1 : 0;
    }
    if (auto w = cache_.set_meta_in(txn, "full.cursor", ""); !w) return w;
    if (auto d = txn.del(cache_.db("id.meta"), "full.running"); !d)
      return tl::unexpected(d.error());
    return cache_.set_meta_in(txn, "sync.since", number(started.time_since_epoch().count()));
  });
  if (ec) return tl::unexpected("cannot write the identity cache: " + ec.message());
  return result;
}

tl::expected<std::size_t, std::string> Sync::refresh(ils::Backend& backend, ils::Timestamp now) {
  credential_mode_ = backend.capabilities().credential;
  auto since_text = cache_.meta("sync.since");
  if (!since_text) return tl::unexpected(std::string("cannot read the identity cache"));
  const auto since = parse(*since_text);
  if (!since) return 0;  // no full pass yet: nothing to be incremental from
  const auto from = seconds(*since) - options_.overlap;
  std::size_t updated = 0;
  std::string next;
  do {
    const ils::CallContext ctx{"cache-refresh",
                               std::chrono::steady_clock::now() + options_.call_timeout};
    auto page = backend.list_patrons(ctx, {next, options_.page_size, from});
    if (!page) return tl::unexpected("library system: " + failure_text(page.error()));
    if (auto w = store_page(*page, 0, {}, {}, now); !w) return tl::unexpected(w.error());
    updated += page->patrons.size();
    next = page->next_cursor;
  } while (!next.empty());
  const auto ec = cache_.env().write([&](store::WriteTxn& txn) {
    return cache_.set_meta_in(txn, "sync.since", number(now.time_since_epoch().count()));
  });
  if (ec) return tl::unexpected("cannot write the identity cache: " + ec.message());
  return updated;
}

tl::expected<PurgeResult, std::string> Sync::purge(ils::Timestamp now) {
  PurgeResult result;
  const std::uint32_t oldest_day =
      day_of(now) - static_cast<std::uint32_t>(options_.retention.count());
  const std::uint32_t current = cache_.keys().current;
  const auto ec = cache_.env().write([&](store::WriteTxn& txn) -> store::Result<void> {
    result = PurgeResult{};  // the job may run again after the map grew
    std::vector<Key> unseen;
    auto s = txn.scan(cache_.db("id.seen"), "", [&](std::string_view k, std::string_view v) {
      if (decode_seen(v).last_day() < oldest_day) unseen.emplace_back(k);
      return true;
    });
    if (!s) return s;
    for (const auto& k : unseen) {
      auto r = cache_.forget_in(txn, k);
      if (!r) return tl::unexpected(r.error());
      result.records += *r ? 1 : 0;
    }
    // Verifiers past their TTL (or sealed with a retired key) and values to re-seal.
    std::vector<std::pair<std::string, Key>> drop, reseal;
    for (auto name : {"id.secrets", "id.records"}) {
      auto sc = txn.scan(cache_.db(name), "", [&](std::string_view k, std::string_view v) {
        const Key key(k);
        if (v.size() < kSealed) return true;
        if (std::string_view(name) == "id.secrets") {
          auto plain = cache_.open(name, key, v);
          const auto j = plain ? nlohmann::json::parse(*plain, nullptr, false) : nlohmann::json();
          if (!j.is_object() || j.value("e", std::int64_t{0}) <= now.time_since_epoch().count()) {
            drop.emplace_back(name, key);
            return true;
          }
        }
        if (Cache::version_of(v) != current) reseal.emplace_back(name, key);
        return true;
      });
      if (!sc) return sc;
    }
    for (const auto& [name, key] : drop) {
      auto d = txn.del(cache_.db(name), key);
      if (!d) return tl::unexpected(d.error());
      ++result.verifiers;
    }
    for (const auto& [name, key] : reseal) {
      auto v = txn.get(cache_.db(name), key);
      if (!v) return tl::unexpected(v.error());
      if (!*v) continue;
      auto plain = cache_.open(name, key, **v);
      if (!plain) {  // its key version was retired: crypto-shredded, remove the husk
        if (name == "id.records") {
          auto r = cache_.forget_in(txn, key);
          if (!r) return tl::unexpected(r.error());
        } else if (auto d = txn.del(cache_.db(name), key); !d) {
          return tl::unexpected(d.error());
        }
        continue;
      }
      if (auto w = txn.put(cache_.db(name), key, cache_.seal(name, key, *plain)); !w) return w;
      ++result.resealed;
    }
    // Lockouts whose lock and window are both over.
    std::vector<Key> lapsed;
    auto sl = txn.scan(cache_.db("id.lockout"), "", [&](std::string_view k, std::string_view v) {
      const Lockout l = decode_lockout(v);
      // Unlocked, and a day past the window it counted in: nothing left to enforce.
      if (!l.locked(now) && l.window_start + std::chrono::days(1) <= now) lapsed.emplace_back(k);
      return true;
    });
    if (!sl) return sl;
    for (const auto& k : lapsed) {
      auto d = txn.del(cache_.db("id.lockout"), k);
      if (!d) return tl::unexpected(d.error());
      ++result.lockouts;
    }
    return {};
  });
  if (ec) return tl::unexpected("cannot write the identity cache: " + ec.message());
  return result;
}

}  // namespace identity
