// sip2-client's man page: it renders cleanly and documents every command and every option.
#define BOOST_TEST_MODULE sip2_client_man_page
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "client_options.hpp"
#include "command_table.hpp"

namespace {

std::string argument(int index) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  return suite.argc > index ? suite.argv[index] : "";
}

std::string man_page() {
  std::ifstream in(argument(1));
  BOOST_TEST_REQUIRE(in.good(), "cannot read the man page " << argument(1));
  return {std::istreambuf_iterator<char>(in), {}};
}

/// The man page with roff's escaped minus signs read as plain ones.
std::string plain(std::string text) {
  for (auto at = text.find("\\-"); at != std::string::npos; at = text.find("\\-", at))
    text.replace(at, 2, "-");
  return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(documents_every_command) {
  const auto page = plain(man_page());
  for (const auto& c : sip2_client::commands()) {
    const std::regex entry("\\.BI? \"?" + std::string(c.name) + "[ \"\n]");
    BOOST_TEST(std::regex_search(page, entry), "command " << c.name << " is not in the man page");
  }
}

BOOST_AUTO_TEST_CASE(documents_every_option_of_every_subcommand) {
  const auto page = plain(man_page());
  std::set<std::string> options;
  for (const auto purpose :
       {sip2_client::Purpose::send, sip2_client::Purpose::shell, sip2_client::Purpose::replay}) {
    const auto usage = sip2_client::usage_text(purpose);
    const std::regex option("--[a-z][a-z-]*");
    for (auto it = std::sregex_iterator(usage.begin(), usage.end(), option);
         it != std::sregex_iterator(); ++it)
      options.insert(it->str());
  }
  BOOST_TEST(options.size() > 20u);
  for (const auto& o : options)
    BOOST_TEST(page.find(o) != std::string::npos, "option " << o << " is not in the man page");
}

BOOST_AUTO_TEST_CASE(renders_without_warnings) {
  const auto groff = argument(2);
  if (groff.empty()) {
    BOOST_TEST_MESSAGE("groff is not installed: rendering not checked");
    return;
  }
  const auto command = groff + " -man -Tutf8 -ww -z '" + argument(1) + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_TEST_REQUIRE(pipe != nullptr);
  std::string warnings;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
    warnings += buffer;
  BOOST_TEST(::pclose(pipe) == 0);
  BOOST_TEST(warnings.empty(), warnings);
}
