// Tests for the process-wide logger: file sink, both formats, levels, reconfiguration, threads.
#define BOOST_TEST_MODULE log
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../support/temp_dir.hpp"
#include "obs/log.hpp"

namespace {

using test_support::read_file;
using test_support::TempDir;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

obs::LogSettings to_file(const std::filesystem::path& file, obs::LogFormat format,
                         spdlog::level::level_enum level = spdlog::level::info) {
  obs::LogSettings settings;
  settings.format = format;
  settings.level = level;
  settings.file = file.string();
  return settings;
}

}  // namespace

BOOST_AUTO_TEST_CASE(writes_text_lines_to_the_configured_file) {
  const TempDir dir;
  const auto file = dir.path() / "gateway.log";
  obs::init_logging(to_file(file, obs::LogFormat::text));
  obs::log(spdlog::level::info, 12, "12-5", "checkout accepted",
           {{"patron", "p:0123456789abcdef"}});
  obs::flush_logs();
  const auto lines = lines_of(read_file(file));
  BOOST_TEST_REQUIRE(lines.size() == 1u);
  // "2026-11-23T10:00:00.123Z " is 25 characters; log_line_test pins its exact format.
  BOOST_TEST_REQUIRE(lines[0].size() > 25u);
  BOOST_TEST(lines[0][10] == 'T');
  BOOST_TEST(lines[0].substr(23, 2) == "Z ");
  BOOST_TEST(lines[0].substr(25) ==
             "info conn=12 req=12-5 checkout accepted patron=p:0123456789abcdef");
}

BOOST_AUTO_TEST_CASE(writes_json_lines_after_reconfiguration_and_leaves_the_old_file) {
  const TempDir dir;
  const auto first = dir.path() / "first.log";
  const auto second = dir.path() / "second.log";
  obs::init_logging(to_file(first, obs::LogFormat::text));
  obs::log(spdlog::level::warn, 0, "", "before reload");
  obs::init_logging(to_file(second, obs::LogFormat::json));
  obs::log(spdlog::level::warn, 4, "4-1", "after reload", {{"k", "v"}});
  obs::flush_logs();
  BOOST_TEST(lines_of(read_file(first)).size() == 1u);
  const auto lines = lines_of(read_file(second));
  BOOST_TEST_REQUIRE(lines.size() == 1u);
  const auto parsed = nlohmann::json::parse(lines[0]);
  BOOST_TEST(parsed["level"].get<std::string>() == "warning");
  BOOST_TEST(parsed["conn"].get<int>() == 4);
  BOOST_TEST(parsed["req"].get<std::string>() == "4-1");
  BOOST_TEST(parsed["msg"].get<std::string>() == "after reload");
  BOOST_TEST(parsed["k"].get<std::string>() == "v");
}

BOOST_AUTO_TEST_CASE(drops_lines_below_the_configured_level) {
  const TempDir dir;
  const auto file = dir.path() / "gateway.log";
  obs::init_logging(to_file(file, obs::LogFormat::text, spdlog::level::warn));
  BOOST_TEST(!obs::should_log(spdlog::level::info));
  BOOST_TEST(obs::should_log(spdlog::level::err));
  obs::log(spdlog::level::info, 0, "", "quiet");
  obs::log(spdlog::level::err, 0, "", "loud");
  obs::log(spdlog::level::off, 0, "", "never");
  obs::flush_logs();
  const auto lines = lines_of(read_file(file));
  BOOST_TEST_REQUIRE(lines.size() == 1u);
  BOOST_TEST(lines[0].find(" error loud") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reports_a_log_file_that_cannot_be_opened_and_keeps_the_old_sink) {
  const TempDir dir;
  const auto good = dir.path() / "good.log";
  obs::init_logging(to_file(good, obs::LogFormat::text));
  const auto blocker = dir.path() / "not-a-dir";
  { std::ofstream(blocker) << "x"; }
  const auto bad = blocker / "gateway.log";
  const auto result = obs::try_init_logging(to_file(bad, obs::LogFormat::json));
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST(result.error().rfind("logging.file: cannot open '" + bad.string() + "': ", 0) == 0,
             result.error());
  BOOST_CHECK_THROW(obs::init_logging(to_file(bad, obs::LogFormat::json)), std::runtime_error);
  obs::log(spdlog::level::info, 0, "", "still here");
  obs::flush_logs();
  BOOST_TEST(read_file(good).find("still here") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keeps_lines_whole_when_many_threads_log_at_once) {
  const TempDir dir;
  const auto file = dir.path() / "gateway.log";
  obs::init_logging(to_file(file, obs::LogFormat::json));
  constexpr int threads = 4;
  constexpr int per_thread = 500;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([t] {
      for (int i = 0; i < per_thread; ++i) {
        obs::log(spdlog::level::info, static_cast<std::uint64_t>(t + 1), "r", "line",
                 {{"i", std::to_string(i)}, {"pad", std::string(200, 'x')}});
      }
    });
  }
  for (auto& w : workers)
    w.join();
  obs::flush_logs();
  const auto lines = lines_of(read_file(file));
  BOOST_TEST_REQUIRE(lines.size() == static_cast<std::size_t>(threads * per_thread));
  for (const auto& line : lines) {
    BOOST_TEST_REQUIRE(nlohmann::json::accept(line), line);
  }
}

BOOST_AUTO_TEST_CASE(creates_the_log_file_0640_and_narrows_a_wider_one) {
  const TempDir dir;
  const auto fresh = dir.path() / "fresh.log";
  obs::init_logging(to_file(fresh, obs::LogFormat::text));
  obs::log(spdlog::level::info, 1, {}, "hello");
  obs::flush_logs();
  const auto mode = std::filesystem::status(fresh).permissions() & std::filesystem::perms::all;
  BOOST_TEST(static_cast<unsigned>(mode) == 0640u);
  const auto wide = dir.path() / "wide.log";
  std::ofstream(wide) << "";
  std::filesystem::permissions(wide, std::filesystem::perms::all);
  obs::init_logging(to_file(wide, obs::LogFormat::text));
  const auto others =
      std::filesystem::status(wide).permissions() & std::filesystem::perms::others_all;
  BOOST_TEST(static_cast<unsigned>(others) == 0u);
}

BOOST_AUTO_TEST_CASE(lines_reach_the_file_within_a_second_without_an_explicit_flush) {
  const TempDir dir;
  const auto file = dir.path() / "gateway.log";
  obs::init_logging(to_file(file, obs::LogFormat::text));
  obs::log(spdlog::level::info, 3, {}, "buffered line");
  // The flusher runs every second; 10 s is only the bound of a badly loaded machine.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (read_file(file).find("buffered line") == std::string::npos &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(read_file(file).find("buffered line") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shutdown_writes_every_line_logged_before_it) {
  const TempDir dir;
  const auto file = dir.path() / "gateway.log";
  obs::init_logging(to_file(file, obs::LogFormat::text));
  for (int i = 0; i < 2000; ++i)
    obs::log(spdlog::level::info, 4, {}, "line", {{"n", std::to_string(i)}});
  obs::shutdown_logging();
  BOOST_TEST(lines_of(read_file(file)).size() == 2000u);
}
