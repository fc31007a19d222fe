// The gateway's one LMDB environment (store.dir): the identity cache's and the outbox's
// databases, opened once and shared by the gateway and the `cache` and `outbox` commands.
#pragma once

#include <memory>
#include <string>
#include <tl/expected.hpp>

#include "config/config.hpp"
#include "store/store.hpp"

namespace server {

/// Opens (creating) the store with every database the gateway uses; errors read
/// "store.dir: reason".
[[nodiscard]] tl::expected<std::unique_ptr<store::Env>, std::string> open_store(
    const config::Config& cfg);

/// "store: reason" when the store cannot take writes (disk or map full, I/O), else empty.
[[nodiscard]] std::string store_fault(const store::Env& env);

}  // namespace server
