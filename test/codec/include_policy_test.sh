#!/bin/sh
# Fails when a file under sip2/ includes Asio, spdlog, nlohmann, LMDB, Botan, curl or date/tz.
dir="$1"
if grep -rnE '^\s*#\s*include\s*[<"](asio|boost/asio|spdlog|fmt/|nlohmann|lmdb|botan|curl|date/)' "$dir"; then
  echo "sip2/ must stay sans-I/O"
  exit 1
fi
echo "sip2/ includes only the standard library (and tl::expected)"
