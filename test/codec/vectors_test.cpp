// Every third-party vector: decoding, strictness, lenient reading and round trip.
#define BOOST_TEST_MODULE sip2_vectors
#include <boost/test/unit_test.hpp>

#include "vector_support.hpp"

using sip2::test::annotate;

namespace {

const nlohmann::json& vectors() {
  static const nlohmann::json v = sip2::test::load_vectors();
  return v;
}

nlohmann::json checksum_valid(const sip2::Message& m) {
  return m.checksum_valid ? nlohmann::json(*m.checksum_valid) : nlohmann::json(nullptr);
}

}  // namespace

BOOST_AUTO_TEST_CASE(vector_file_holds_all_entries) {
  BOOST_TEST(vectors().size() == 123u);
}

BOOST_AUTO_TEST_CASE(well_formed_vectors_decode_to_their_annotation_in_strict_mode) {
  for (const auto& v : vectors()) {
    if (v.value("malformed", false)) continue;
    const std::string raw = v["raw"];
    BOOST_TEST_CONTEXT(raw) {
      const auto m = sip2::decode(raw, sip2::test::utf8_dialect(), sip2::Mode::strict);
      BOOST_TEST_REQUIRE(m.has_value(), "error " << (m ? "" : m.error().code.message()) << " at "
                                                 << (m ? 0 : m.error().offset));
      BOOST_TEST(m->command == v["command"].get<std::string>());
      BOOST_TEST(annotate(*m).dump() == v["fields"].dump());
      BOOST_TEST(checksum_valid(*m) == v["checksum_valid"]);
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_vectors_get_a_named_error_in_strict_mode) {
  for (const auto& v : vectors()) {
    if (!v.value("malformed", false)) continue;
    const std::string raw = v["raw"];
    BOOST_TEST_CONTEXT(raw) {
      const auto m = sip2::decode(raw, sip2::test::utf8_dialect(), sip2::Mode::strict);
      BOOST_TEST_REQUIRE(!m.has_value());
      BOOST_TEST((&m.error().code.category() == &sip2::error_category()));
      BOOST_TEST(m.error().offset <= raw.size());
      BOOST_TEST(m.error().code.message() != "unknown_error");
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_vectors_read_as_documented_in_lenient_mode) {
  for (const auto& v : vectors()) {
    if (!v.value("malformed", false)) continue;
    const std::string raw = v["raw"];
    BOOST_TEST_CONTEXT(raw) {
      const auto m = sip2::decode(raw, sip2::test::utf8_dialect(), sip2::Mode::lenient);
      BOOST_TEST_REQUIRE(m.has_value());
      BOOST_TEST(m->command == v["command"].get<std::string>());
      BOOST_TEST(annotate(*m).dump() == v["fields"].dump());
      BOOST_TEST(checksum_valid(*m) == v["checksum_valid"]);
    }
  }
}

BOOST_AUTO_TEST_CASE(code_point_checksum_verifies_under_the_code_point_basis) {
  // The PHP issue #8 server summed code points; a 3M-style dialect accepts it.
  for (const auto& v : vectors()) {
    const std::string notes = v.value("notes", "");
    if (notes.find("the sender summed characters") == std::string::npos) continue;
    auto d = sip2::test::utf8_dialect();
    d.checksum_basis = sip2::ChecksumBasis::code_points;
    const auto m = sip2::decode(v["raw"].get<std::string>(), d, sip2::Mode::strict);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(*m->checksum_valid);
  }
}

BOOST_AUTO_TEST_CASE(well_formed_vectors_survive_decode_encode_decode) {
  const auto d = sip2::test::utf8_dialect();
  for (const auto& v : vectors()) {
    if (v.value("malformed", false)) continue;
    const std::string raw = v["raw"];
    BOOST_TEST_CONTEXT(raw) {
      const auto first = sip2::decode(raw, d, sip2::Mode::strict);
      BOOST_TEST_REQUIRE(first.has_value());
      sip2::EncodeOptions opts;
      opts.error_detection = first->checksum.has_value();
      opts.sequence = first->sequence.value_or(0);
      const auto wire = sip2::encode(*first, d, opts);
      BOOST_TEST_REQUIRE(wire.has_value());
      const auto second = sip2::decode(*wire, d, sip2::Mode::strict);
      BOOST_TEST_REQUIRE(second.has_value(), *wire);
      BOOST_TEST(second->command == first->command);
      BOOST_TEST(second->fixed == first->fixed);
      BOOST_TEST((second->fields == first->fields));
      BOOST_TEST((second->sequence == first->sequence));
      if (first->checksum) BOOST_TEST(*second->checksum_valid);
    }
  }
}
