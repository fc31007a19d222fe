// How jobs are laid out in LMDB: the byte keys of the journal's indexes, and a job record, which
// is a plain part (JSON: state, times, pseudonyms, reason) followed by the sealed request and
// result. A sealed part is: 4-byte big-endian key version ‖ AES-256/GCM(nonce ‖ ciphertext ‖
// tag), with associated data "ob.<part>" ‖ job key ‖ version, so a part cannot be moved to
// another job or relabelled without failing to open.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/key_ring.hpp"
#include "outbox/job.hpp"

namespace outbox {

/// 8 bytes big-endian (keys sort numerically).
[[nodiscard]] std::string be64(std::uint64_t v);
/// The value of 8 big-endian bytes at `at`; 0 when `s` is too short.
[[nodiscard]] std::uint64_t read_be64(std::string_view s, std::size_t at = 0);
[[nodiscard]] std::uint64_t ms_of(Time t);
[[nodiscard]] Time time_of_ms(std::uint64_t ms);

[[nodiscard]] std::string key_bytes(const Key& key);
[[nodiscard]] std::string due_key(Time next, std::uint64_t id);
/// The value of a due entry: the job's patron and item pseudonyms (for the order check without
/// reading the record); due_parties reads them back into a Job's patron and item.
[[nodiscard]] std::string due_value(const Job& job);
void due_parties(std::string_view value, Job& job);
/// The ob.order prefix of an item ('i') or patron ('p') and its unfinished jobs ('o') or all
/// its jobs ('h'): both lists of one party sit side by side, so a job touches one page each.
[[nodiscard]] std::string order_prefix(char kind, std::string_view pseudonym, char list);
[[nodiscard]] std::string state_key(State s, std::uint64_t id);
/// kind 's' (still holds sealed parts) or 'k' (still holds its key).
[[nodiscard]] std::string purge_key(char kind, Time finished, std::uint64_t id);

class RecordCodec {
 public:
  explicit RecordCodec(std::shared_ptr<const crypto::KeyRing> keys);

  /// `part` is "args" or "result".
  [[nodiscard]] std::string seal(std::string_view part, const Key& key,
                                 std::string_view plain) const;
  /// nullopt when the version was retired, or the value was moved or tampered with.
  [[nodiscard]] std::optional<std::string> open(std::string_view part, const Key& key,
                                                std::string_view sealed) const;

  /// The plain part of a record (everything but args and result).
  [[nodiscard]] static std::string plain(const Job& job);
  /// Reads a plain part into `job` (id, args and result untouched); false when malformed.
  [[nodiscard]] static bool read_plain(std::string_view text, Job& job);

  struct Parts {
    std::string_view plain;
    std::string_view args;    ///< sealed; empty once purged
    std::string_view result;  ///< sealed; empty until delivered, or once purged
  };
  [[nodiscard]] static std::optional<Parts> split(std::string_view record);
  [[nodiscard]] static std::string join(std::string_view plain, std::string_view args,
                                        std::string_view result);

  /// The job of a record, with args and result opened when `open_sealed` (a part that does
  /// not open, say sealed under a retired key version, reads as purged). nullopt if malformed.
  [[nodiscard]] std::optional<Job> decode(std::uint64_t id, std::string_view record,
                                          bool open_sealed) const;

 private:
  std::shared_ptr<const crypto::KeyRing> keys_;
};

}  // namespace outbox
