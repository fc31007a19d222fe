// sip2-client send, run as a user runs it, against a canned SIP2 server on 127.0.0.1 (TCP, TLS).
#define BOOST_TEST_MODULE sip2_client_send
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_sip2_server.hpp"
#include "sip2/codec.hpp"
#include "sip2/timestamp.hpp"
#include "test_certificates.hpp"

extern char** environ;

namespace {

using sip2_client::test::FakeSip2Server;
using sip2_client::test::test_certificates;

constexpr const char* kScStatus = "9900302.00";
constexpr const char* kPatronStatus = "2300020261123    101500AOMAIN|AA1234|";

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

std::string client() {
  return boost::unit_test::framework::master_test_suite().argv[1];
}

/// Runs `sip2-client send ARGS` with SIP2_PASSWORD set to `password` (or unset); reads both
/// streams to the end. The client's own --timeout bounds how long this takes.
Run run_send(std::vector<std::string> args, const std::optional<std::string>& password = {}) {
  args.insert(args.begin(), {client(), "send"});
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view v(*e);
    if (!v.starts_with("SIP2_PASSWORD=") && !v.starts_with("NO_COLOR=")) env.emplace_back(v);
  }
  if (password) env.push_back("SIP2_PASSWORD=" + *password);
  std::vector<char*> argv, envp;
  for (auto& a : args)
    argv.push_back(a.data());
  for (auto& e : env)
    envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  int out[2], err[2];
  BOOST_TEST_REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  BOOST_TEST_REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  ::posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  BOOST_TEST_REQUIRE(spawned == 0);

  Run r;
  pollfd fds[] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[] = {&r.out, &r.err};
  for (int open = 2; open > 0;) {
    if (::poll(fds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  for (auto end = out.find('\n'); end != std::string::npos; end = out.find('\n', start)) {
    lines.push_back(nlohmann::json::parse(out.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

std::string port_of(const FakeSip2Server& server) {
  return std::to_string(server.port());
}

/// A port on 127.0.0.1 where nothing listens: bound once to learn a free number, then closed.
std::string closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return std::to_string(ntohs(addr.sin_port));
}

FakeSip2Server tls_server(const std::string& cert, const std::string& key) {
  return FakeSip2Server(FakeSip2Server::Options{"secret", cert, key});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client)

BOOST_AUTO_TEST_CASE(answers_each_message_with_a_json_line_and_round_trip_time) {
  FakeSip2Server server;
  const auto r = run_send({"--port", port_of(server), "--json", kScStatus, kPatronStatus});
  BOOST_TEST(r.status == 0, r.err);
  const auto lines = json_lines(r.out);
  BOOST_TEST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0]["ok"] == true);
  BOOST_TEST(lines[0]["command"] == "98");
  BOOST_TEST(lines[0]["fixed"]["online_status"] == "Y");
  BOOST_TEST(lines[0]["fields"]["AF"] == "Welcome");
  BOOST_TEST(lines[0]["rtt_ms"].is_number());
  BOOST_TEST(lines[0]["rtt_ms"].get<double>() >= 0.0);
  BOOST_TEST(lines[1]["command"] == "24");
  BOOST_TEST(lines[1]["fixed"]["patron_status"] == "    Y         ");
  BOOST_TEST(lines[1]["fields"]["AE"] == "Jane Doe");
  BOOST_TEST(server.received() == (std::vector<std::string>{kScStatus, kPatronStatus}));
}

BOOST_AUTO_TEST_CASE(logs_in_first_and_never_prints_the_password) {
  FakeSip2Server server;
  const auto r = run_send({"--port", port_of(server), "--json", "--show-wire", "--login", "staff",
                           "--location", "LOC1", kScStatus},
                          "secret");
  BOOST_TEST(r.status == 0, r.err);
  const auto lines = json_lines(r.out);
  BOOST_TEST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0]["command"] == "94");
  BOOST_TEST(lines[0]["fixed"]["ok"] == "1");
  BOOST_TEST(lines[1]["command"] == "98");
  BOOST_TEST_REQUIRE(server.received().size() == 2u);
  BOOST_TEST(server.received()[0] == "9300CNstaff|COsecret|CPLOC1|");
  BOOST_TEST(r.out.find("secret") == std::string::npos);
  BOOST_TEST(r.err.find("secret") == std::string::npos);
  BOOST_TEST(r.err.find("CO****") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(refused_login_exits_with_status_three_and_sends_nothing_more) {
  FakeSip2Server server;
  const auto file = std::filesystem::temp_directory_path() /
                    ("sip2-client-password-" + std::to_string(::getpid()));
  std::ofstream(file) << "wrong\n";
  const auto r = run_send(
      {"--port", port_of(server), "--login", "staff", "--password-file", file.string(), kScStatus},
      "secret");
  std::filesystem::remove(file);
  BOOST_TEST(r.status == 3, r.out + r.err);
  BOOST_TEST(r.err.find("login refused") != std::string::npos, r.err);
  BOOST_TEST(server.received() == std::vector<std::string>{"9300CNstaff|COwrong|"});
}

BOOST_AUTO_TEST_CASE(error_detection_numbers_messages_zero_to_nine_and_checksums_them) {
  FakeSip2Server server;
  std::vector<std::string> args{"--port", port_of(server), "--json", "--error-detection"};
  for (int i = 0; i < 11; ++i)
    args.emplace_back(kScStatus);
  const auto r = run_send(args);
  BOOST_TEST(r.status == 0, r.err);
  const auto frames = server.received();
  const auto lines = json_lines(r.out);
  BOOST_TEST_REQUIRE(frames.size() == 11u);
  BOOST_TEST_REQUIRE(lines.size() == 11u);
  sip2::Dialect on;
  on.error_detection = sip2::ErrorDetection::on;
  for (int i = 0; i < 11; ++i) {
    BOOST_TEST_CONTEXT(frames[i]) {
      const auto m = sip2::decode(frames[i], on);
      BOOST_TEST_REQUIRE(m.has_value());
      BOOST_TEST(m->sequence.value_or(-1) == i % 10);
      BOOST_TEST(m->checksum_valid.value_or(false));
      BOOST_TEST(lines[i]["sequence"] == std::to_string(i % 10));
      BOOST_TEST(lines[i]["checksum_valid"] == true);
    }
  }
}

BOOST_AUTO_TEST_CASE(now_placeholder_becomes_the_current_sip_date) {
  FakeSip2Server server;
  const auto r = run_send({"--port", port_of(server), "23000{now}AOMAIN|AA1234|"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST_REQUIRE(server.received().size() == 1u);
  const auto frame = server.received()[0];
  BOOST_TEST(frame.find("{now}") == std::string::npos);
  const auto date = sip2::parse_timestamp(frame.substr(5, sip2::kDateWidth));
  BOOST_TEST_REQUIRE(date.has_value(), frame);
  BOOST_TEST(date->year >= 2024);
  BOOST_TEST(frame.substr(13, 4) == "    ");
  BOOST_TEST(frame.substr(5 + sip2::kDateWidth) == "AOMAIN|AA1234|");
}

BOOST_AUTO_TEST_CASE(undecodable_response_exits_with_status_one_after_the_rest_is_sent) {
  FakeSip2Server server;
  const auto r = run_send({"--port", port_of(server), "--json",
                           "6300020261123    101500          AOMAIN|AA1234|", kScStatus});
  BOOST_TEST(r.status == 1, r.err);
  const auto lines = json_lines(r.out);
  BOOST_TEST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0]["ok"] == false);
  BOOST_TEST(lines[0]["error"].is_string());
  BOOST_TEST(lines[1]["ok"] == true);
}

BOOST_AUTO_TEST_CASE(missing_response_times_out_with_status_one) {
  FakeSip2Server server;
  const auto r = run_send({"--port", port_of(server), "--timeout", "0.3",
                           "1700020261123    101500AOMAIN|"
                           "ABitem1|"});
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err.find("timed out") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(refused_connection_exits_with_status_four) {
  const auto r = run_send({"--port", closed_port(), kScStatus});
  BOOST_TEST(r.status == 4);
  BOOST_TEST(r.err.find("refused") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(tls_trusts_a_self_signed_server_certificate_given_as_ca) {
  const auto& certs = test_certificates();
  auto server = tls_server(certs.self_signed_cert, certs.self_signed_key);
  const auto r = run_send({"--port", port_of(server), "--host", "localhost", "--tls", "--ca",
                           certs.self_signed_cert, "--json", kScStatus});
  BOOST_TEST(r.status == 0, r.err);
  const auto lines = json_lines(r.out);
  BOOST_TEST_REQUIRE(lines.size() == 1u);
  BOOST_TEST(lines[0]["command"] == "98");
  BOOST_TEST(server.received() == std::vector<std::string>{kScStatus});
}

BOOST_AUTO_TEST_CASE(tls_verifies_a_chain_to_the_given_ca) {
  const auto& certs = test_certificates();
  auto server = tls_server(certs.issued_cert, certs.issued_key);
  const auto r = run_send({"--port", port_of(server), "--host", "localhost", "--tls", "--ca",
                           certs.ca_cert, "--json", kScStatus});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(json_lines(r.out).size() == 1u);
}

BOOST_AUTO_TEST_CASE(tls_without_trust_fails_verification_with_status_four) {
  const auto& certs = test_certificates();
  auto server = tls_server(certs.self_signed_cert, certs.self_signed_key);
  const auto r = run_send({"--port", port_of(server), "--host", "localhost", "--tls", kScStatus});
  BOOST_TEST(r.status == 4, r.out);
  BOOST_TEST(r.err.find("verification failed") != std::string::npos, r.err);
  BOOST_TEST(server.received().empty());
}

BOOST_AUTO_TEST_CASE(tls_checks_the_name_in_the_certificate) {
  const auto& certs = test_certificates();
  auto server = tls_server(certs.issued_cert, certs.issued_key);
  const auto wrong = run_send({"--port", port_of(server), "--host", "127.0.0.1", "--tls", "--ca",
                               certs.ca_cert, kScStatus});
  BOOST_TEST(wrong.status == 4);
  BOOST_TEST(wrong.err.find("verification failed") != std::string::npos, wrong.err);
  const auto named = run_send({"--port", port_of(server), "--host", "127.0.0.1", "--server-name",
                               "localhost", "--tls", "--ca", certs.ca_cert, kScStatus});
  BOOST_TEST(named.status == 0, named.err);
}

BOOST_AUTO_TEST_CASE(insecure_tls_skips_verification_and_names_the_protocol) {
  const auto& certs = test_certificates();
  auto server = tls_server(certs.self_signed_cert, certs.self_signed_key);
  const auto r = run_send({"--port", port_of(server), "--tls", "--insecure", kScStatus});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out.find("== connected: TLS v1.2 ") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("<< 98 ACS status response") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(pretty_output_names_fields_and_flags_without_colour_when_piped) {
  FakeSip2Server server;
  const auto r = run_send({"--port", port_of(server), kScStatus, kPatronStatus});
  BOOST_TEST(r.status == 0, r.err);
  for (const char* expected :
       {">> 99 SC status request", "<< 98 ACS status response", "online status: yes",
        "AF screen message: Welcome", "BX supported messages: YYYYYYYYYYYYYYYY",
        "patron status: card reported lost", "language: 001 (English)",
        "transaction date: 2026-11-23 10:15:00", "BL valid patron: yes", " ms"}) {
    BOOST_TEST(r.out.find(expected) != std::string::npos, expected << " in\n" << r.out);
  }
  BOOST_TEST(r.out.find('\x1b') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_with_status_two) {
  const std::vector<std::vector<std::string>> cases = {
      {kScStatus},                                    // no --port
      {"--port", "0", kScStatus},                     // bad port
      {"--port", "1"},                                // nothing to send
      {"--port", "1", "--password", "x", kScStatus},  // password on the command line
      {"--port", "1", "--insecure", kScStatus},       // --insecure without --tls
      {"--port", "1", "--tls", "--insecure", "--ca", "f", kScStatus},
      {"--port", "1", "--bogus", kScStatus},
      {"--port", "1", "--terminator", "nul", kScStatus},
      {"--port", "1", "--login", "staff", kScStatus},    // no password anywhere
      {"--port", "1", "23000{institution}", kScStatus},  // placeholder without its option
  };
  for (const auto& args : cases) {
    const auto r = run_send(args);
    BOOST_TEST(r.status == 2, args.size() << " args: " << r.err);
    BOOST_TEST(r.err.find("--help") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(help_prints_the_usage) {
  const auto r = run_send({"--help"});
  BOOST_TEST(r.status == 0);
  for (const char* expected :
       {"--port P", "--tls", "--ca FILE", "--insecure", "--login USER", "--password-file FILE",
        "SIP2_PASSWORD", "--error-detection", "--json", "--show-wire", "{now}", "exit status"}) {
    BOOST_TEST(r.out.find(expected) != std::string::npos, expected);
  }
}

BOOST_AUTO_TEST_SUITE_END()
