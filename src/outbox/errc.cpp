// The "outbox" error category.
#include "outbox/errc.hpp"

#include <string>

namespace outbox {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "outbox"; }

  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::ok:
        return "ok";
      case errc::not_found:
        return "no such job";
      case errc::wrong_state:
        return "the job's state does not allow that";
      case errc::unreadable:
        return "unreadable journal record";
      case errc::stopped:
        return "the outbox is stopping";
    }
    return "unknown outbox error";
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

}  // namespace outbox
