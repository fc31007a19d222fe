// Config files for handler tests: a minimal valid config with extra root keys spliced in.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include <boost/test/unit_test.hpp>

#include "config/config.hpp"

namespace fake {

/// A minimal config with `extra` spliced in as more root keys (each ending with a comma).
inline std::filesystem::path write_config(const std::string& extra) {
  namespace fs = std::filesystem;
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

/// The config with `extra`; fails the test when it is refused.
inline config::Config loaded(const std::string& extra = {}) {
  auto r = config::load(write_config(extra));
  if (auto* e = std::get_if<config::Errors>(&r))
    BOOST_FAIL("config refused: " << (e->empty() ? std::string() : e->front()));
  return std::get<config::Config>(r);
}

/// True when the config with `extra` is refused with `error` among its errors.
inline bool refused_with(const std::string& extra, const std::string& error) {
  auto r = config::load(write_config(extra));
  const auto* e = std::get_if<config::Errors>(&r);
  if (e == nullptr) return false;
  for (const auto& s : *e)
    BOOST_TEST_MESSAGE(s);
  return std::find(e->begin(), e->end(), error) != e->end();
}

}  // namespace fake
