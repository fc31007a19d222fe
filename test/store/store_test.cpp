// Tests for store::Env: transactions, job isolation, group commit, map growth and write faults.
#define BOOST_TEST_MODULE store
#include <boost/test/unit_test.hpp>

#include <lmdb.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../support/temp_dir.hpp"
#include "store/store.hpp"

namespace store {
// How Boost.Test prints an errc in a failed assertion.
std::ostream& operator<<(std::ostream& out, errc e) {
  return out << make_error_code(e).message();
}
}  // namespace store

namespace {

namespace fs = std::filesystem;
using store::Db;
using store::Env;
using store::errc;
using store::Options;
using store::Result;
using store::WriteTxn;

constexpr std::size_t mib = std::size_t{1} << 20;
constexpr std::array<std::string_view, 2> names = {"items", "meta"};

/// A fresh directory (/tmp/sip2gw-store-XXXXXX), removed at scope exit.
struct TempDir : test_support::TempDir {
  TempDir() : test_support::TempDir("store") {}
};

Options options_in(const fs::path& dir) {
  Options o;
  o.dir = dir;
  o.durability = store::Durability::no_sync;  // tests need no fsync; full is the default
  return o;
}

std::unique_ptr<Env> open_env(const Options& o) {
  auto env = Env::open(o, names);
  if (!env) throw std::runtime_error(env.error());
  return std::move(*env);
}

std::string key_of(std::size_t i) {
  std::string k = std::to_string(i);
  return std::string(8 - k.size(), '0') + k;
}

/// A value of `size` bytes that differs per key, so a read of the wrong page shows.
std::string value_of(std::size_t i, std::size_t size) {
  std::string v(size, static_cast<char>('a' + i % 26));
  v.replace(0, key_of(i).size(), key_of(i));
  return v;
}

Env::Job put_job(Db db, std::string key, std::string value) {
  return [db, key = std::move(key), value = std::move(value)](WriteTxn& t) {
    return t.put(db, key, value);
  };
}

std::optional<std::string> read_value(const Env& env, std::string_view db, std::string_view key) {
  auto txn = env.read();
  if (!txn) throw std::runtime_error(txn.error().message());
  auto v = txn->get(env.db(db), key);
  if (!v) throw std::runtime_error(v.error().message());
  if (!*v) return std::nullopt;
  return std::string(**v);
}

std::size_t count_of(const Env& env, std::string_view db) {
  auto txn = env.read();
  if (!txn) throw std::runtime_error(txn.error().message());
  auto n = txn->count(env.db(db));
  if (!n) throw std::runtime_error(n.error().message());
  return *n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(puts_gets_deletes_and_counts) {
  TempDir dir;
  auto env = open_env(options_in(dir.path()));
  const Db items = env->db("items");
  BOOST_TEST(!env->write(put_job(items, "b", "2")));
  BOOST_TEST(!env->write(put_job(items, "a", "1")));
  BOOST_TEST(!env->write(put_job(env->db("meta"), "a", "other db")));
  BOOST_TEST(read_value(*env, "items", "a").value() == "1");
  BOOST_TEST(read_value(*env, "meta", "a").value() == "other db");
  BOOST_TEST(!read_value(*env, "items", "c").has_value());
  BOOST_TEST(count_of(*env, "items") == 2u);

  bool existed = false;
  bool absent = true;
  BOOST_TEST(!env->write([&](WriteTxn& t) -> Result<void> {
    auto seen = t.get(items, "a");
    if (!seen || !*seen || **seen != "1") return tl::unexpected(make_error_code(errc::other));
    auto d = t.del(items, "a");
    auto again = t.del(items, "nothing");
    if (!d || !again) return tl::unexpected(make_error_code(errc::other));
    existed = *d;
    absent = *again;
    return {};
  }));
  BOOST_TEST(existed);
  BOOST_TEST(!absent);
  BOOST_TEST(!read_value(*env, "items", "a").has_value());
  BOOST_TEST(count_of(*env, "items") == 1u);
}

BOOST_AUTO_TEST_CASE(scan_starts_at_the_first_key_not_below_from_and_stops_when_asked) {
  TempDir dir;
  auto env = open_env(options_in(dir.path()));
  const Db items = env->db("items");
  BOOST_TEST(!env->write([&](WriteTxn& t) -> Result<void> {
    for (const char* k : {"apple", "banana", "cherry", "damson"}) {
      if (auto r = t.put(items, k, std::string(k) + "!"); !r) return r;
    }
    return {};
  }));
  auto txn = env->read();
  BOOST_REQUIRE(txn);
  std::vector<std::string> seen;
  auto all = txn->scan(items, "", [&](std::string_view k, std::string_view v) {
    seen.push_back(std::string(k) + "=" + std::string(v));
    return true;
  });
  BOOST_TEST(all.has_value());
  BOOST_TEST(seen == (std::vector<std::string>{"apple=apple!", "banana=banana!", "cherry=cherry!",
                                               "damson=damson!"}),
             boost::test_tools::per_element());
  seen.clear();
  auto some = txn->scan(items, "bb", [&](std::string_view k, std::string_view) {
    seen.emplace_back(k);
    return seen.size() < 2;
  });
  BOOST_TEST(some.has_value());
  BOOST_TEST(seen == (std::vector<std::string>{"cherry", "damson"}),
             boost::test_tools::per_element());
  seen.clear();
  BOOST_TEST(txn->scan(items, "zzz",
                       [&](std::string_view k, std::string_view) {
                         seen.emplace_back(k);
                         return true;
                       })
                 .has_value());
  BOOST_TEST(seen.empty());

  std::size_t in_writer = 0;
  BOOST_TEST(!env->write([&](WriteTxn& t) {
    return t.scan(items, "c", [&](std::string_view, std::string_view) {
      ++in_writer;
      return true;
    });
  }));
  BOOST_TEST(in_writer == 2u);
}

BOOST_AUTO_TEST_CASE(invalid_keys_and_unknown_databases_fail_without_failing_the_batch) {
  TempDir dir;
  auto env = open_env(options_in(dir.path()));
  const Db items = env->db("items");
  BOOST_TEST(env->write(put_job(items, "", "empty key")) == errc::bad_value);
  BOOST_TEST(env->write(put_job(items, std::string(4096, 'k'), "long key")) == errc::bad_value);
  BOOST_TEST(env->write(put_job(env->db("no such db"), "k", "v")) == errc::other);
  BOOST_TEST(!env->write_fault().has_value());
  auto txn = env->read();
  BOOST_REQUIRE(txn);
  BOOST_TEST(txn->get(items, "").error() == errc::bad_value);
  BOOST_TEST(!txn->count(env->db("no such db")).has_value());
}

BOOST_AUTO_TEST_CASE(a_failed_job_is_rolled_back_alone_and_the_rest_of_its_batch_commits) {
  TempDir dir;
  auto env = open_env(options_in(dir.path()));
  const Db items = env->db("items");
  // The first job holds the writer until the others are queued, so all land in one batch.
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  std::latch finished(5);
  std::array<std::error_code, 5> results;
  auto record = [&](int i) {
    return [&, i](std::error_code ec) {
      results[i] = ec;
      finished.count_down();
    };
  };
  env->submit(
      [&, opened](WriteTxn& t) {
        opened.wait();
        return t.put(items, "first", "1");
      },
      record(0));
  const std::uint64_t commits_before = env->usage().commits;
  env->submit(
      [&](WriteTxn& t) -> Result<void> {
        if (auto r = t.put(items, "failed", "half done"); !r) return r;
        return tl::unexpected(make_error_code(errc::bad_value));
      },
      record(1));
  env->submit(put_job(items, "second", "2"), record(2));
  env->submit(
      [&](WriteTxn& t) -> Result<void> {
        if (auto r = t.put(items, "threw", "half done"); !r) return r;
        throw std::runtime_error("a bug in one job");
      },
      record(3));
  env->submit(put_job(items, "third", "3"), record(4));
  gate.set_value();
  finished.wait();

  BOOST_TEST(!results[0]);
  BOOST_TEST(results[1] == errc::bad_value);
  BOOST_TEST(!results[2]);
  BOOST_TEST(results[3] == errc::other);
  BOOST_TEST(!results[4]);
  BOOST_TEST(read_value(*env, "items", "first").value() == "1");
  BOOST_TEST(read_value(*env, "items", "second").value() == "2");
  BOOST_TEST(read_value(*env, "items", "third").value() == "3");
  BOOST_TEST(!read_value(*env, "items", "failed").has_value());
  BOOST_TEST(!read_value(*env, "items", "threw").has_value());
  BOOST_TEST(env->usage().commits - commits_before <= 2u);
  BOOST_TEST(!env->write_fault().has_value());
  BOOST_TEST(!env->write(put_job(items, "after", "the writer lives")));
}

BOOST_AUTO_TEST_CASE(write_from_the_writer_thread_fails_instead_of_waiting_for_itself) {
  TempDir dir;
  auto env = open_env(options_in(dir.path()));
  const Db items = env->db("items");
  std::error_code from_job;
  std::error_code from_done;
  BOOST_TEST(!env->write([&](WriteTxn& t) {
    from_job = env->write(put_job(items, "nested", "x"));
    return t.put(items, "outer", "y");
  }));
  std::promise<void> called;
  env->submit(put_job(items, "k", "v"), [&](std::error_code) {
    from_done = env->write(put_job(items, "from done", "x"));
    called.set_value();
  });
  called.get_future().wait();
  BOOST_TEST(from_job == errc::other);
  BOOST_TEST(from_done == errc::other);
  BOOST_TEST(!read_value(*env, "items", "nested").has_value());
  BOOST_TEST(read_value(*env, "items", "outer").value() == "y");
}

BOOST_AUTO_TEST_CASE(group_commit_puts_ten_thousand_jobs_in_a_few_transactions) {
  TempDir dir;
  Options o = options_in(dir.path());
  o.durability = store::Durability::full;
  auto env = open_env(o);
  const Db items = env->db("items");
  const std::uint64_t commits_before = env->usage().commits;
  constexpr std::size_t jobs = 10'000;
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  std::latch finished(jobs + 1);
  std::atomic<std::size_t> failures{0};
  auto done = [&](std::error_code ec) {
    if (ec) ++failures;
    finished.count_down();
  };
  env->submit(
      [opened](WriteTxn&) -> Result<void> {
        opened.wait();
        return {};
      },
      done);
  for (std::size_t i = 0; i < jobs; ++i)
    env->submit(put_job(items, key_of(i), "v"), done);
  gate.set_value();
  finished.wait();

  const std::uint64_t commits = env->usage().commits - commits_before;
  BOOST_TEST(failures == 0u);
  BOOST_TEST(count_of(*env, "items") == jobs);
  // One for the gate's batch, then batches of max_batch (1024).
  BOOST_TEST(commits <= 1 + (jobs + 1023) / 1024);
  BOOST_TEST(commits >= 2u);
}

BOOST_AUTO_TEST_CASE(map_grows_from_one_mib_to_hold_twenty_mib) {
  TempDir dir;
  Options o = options_in(dir.path());
  o.initial_map_size = 1 * mib;
  auto env = open_env(o);
  BOOST_TEST(env->usage().map_size == 1 * mib);
  const Db items = env->db("items");
  BOOST_TEST(!env->write(put_job(items, "probe", "still here")));

  // A reader on another thread keeps opening transactions while the map grows.
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> reads{0};
  std::atomic<std::size_t> bad_reads{0};
  std::thread reader([&] {
    while (!stop) {
      auto v = read_value(*env, "items", "probe");
      if (v != "still here") ++bad_reads;
      ++reads;
    }
  });
  constexpr std::size_t values = 320;
  constexpr std::size_t value_size = 64 * 1024;
  std::latch finished(values);
  std::atomic<std::size_t> failures{0};
  for (std::size_t i = 0; i < values; ++i) {
    env->submit(put_job(items, key_of(i), value_of(i, value_size)), [&](std::error_code ec) {
      if (ec) ++failures;
      finished.count_down();
    });
  }
  finished.wait();
  stop = true;
  reader.join();

  BOOST_TEST(failures == 0u);
  BOOST_TEST(bad_reads == 0u);
  BOOST_TEST(reads > 0u);
  for (std::size_t i = 0; i < values; ++i) {
    BOOST_TEST_REQUIRE((read_value(*env, "items", key_of(i)) == value_of(i, value_size)));
  }
  const store::Usage u = env->usage();
  BOOST_TEST(u.map_size >= 20 * mib);
  BOOST_TEST(u.used_bytes >= 20 * mib);
  BOOST_TEST(u.used_bytes <= u.map_size);
  BOOST_TEST(u.map_grows >= 5u);  // 1 MiB doubled to at least 32 MiB
  BOOST_TEST(!env->write_fault().has_value());
}

BOOST_AUTO_TEST_CASE(a_reader_open_on_another_thread_holds_growth_off_and_stays_valid) {
  TempDir dir;
  Options o = options_in(dir.path());
  o.initial_map_size = 1 * mib;
  auto env = open_env(o);
  const Db items = env->db("items");
  BOOST_TEST(!env->write(put_job(items, "probe", value_of(7, 3000))));

  std::promise<void> reading;
  std::promise<void> release;
  std::string seen_before;
  std::string seen_after;
  std::thread reader([&] {
    auto txn = env->read();
    if (!txn) return;
    auto v = txn->get(items, "probe");
    if (v && *v) seen_before = std::string(**v);
    reading.set_value();
    release.get_future().wait();
    // The view points into the map: still valid only if the map was not remapped meanwhile.
    if (v && *v) seen_after = std::string(**v);
  });
  reading.get_future().wait();
  // One job larger than the map: the writer must grow it, which waits for the reader.
  std::promise<std::error_code> committed;
  auto result = committed.get_future();
  env->submit(put_job(items, "big", value_of(8, 2 * mib)),
              [&](std::error_code ec) { committed.set_value(ec); });
  BOOST_TEST((result.wait_for(std::chrono::seconds(0)) == std::future_status::timeout));
  release.set_value();
  reader.join();
  BOOST_TEST(!result.get());
  BOOST_TEST((seen_before == value_of(7, 3000)));
  BOOST_TEST((seen_after == seen_before));
  BOOST_TEST(env->usage().map_grows >= 2u);
  BOOST_TEST((read_value(*env, "items", "big") == value_of(8, 2 * mib)));
}

BOOST_AUTO_TEST_CASE(map_full_at_max_size_is_a_write_fault_until_a_commit_succeeds) {
  TempDir dir;
  Options o = options_in(dir.path());
  o.initial_map_size = 1 * mib;
  o.max_map_size = 2 * mib;
  auto env = open_env(o);
  const Db items = env->db("items");
  std::error_code ec;
  std::size_t stored = 0;
  for (; stored < 200 && !ec; ++stored) {
    ec = env->write(put_job(items, key_of(stored), value_of(stored, 32 * 1024)));
  }
  BOOST_TEST(ec == errc::map_full);
  BOOST_TEST(stored > 10u);
  BOOST_TEST(env->usage().map_size == 2 * mib);
  BOOST_TEST(env->write_fault().value() == errc::map_full);
  // The map is still full: the same write fails again and the fault stays.
  BOOST_TEST(env->write(put_job(items, "more", value_of(0, 64 * 1024))) == errc::map_full);
  BOOST_TEST(env->write_fault().value() == errc::map_full);

  BOOST_TEST(!env->write([&](WriteTxn& t) -> Result<void> {
    for (std::size_t i = 0; i + 1 < stored; i += 2) {
      if (auto d = t.del(items, key_of(i)); !d) return tl::unexpected(d.error());
    }
    return {};
  }));
  BOOST_TEST(!env->write_fault().has_value());
  BOOST_TEST(env->write(put_job(items, "more", value_of(0, 1024))) == std::error_code{});
  BOOST_TEST((read_value(*env, "items", key_of(1)) == value_of(1, 32 * 1024)));
}

namespace {

/// In a child process: fills the disk as RLIMIT_FSIZE sees it; 0 when that was reported as
/// disk_full and as the write fault, another code saying what went wrong otherwise.
int fill_disk_in_child(const fs::path& dir) {
  ::signal(SIGXFSZ, SIG_IGN);  // the failing write returns EFBIG instead of killing us
  Options o = options_in(dir);
  auto env = Env::open(o, names);
  if (!env) return 10;
  struct rlimit limit {};
  limit.rlim_cur = limit.rlim_max = 1 * mib;
  if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 11;
  const Db items = (*env)->db("items");
  std::error_code ec;
  for (std::size_t i = 0; i < 64 && !ec; ++i) {
    ec = (*env)->write(put_job(items, key_of(i), value_of(i, 64 * 1024)));
  }
  if (!ec) return 12;
  if (ec != errc::disk_full) return 20 + ec.value();
  auto fault = (*env)->write_fault();
  if (!fault || *fault != errc::disk_full) return 13;
  auto first = (*env)->read();
  if (!first) return 14;
  auto v = first->get(items, key_of(0));
  if (!v || !*v || **v != value_of(0, 64 * 1024)) return 15;
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_disk_is_reported_as_disk_full_not_a_crash) {
  TempDir dir;
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) ::_exit(fill_disk_in_child(dir.path() / "store"));
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_AUTO_TEST_CASE(data_survives_close_and_reopen_and_queued_jobs_commit_at_close) {
  TempDir dir;
  const Options o = options_in(dir.path() / "store");
  std::atomic<std::size_t> committed{0};
  {
    auto env = open_env(o);
    const Db items = env->db("items");
    BOOST_TEST(!env->write(put_job(env->db("meta"), "version", "1")));
    for (std::size_t i = 0; i < 500; ++i) {
      env->submit(put_job(items, key_of(i), value_of(i, 100)), [&](std::error_code ec) {
        if (!ec) ++committed;
      });
    }
  }  // the destructor commits what is queued
  BOOST_TEST(committed == 500u);
  auto env = open_env(o);
  BOOST_TEST(read_value(*env, "meta", "version").value() == "1");
  BOOST_TEST(count_of(*env, "items") == 500u);
  BOOST_TEST((read_value(*env, "items", key_of(499)) == value_of(499, 100)));
}

BOOST_AUTO_TEST_CASE(creates_the_directory_0700_and_the_files_0600) {
  TempDir dir;
  const fs::path where = dir.path() / "a" / "store";
  auto env = open_env(options_in(where));
  BOOST_TEST(env->dir() == where);
  auto mode = [](const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 0777);
  };
  BOOST_TEST(mode(where) == 0700);
  BOOST_TEST(mode(where / "data.mdb") == 0600);
  BOOST_TEST(mode(where / "lock.mdb") == 0600);
}

namespace {

/// In a child process: once told to on `go`, opens the store as a second process (a CLI tool)
/// would, with a larger map, and fills it past the first process's map. 0 on success.
int grow_from_another_process(int go, const Options& o) {
  char byte = 0;
  if (::read(go, &byte, 1) != 1) return 9;
  Options big = o;
  big.initial_map_size = 16 * mib;
  auto other = Env::open(big, names);
  if (!other) return 10;
  for (std::size_t i = 0; i < 64; ++i) {
    if ((*other)->write(put_job((*other)->db("items"), key_of(i), value_of(i, 64 * 1024)))) {
      return 11;
    }
  }
  other->reset();
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(adopts_a_map_grown_by_another_process) {
  TempDir dir;
  Options o = options_in(dir.path());
  o.initial_map_size = 1 * mib;
  // Fork before this process has threads (the Env's writer), then let the child go.
  std::array<int, 2> go{};
  BOOST_REQUIRE(::pipe(go.data()) == 0);
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) ::_exit(grow_from_another_process(go[0], o));
  ::close(go[0]);
  auto env = open_env(o);
  BOOST_TEST(!env->write(put_job(env->db("items"), "mine", "1")));
  BOOST_TEST(env->usage().map_size == 1 * mib);
  BOOST_REQUIRE(::write(go[1], "g", 1) == 1);
  ::close(go[1]);
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST_REQUIRE(WEXITSTATUS(status) == 0);

  BOOST_TEST((read_value(*env, "items", key_of(63)) == value_of(63, 64 * 1024)));
  BOOST_TEST(env->usage().map_size >= 4 * mib);
  BOOST_TEST(env->usage().map_grows == 0u);  // adopted, not grown by us
  BOOST_TEST(!env->write(put_job(env->db("items"), "mine", "2")));
  BOOST_TEST((read_value(*env, "items", "mine") == "2"));
}

BOOST_AUTO_TEST_CASE(open_failure_is_one_line_naming_the_directory) {
  TempDir dir;
  const fs::path file = dir.path() / "not-a-directory";
  { std::ofstream(file) << "x"; }
  auto env = Env::open(options_in(file), names);
  BOOST_REQUIRE(!env);
  const std::string prefix = "cannot open the store in '" + file.string() + "': ";
  BOOST_TEST(env.error().rfind(prefix, 0) == 0u);
  BOOST_TEST(env.error().size() > prefix.size());
  BOOST_TEST(env.error().find('\n') == std::string::npos);

  Options few = options_in(dir.path() / "few");
  few.max_databases = 1;
  auto crowded = Env::open(few, names);
  BOOST_REQUIRE(!crowded);
  BOOST_TEST(crowded.error().find("more databases than the store was opened for") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(maps_lmdb_and_errno_codes_to_errc) {
  BOOST_TEST(std::string(store::category().name()) == "store");
  BOOST_TEST(store::from_mdb(MDB_SUCCESS) == errc::ok);
  BOOST_TEST(store::from_mdb(MDB_NOTFOUND) == errc::not_found);
  BOOST_TEST(store::from_mdb(MDB_MAP_FULL) == errc::map_full);
  BOOST_TEST(store::from_mdb(ENOSPC) == errc::disk_full);
  BOOST_TEST(store::from_mdb(EDQUOT) == errc::disk_full);
  BOOST_TEST(store::from_mdb(EFBIG) == errc::disk_full);
  BOOST_TEST(store::from_mdb(EIO) == errc::io_error);
  BOOST_TEST(store::from_mdb(MDB_PANIC) == errc::io_error);
  BOOST_TEST(store::from_mdb(MDB_CORRUPTED) == errc::corrupted);
  BOOST_TEST(store::from_mdb(MDB_PAGE_NOTFOUND) == errc::corrupted);
  BOOST_TEST(store::from_mdb(MDB_INVALID) == errc::corrupted);
  BOOST_TEST(store::from_mdb(MDB_VERSION_MISMATCH) == errc::version_mismatch);
  BOOST_TEST(store::from_mdb(MDB_READERS_FULL) == errc::readers_full);
  BOOST_TEST(store::from_mdb(MDB_DBS_FULL) == errc::too_many_dbs);
  BOOST_TEST(store::from_mdb(MDB_TXN_FULL) == errc::txn_full);
  BOOST_TEST(store::from_mdb(EACCES) == errc::permission);
  BOOST_TEST(store::from_mdb(EPERM) == errc::permission);
  BOOST_TEST(store::from_mdb(EROFS) == errc::permission);
  BOOST_TEST(store::from_mdb(MDB_BAD_VALSIZE) == errc::bad_value);
  BOOST_TEST(store::from_mdb(MDB_BAD_TXN) == errc::other);
  BOOST_TEST(store::from_mdb(ENOMEM) == errc::other);
  for (int e = 0; e <= static_cast<int>(errc::other); ++e) {
    const std::error_code ec = static_cast<errc>(e);
    BOOST_TEST((&ec.category() == &store::category()));
    BOOST_TEST(!ec.message().empty());
    BOOST_TEST(ec.message().find("unknown") == std::string::npos);
  }
  BOOST_TEST(std::error_code(errc::disk_full).message() ==
             "the disk is full or the file size limit was reached");
}
