// Assertions the integration tests share: an answer must arrive, with the expected command.
#pragma once

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "sip2/message.hpp"
#include "sip_client.hpp"

namespace integration {

/// The decoded answer; the test stops when there is none.
inline sip2::Message answer(const tl::expected<sip2::Message, std::string>& r) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error()));
  return *r;
}

/// The decoded answer, which must be a `command` message.
inline sip2::Message answer(const tl::expected<sip2::Message, std::string>& r,
                            std::string_view command) {
  auto m = answer(r);
  BOOST_REQUIRE_MESSAGE(m.command == command,
                        "expected a " << command << ", got " << m.command << " AF: " << screen(m));
  return m;
}

}  // namespace integration
