// An identity cache for tests: a real store in a temporary directory, a real key file beside it,
// a validator on an injected clock, the scripted FakeBackend, and hooks that count Argon2id runs
// and keep background jobs for the test to run.
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "../handlers/fake_backend.hpp"
#include "../support/temp_dir.hpp"
#include "crypto/key_ring.hpp"
#include "identity/cache.hpp"
#include "identity/sync.hpp"
#include "identity/validator.hpp"
#include "store/store.hpp"

namespace idtest {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline constexpr const char* institution = "MAIN";
inline constexpr const char* barcode = "21234000000018";
inline constexpr const char* pin = "1234";

/// A fresh directory (/tmp/sip2gw-identity-XXXXXX), removed at scope exit.
struct TempDir : test_support::TempDir {
  TempDir() : test_support::TempDir("identity") {}
};

/// The test clock's start: a weekday morning.
inline ils::Timestamp start_time() {
  return std::chrono::sys_days{std::chrono::year{2025} / 3 / 14} + std::chrono::hours{10};
}

/// A patron with all three identifier fields set.
inline ils::Patron demo_patron(std::string id = "p-1", std::string bc = barcode,
                               std::string ext = "ext-1", std::string user = "ada") {
  auto p = fake::patron(std::move(id), std::move(bc));
  p.external_system_id = std::move(ext);
  p.username = std::move(user);
  return p;
}

/// A complete summary with one manual block and a fee.
inline ils::PatronSummary demo_summary() {
  ils::PatronSummary s;
  ils::Block b;
  b.id = "b-1";
  b.borrowing = true;
  b.message = "Return overdue items";
  s.blocks.push_back(b);
  s.fee_balance = 1250;
  s.loans = 3;
  s.overdue = 1;
  s.holds_available = 2;
  s.holds_unavailable = 1;
  return s;
}

struct World {
  TempDir dir;
  fs::path key_file = dir.path() / "keys.json";
  std::vector<std::string> fields = {"barcode", "externalSystemId", "username"};
  std::shared_ptr<const crypto::KeyRing> keys;
  std::unique_ptr<store::Env> env;
  std::unique_ptr<identity::Cache> cache;
  std::unique_ptr<identity::Validator> validator;
  identity::ValidationPolicy policy = [] {
    identity::ValidationPolicy p;
    p.argon2 = {64, 1, 1};  // cheap: these tests count runs, they do not measure them
    p.lockout = {3, std::chrono::seconds(600), std::chrono::seconds(300)};
    return p;
  }();
  fake::FakeBackend backend;
  ils::Timestamp now = start_time();
  int argon2_runs = 0;
  bool crypto_full = false;  ///< the CryptoRunner refuses (queue full)
  std::vector<std::function<void(ils::Backend&)>> queued;  ///< background jobs, not yet run

  World() {
    auto created = crypto::create_key_file(key_file);
    if (!created) throw std::runtime_error(created.error());
    keys = std::make_shared<const crypto::KeyRing>(std::move(*created));
    backend.add_patron(demo_patron(), pin);
    open();
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  ~World() { close(); }

  /// Opens the store, the cache and a validator (a fresh memo) on what is on disk.
  void open() {
    store::Options o;
    o.dir = dir.path() / "store";
    o.durability = store::Durability::no_sync;
    const std::vector<std::string_view> dbs(identity::Cache::databases.begin(),
                                            identity::Cache::databases.end());
    auto e = store::Env::open(o, dbs);
    if (!e) throw std::runtime_error(e.error());
    env = std::move(*e);
    cache = std::make_unique<identity::Cache>(*env, keys, fields);
    if (auto ok = cache->check_index_key(); !ok) throw std::runtime_error(ok.error());
    validator =
        std::make_unique<identity::Validator>(*cache, policy, nullptr, [this] { return now; });
  }
  void close() {
    queued.clear();
    validator.reset();
    cache.reset();
    env.reset();
  }
  /// A gateway restart: everything in memory is lost, the store stays.
  void restart() {
    close();
    open();
  }
  /// Reads the key file again (after rotating or retiring) and restarts on it.
  void reload_keys() {
    auto loaded = crypto::load_key_file(key_file);
    if (!loaded) throw std::runtime_error(loaded.error());
    keys = std::make_shared<const crypto::KeyRing>(std::move(*loaded));
    restart();
  }
  /// Waits until every write queued so far is committed (the writer runs jobs in order).
  void flush() const {
    const auto ec = env->write([](store::WriteTxn&) { return store::Result<void>(); });
    BOOST_REQUIRE(!ec);
  }

  [[nodiscard]] identity::CryptoRunner crypto() {
    return [this](const std::function<void()>& f) {
      if (crypto_full) return false;
      ++argon2_runs;
      f();
      return true;
    };
  }
  [[nodiscard]] identity::Background background() {
    return [this](std::function<void(ils::Backend&)> job) { queued.push_back(std::move(job)); };
  }
  [[nodiscard]] static ils::CallContext ctx() {
    return {"test", std::chrono::steady_clock::now() + std::chrono::seconds(10)};
  }

  /// The full validation flow, then waits for the writes it queued.
  identity::Validation validate(std::string_view identifier,
                                std::optional<std::string_view> p = std::nullopt) {
    auto v = validator->validate({institution, identifier, p}, backend, ctx(), now, crypto(),
                                 background());
    flush();
    return v;
  }
  std::optional<identity::Validation> local(std::string_view identifier,
                                            std::optional<std::string_view> p = std::nullopt) {
    auto v = validator->local({institution, identifier, p}, now, background());
    flush();
    return v;
  }
  /// Runs the background jobs queued so far.
  void run_background() {
    auto jobs = std::move(queued);
    queued.clear();
    for (auto& job : jobs)
      job(backend);
    flush();
  }

  /// Caches a patron as a library-system read at `at` would (synchronously).
  void put(const ils::Patron& p, const ils::PatronSummary& s, ils::Timestamp at) {
    const auto r = identity::make_record(p, s, {}, ils::CredentialMode::pin, at);
    const auto ec =
        env->write([&](store::WriteTxn& txn) { return cache->put_in(txn, institution, p, r); });
    BOOST_REQUIRE(!ec);
  }
  [[nodiscard]] identity::Key key_of(const std::string& patron_id = "p-1") const {
    return cache->record_key(institution, patron_id);
  }
  [[nodiscard]] std::optional<identity::Record> find(std::string_view identifier) const {
    auto hit = cache->find(institution, identifier);
    BOOST_REQUIRE(hit.has_value());
    if (!*hit) return std::nullopt;
    return (*hit)->record;
  }
  [[nodiscard]] identity::Lockout lockout(const std::string& patron_id = "p-1") const {
    auto l = cache->lockout(key_of(patron_id));
    BOOST_REQUIRE(l.has_value());
    return *l;
  }
  [[nodiscard]] std::optional<identity::Verifier> verifier(
      const std::string& patron_id = "p-1") const {
    auto v = cache->verifier(key_of(patron_id));
    BOOST_REQUIRE(v.has_value());
    return *v;
  }
  [[nodiscard]] int backend_calls() const { return static_cast<int>(backend.calls().size()); }
};

}  // namespace idtest
