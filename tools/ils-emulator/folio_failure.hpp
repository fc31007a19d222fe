// FOLIO's error responses: 422 `errors[]` bodies, fee-action errors and plain-text statuses.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace ils_emulator {

/// One entry of a 422 `errors[]` body (mod-circulation ValidationError).
struct ValidationError {
  std::string message;                                          ///< FOLIO's message text
  std::vector<std::pair<std::string, std::string>> parameters;  ///< key/value pairs
  std::string code;  ///< ErrorCode, empty when FOLIO sends none
};

/// A refused call: HTTP status plus either a JSON body or a text/plain body.
struct FolioFailure {
  int status = 500;     ///< HTTP status
  nlohmann::json body;  ///< JSON body, or null for text
  std::string text;     ///< text/plain body when `body` is null
};

/// The result of a model operation: the JSON to send on success, or the failure.
using FolioResult = tl::expected<nlohmann::json, FolioFailure>;

/// 422 `{"errors":[...]}` from one or more validation errors.
[[nodiscard]] FolioFailure validation_failure(const std::vector<ValidationError>& errors);

/// A text/plain failure (RMB modules answer 400/404/500 this way).
[[nodiscard]] FolioFailure text_failure(int status, std::string text);

/// The JSON form of one validation error.
[[nodiscard]] nlohmann::json to_json(const ValidationError& error);

}  // namespace ils_emulator
