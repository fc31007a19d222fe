// The JSON form of a SIP2 message, as sip2-client prints and reads it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "sip2/codec.hpp"

namespace sip2_client {

/// {"ok":true,"command","name","fixed":{name:value},"fields":{code:value|[values]},
///  "sequence","checksum","checksum_valid"}; AY/AZ only as sequence/checksum.
nlohmann::ordered_json to_json(const sip2::Message& m);

/// {"ok":false,"error":"<errc name>","offset":N}
nlohmann::ordered_json error_json(const sip2::DecodeError& e);

/// Reads the form to_json writes (ok/name/sequence/checksum are ignored). Errors name the JSON
/// path: "fixed.ok: missing".
tl::expected<sip2::Message, std::string> from_json(const nlohmann::ordered_json& j);

}  // namespace sip2_client
