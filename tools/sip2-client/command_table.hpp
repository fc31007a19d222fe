// The client's commands: names, arguments and help, for `help`, tab completion and the man page.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sip2_client {

struct CommandInfo {
  std::string_view name;
  std::string_view arguments;  ///< "ITEM", "[charged|overdue|...]"; empty when none
  std::string_view message;    ///< the SIP2 request it sends ("11"), empty for session commands
  std::string_view summary;    ///< one line
  std::span<const std::string_view> choices;  ///< words that complete its first argument
};

/// Every command, in the order `help` lists them.
[[nodiscard]] std::span<const CommandInfo> commands();
/// The command called `name`, or nullptr.
[[nodiscard]] const CommandInfo* find_command_info(std::string_view name);

/// `help`: every command with its arguments and summary; `help NAME`: that one, with the
/// expect syntax for `help expect`.
[[nodiscard]] std::string help_text(std::string_view name = {});

/// The candidates for the word being typed: command names for the first word, the command's
/// choices (or `set` keys) for the second. `words_before` are the complete words before it.
[[nodiscard]] std::vector<std::string> completions(std::span<const std::string> words_before,
                                                   std::string_view prefix);

}  // namespace sip2_client
