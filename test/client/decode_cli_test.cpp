// sip2-client decode, run as a user runs it, agrees with every vector's annotation.
#define BOOST_TEST_MODULE sip2_client_decode
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../codec/vector_support.hpp"

namespace {

std::string client() {
  return boost::unit_test::framework::master_test_suite().argv[1];
}

/// Runs `sip2-client decode ARGS -` with one raw message per line; returns its output lines.
std::vector<nlohmann::json> run_decode(const std::vector<std::string>& raws,
                                       const std::string& args, int& status) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto in = dir / ("sip2-client-in-" + std::to_string(::getpid()));
  const auto out = dir / ("sip2-client-out-" + std::to_string(::getpid()));
  {
    std::ofstream f(in, std::ios::binary);
    for (const auto& r : raws)
      f << r << '\n';
  }
  status = std::system(
      (client() + " decode " + args + " - < " + in.string() + " > " + out.string()).c_str());
  std::vector<nlohmann::json> lines;
  std::ifstream f(out);
  for (std::string line; std::getline(f, line);)
    lines.push_back(nlohmann::json::parse(line));
  std::filesystem::remove(in);
  std::filesystem::remove(out);
  return lines;
}

/// The annotation form of the client's JSON (fixed by name, variable by code, AY/AZ).
nlohmann::json as_annotation(const nlohmann::json& j) {
  nlohmann::json a = nlohmann::json::object();
  if (!j["fixed"].empty()) a["fixed"] = j["fixed"];
  if (!j["fields"].empty()) a["variable"] = j["fields"];
  if (!j["sequence"].is_null()) a["AY"] = j["sequence"];
  if (!j["checksum"].is_null()) a["AZ"] = j["checksum"];
  return a;
}

bool line_safe(const std::string& raw) {
  return raw.find_first_of("\r\n") == std::string::npos;
}

std::vector<nlohmann::json> pick(bool malformed) {
  std::vector<nlohmann::json> out;
  for (const auto& v : sip2::test::load_vectors())
    if (v.value("malformed", false) == malformed && line_safe(v["raw"])) out.push_back(v);
  return out;
}

std::vector<std::string> raws_of(const std::vector<nlohmann::json>& vs) {
  std::vector<std::string> r;
  for (const auto& v : vs)
    r.push_back(v["raw"]);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(well_formed_vectors_print_their_annotation) {
  const auto vs = pick(false);
  int status = 0;
  const auto lines = run_decode(raws_of(vs), "--charset utf-8", status);
  BOOST_TEST(status == 0);
  BOOST_TEST_REQUIRE(lines.size() == vs.size());
  for (std::size_t i = 0; i < vs.size(); ++i) {
    BOOST_TEST_CONTEXT(vs[i]["raw"].get<std::string>()) {
      BOOST_TEST(lines[i]["ok"] == true);
      BOOST_TEST(lines[i]["command"] == vs[i]["command"]);
      BOOST_TEST(as_annotation(lines[i]).dump() == vs[i]["fields"].dump());
      BOOST_TEST(lines[i]["checksum_valid"] == vs[i]["checksum_valid"]);
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_vectors_are_rejected_strictly_with_exit_status_one) {
  const auto vs = pick(true);
  int status = 0;
  const auto lines = run_decode(raws_of(vs), "--charset utf-8", status);
  BOOST_TEST(status != 0);
  BOOST_TEST_REQUIRE(lines.size() == vs.size());
  for (std::size_t i = 0; i < vs.size(); ++i) {
    BOOST_TEST_CONTEXT(vs[i]["raw"].get<std::string>()) {
      BOOST_TEST(lines[i]["ok"] == false);
      BOOST_TEST(lines[i]["error"].is_string());
      BOOST_TEST(lines[i]["offset"].is_number_unsigned());
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_vectors_read_as_documented_with_lenient) {
  const auto vs = pick(true);
  int status = 0;
  const auto lines = run_decode(raws_of(vs), "--lenient --charset utf-8", status);
  BOOST_TEST(status == 0);
  BOOST_TEST_REQUIRE(lines.size() == vs.size());
  for (std::size_t i = 0; i < vs.size(); ++i) {
    BOOST_TEST_CONTEXT(vs[i]["raw"].get<std::string>()) {
      BOOST_TEST(lines[i]["ok"] == true);
      BOOST_TEST(as_annotation(lines[i]).dump() == vs[i]["fields"].dump());
    }
  }
}

BOOST_AUTO_TEST_CASE(encode_writes_back_what_decode_printed) {
  const auto vs = pick(false);
  for (const auto& v : vs) {
    const std::string raw = v["raw"];
    if (raw.find('\'') != std::string::npos || !v["fields"].contains("AY")) continue;
    const std::string cmd = client() + " decode --charset utf-8 '" + raw + "' | " + client() +
                            " encode --charset utf-8 --seq " + v["fields"]["AY"].get<std::string>();
    FILE* p = ::popen(cmd.c_str(), "r");
    BOOST_TEST_REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
      out.append(buf, n);
    BOOST_TEST(::pclose(p) == 0);
    auto again = sip2::decode(out.substr(0, out.find('\r')), sip2::test::utf8_dialect());
    BOOST_TEST_CONTEXT(raw) {
      BOOST_TEST(again.has_value());
    }
  }
}
