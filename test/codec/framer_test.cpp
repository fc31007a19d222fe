// The framer: split reads, pipelining, terminators, limits and resynchronisation.
#define BOOST_TEST_MODULE sip2_framer
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sip2/framer.hpp"
#include "vector_support.hpp"

namespace {

struct Collected {
  std::vector<std::string> frames;
  std::vector<std::string> errors;
};

void drain(sip2::Framer& f, Collected& out) {
  for (;;) {
    auto e = f.next();
    if (e.status == sip2::Framer::Status::need_more) return;
    if (e.status == sip2::Framer::Status::frame) out.frames.emplace_back(e.frame);
    if (e.status == sip2::Framer::Status::error) out.errors.push_back(e.error.message());
  }
}

Collected feed_all(const std::vector<std::string>& chunks, sip2::FramerOptions o = {}) {
  sip2::Framer f(o);
  Collected c;
  for (const auto& ch : chunks) {
    f.feed(ch);
    drain(f, c);
  }
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_vector_split_at_every_byte_yields_the_same_frame) {
  for (const auto& v : sip2::test::load_vectors()) {
    const std::string wire = v["raw"].get<std::string>() + "\r";
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
      const auto c = feed_all({wire.substr(0, cut), wire.substr(cut)});
      BOOST_TEST_REQUIRE(c.frames.size() == 1u);
      BOOST_TEST(c.frames[0] == v["raw"].get<std::string>());
      BOOST_TEST(c.errors.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(all_vectors_in_one_read_yield_every_frame_in_order) {
  std::string wire;
  std::vector<std::string> expected;
  for (const auto& v : sip2::test::load_vectors()) {
    expected.push_back(v["raw"]);
    wire += expected.back() + "\r\n";
  }
  const auto c = feed_all({wire});
  BOOST_TEST(c.frames == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_frame_byte_by_byte_is_delivered_once_complete) {
  const std::string wire = "9900302.00AY1AZFCA5\r";
  std::vector<std::string> bytes;
  for (char ch : wire)
    bytes.emplace_back(1, ch);
  const auto c = feed_all(bytes);
  BOOST_TEST_REQUIRE(c.frames.size() == 1u);
  BOOST_TEST(c.frames[0] == "9900302.00AY1AZFCA5");
}

BOOST_AUTO_TEST_CASE(crlf_and_a_stray_leading_lf_are_tolerated) {
  const auto c = feed_all({"9300CNa|COb|\r\n", "\n2300120060101    084237AOBR1|AA9|\r"});
  BOOST_TEST_REQUIRE(c.frames.size() == 2u);
  BOOST_TEST(c.frames[0] == "9300CNa|COb|");
  BOOST_TEST(c.frames[1] == "2300120060101    084237AOBR1|AA9|");
}

BOOST_AUTO_TEST_CASE(a_bare_lf_ends_a_frame_unless_disabled) {
  BOOST_TEST(feed_all({"97\n"}).frames.size() == 1u);
  sip2::FramerOptions o;
  o.accept_lf = false;
  BOOST_TEST(feed_all({"97\n"}, o).frames.empty());
}

BOOST_AUTO_TEST_CASE(an_empty_frame_is_reported_as_an_empty_frame) {
  const auto c = feed_all({"\r97\r"});
  BOOST_TEST_REQUIRE(c.frames.size() == 2u);
  BOOST_TEST(c.frames[0].empty());
}

BOOST_AUTO_TEST_CASE(rejects_frame_longer_than_limit_and_resynchronises) {
  sip2::FramerOptions o;
  o.max_frame_length = 16;
  const auto c = feed_all({std::string(40, 'A'), std::string(40, 'B'), "\r97\r"}, o);
  BOOST_TEST(c.errors == std::vector<std::string>{"frame_too_long"},
             boost::test_tools::per_element());
  BOOST_TEST(c.frames == std::vector<std::string>{"97"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rejects_overlong_frame_that_arrives_whole) {
  sip2::FramerOptions o;
  o.max_frame_length = 4;
  const auto c = feed_all({"123456\r97\r"}, o);
  BOOST_TEST(c.errors.size() == 1u);
  BOOST_TEST(c.frames == std::vector<std::string>{"97"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(default_limit_is_eight_kibibytes) {
  BOOST_TEST(sip2::FramerOptions{}.max_frame_length == 8192u);
  const auto ok = feed_all({std::string(8192, 'A') + "\r"});
  BOOST_TEST(ok.frames.size() == 1u);
  const auto too_long = feed_all({std::string(8193, 'A') + "\r"});
  BOOST_TEST(too_long.errors.size() == 1u);
}

BOOST_AUTO_TEST_CASE(rejects_frame_with_nul_and_keeps_the_next) {
  const auto c =
      feed_all({std::string("99\0"
                            "00302.00\r97\r",
                            15)});
  BOOST_TEST(c.errors == std::vector<std::string>{"nul_byte"}, boost::test_tools::per_element());
  BOOST_TEST(c.frames == std::vector<std::string>{"97"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(no_terminator_means_need_more_and_a_partial_frame) {
  sip2::Framer f;
  f.feed("9300CNuser|");
  BOOST_TEST((f.next().status == sip2::Framer::Status::need_more));
  BOOST_TEST(f.has_partial_frame());
  f.feed("\r");
  BOOST_TEST((f.next().status == sip2::Framer::Status::frame));
  BOOST_TEST(!f.has_partial_frame());
}

BOOST_AUTO_TEST_CASE(garbage_between_frames_becomes_its_own_frame) {
  const auto c = feed_all({"97\r\x01\x02garbage\r97\r"});
  BOOST_TEST(c.frames.size() == 3u);
}

BOOST_AUTO_TEST_CASE(overlong_frame_ended_by_lf_resynchronises_whatever_the_read_size) {
  // Found by fuzzing: a LF arriving after the skip started ends the overlong frame.
  const std::vector<std::string> pieces = {"123456789", "\n", "93ok\r"};
  auto c = feed_all(pieces, {.max_frame_length = 4});
  BOOST_TEST(c.errors.size() == 1u);
  BOOST_TEST_REQUIRE(c.frames.size() == 1u);
  BOOST_TEST(c.frames[0] == "93ok");
}
