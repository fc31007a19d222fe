// The config keys the handlers follow: defaults, values and errors as "json.path: reason".
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "handlers/context.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

/// A minimal config with `extra` spliced in as more root keys (each ending with a comma).
fs::path write_config(const std::string& extra) {
  const fs::path dir =
      fs::temp_directory_path() / ("sip2gw-settings-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "c.json";
  std::ofstream(file) << R"({ "version": 1, )" << extra << R"(
    "listeners": [ { "listen": "127.0.0.1:6001" } ],
    "backend": { "folio": { "url": "http://127.0.0.1:9130/", "tenant": "diku", "username": "u",
                            "password": "p", "service_point_id": "sp" } } })";
  return file;
}

config::Config loaded(const std::string& extra = {}) {
  auto r = config::load(write_config(extra));
  if (auto* e = std::get_if<config::Errors>(&r))
    BOOST_FAIL("config refused: " << (e->empty() ? std::string() : e->front()));
  return std::get<config::Config>(r);
}

bool refused_with(const std::string& extra, const std::string& error) {
  auto r = config::load(write_config(extra));
  const auto* e = std::get_if<config::Errors>(&r);
  if (e == nullptr) return false;
  for (const auto& s : *e)
    BOOST_TEST_MESSAGE(s);
  return std::find(e->begin(), e->end(), error) != e->end();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(settings)

BOOST_AUTO_TEST_CASE(defaults_match_the_documented_ones) {
  const auto s = handlers::Settings::from(loaded());
  BOOST_TEST(s.min_mutation_budget.count() == 1500);
}

BOOST_AUTO_TEST_CASE(the_minimum_budget_for_a_change_is_configurable_and_checked) {
  BOOST_TEST(handlers::Settings::from(loaded(R"("limits": {"min_mutation_budget_ms": 500},)"))
                 .min_mutation_budget.count() == 500);
  BOOST_TEST(refused_with(R"("limits": {"min_mutation_budget_ms": 9000},)",
                          "limits.min_mutation_budget_ms: must be less than request_timeout_ms"));
}

BOOST_AUTO_TEST_SUITE_END()
