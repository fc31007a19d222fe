// The "ils" error category.
#include "ils/errc.hpp"

namespace ils {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ils"; }

  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::not_found:
        return "not found";
      case errc::rejected:
        return "rejected by the library system";
      case errc::unavailable:
        return "library system unavailable";
      case errc::timeout:
        return "library system call timed out";
      case errc::unauthorized:
        return "library system refused the gateway's credentials";
      case errc::bad_response:
        return "unreadable answer from the library system";
      case errc::invalid_identifier:
        return "invalid identifier";
      case errc::not_supported:
        return "not supported by this library system";
      case errc::insufficient_time:
        return "change not started: too little time left before the deadline";
    }
    return "unknown ils error";
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const Category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

}  // namespace ils
