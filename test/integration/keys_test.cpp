// `sip2gw keys ...` and the key file at start: exit codes, output, refusals, migration.
#define BOOST_TEST_MODULE integration_keys
#include <sys/stat.h>
#include <boost/test/unit_test.hpp>

#include <regex>

#include "gateway_stack.hpp"

namespace integration {
namespace {

/// Runs sip2gw with `args` to its end.
CommandRun sip2gw(const TempDir& dir, const std::vector<std::string>& args) {
  return run_sip2gw(dir.path(), args, 10s);
}

/// Writes the demo config with its key file at `dir/state/keys.json`; returns the config path.
std::string config_with_key_file(const TempDir& dir) {
  auto c = demo_config();
  c["data_dir"] = (dir.path() / "data").string();
  c["security"]["key_file"] = (dir.path() / "state" / "keys.json").string();
  const auto file = dir.path() / "gateway.json";
  write_file(file, c.dump(2));
  return file.string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(keys_init_rotate_show_and_retire) {
  TempDir dir;
  const auto config = config_with_key_file(dir);
  const auto key_file = dir.path() / "state" / "keys.json";

  auto r = sip2gw(dir, {"keys", "show", "--config", config});
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(contains(r.err, "security.key_file: '" + key_file.string() + "': cannot read"), r.err);

  r = sip2gw(dir, {"keys", "init", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "created key file '" + key_file.string() + "' with sealing version 1\n");
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat(key_file.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);

  r = sip2gw(dir, {"keys", "init", "--config", config});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "'" + key_file.string() + "' exists; not overwriting it"), r.err);

  r = sip2gw(dir, {"keys", "rotate", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "sealing version 2 is now current"), r.out);

  r = sip2gw(dir, {"keys", "show", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.err);
  const std::regex shape(
      "key file: .*\nindex key: k:[0-9a-f]{8}\npseudonym key: k:[0-9a-f]{8}\nsealing versions:\n"
      "  1 k:[0-9a-f]{8}\n  2 k:[0-9a-f]{8} current\n");
  BOOST_TEST(std::regex_match(r.out, shape), r.out);
  const auto file = nlohmann::json::parse(read_file(key_file));
  for (const auto& key : {file["index_key"], file["pseudonym_key"], file["sealing"]["keys"]["1"]})
    BOOST_TEST(!contains(r.out, key.get<std::string>().substr(0, 12)), "key bytes shown");

  r = sip2gw(dir, {"keys", "retire", "2", "--config", config});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "version 2 is the current sealing version"), r.err);

  r = sip2gw(dir, {"keys", "retire", "1", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "records sealed only with version 1 can no longer be opened"), r.out);
  r = sip2gw(dir, {"keys", "show", "--config", config});
  BOOST_TEST(!contains(r.out, "  1 k:"), r.out);
  BOOST_TEST(contains(r.out, "  2 k:"), r.out);
}

BOOST_AUTO_TEST_CASE(keys_usage_errors_exit_2) {
  TempDir dir;
  const auto config = config_with_key_file(dir);
  BOOST_TEST(sip2gw(dir, {"keys", "retire", "one", "--config", config}).exit_code == 2);
  BOOST_TEST(sip2gw(dir, {"keys", "retire", "--config", config}).exit_code == 2);
  BOOST_TEST(sip2gw(dir, {"keys", "burn", "--config", config}).exit_code == 2);
  BOOST_TEST(sip2gw(dir, {"keys", "init"}).exit_code == 2);
  BOOST_TEST(!std::filesystem::exists(dir.path() / "state"));
}

BOOST_AUTO_TEST_CASE(a_key_file_others_may_read_fails_check_config_and_start) {
  TempDir dir;
  const auto config = config_with_key_file(dir);
  const auto key_file = dir.path() / "state" / "keys.json";
  BOOST_TEST_REQUIRE(sip2gw(dir, {"keys", "init", "--config", config}).exit_code == 0);
  ::chmod(key_file.c_str(), 0644);
  const std::string line = "security.key_file: '" + key_file.string() +
                           "' is readable by others (mode 0644); chmod 600 it\n";
  auto r = sip2gw(dir, {"check-config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == line);
  r = sip2gw(dir, {"--config", config, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, line), r.err);
  BOOST_TEST(!contains(r.out, "listening"), r.out);
}

BOOST_AUTO_TEST_CASE(a_malformed_key_file_is_named_with_its_json_path) {
  TempDir dir;
  const auto config = config_with_key_file(dir);
  const auto key_file = dir.path() / "state" / "keys.json";
  BOOST_TEST_REQUIRE(sip2gw(dir, {"keys", "init", "--config", config}).exit_code == 0);
  auto j = nlohmann::json::parse(read_file(key_file));
  j["sealing"]["current"] = 7;
  write_file(key_file, j.dump());
  const auto r = sip2gw(dir, {"check-config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == "security.key_file: '" + key_file.string() +
                          "': sealing.current: version 7 is not in sealing.keys\n");
}

BOOST_AUTO_TEST_CASE(first_start_creates_the_key_file_with_the_old_pseudonym_key) {
  GatewayStack stack({.edit_config = {}, .start_gateway = false});
  const auto data = stack.dir() / "data";
  const auto legacy = data / "pseudonym.key";
  write_file(legacy, std::string(32, 'A'));
  ::chmod(legacy.c_str(), 0600);
  stack.start_gateway();
  BOOST_TEST(stack.wait_for_log("created key file with the old pseudonym key", 5s),
             stack.gateway_log());
  const auto keys = nlohmann::json::parse(read_file(data / "keys.json"));
  // base64 of 32 bytes 'A' (0x41): the old key, so pseudonyms in old logs stay the same.
  std::string expected;
  for (int i = 0; i < 10; ++i)
    expected += "QUFB";
  BOOST_TEST(keys["pseudonym_key"] == expected + "QUE=");
}

BOOST_AUTO_TEST_CASE(first_start_without_an_old_key_creates_a_fresh_key_file) {
  GatewayStack stack;
  BOOST_TEST(stack.wait_for_log("created key file", 5s), stack.gateway_log());
  BOOST_TEST(!stack.wait_for_log("old pseudonym key", 0ms), stack.gateway_log());
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat((stack.dir() / "data" / "keys.json").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
}

}  // namespace integration
