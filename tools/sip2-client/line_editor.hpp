// Interactive line input on a terminal (libedit): editing, history, tab completion, idle work.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct editline;
struct history;

namespace sip2_client {

class LineEditor {
 public:
  struct Hooks {
    /// How long input may be awaited before on_idle is due (nullopt: no idle work).
    std::function<std::optional<std::chrono::milliseconds>()> idle_after;
    /// Called while waiting for input once idle_after has passed; true when it printed (the
    /// prompt and the line typed so far are then shown again).
    std::function<bool()> on_idle;
    /// Candidates for the word being typed, given the complete words before it.
    std::function<std::vector<std::string>(std::span<const std::string>, std::string_view)>
        complete;
  };

  /// Reads from standard input, which must be a terminal. With `history_file`, the history is
  /// loaded from it and saved to it (mode 0600) as lines are added.
  LineEditor(const char* program, Hooks hooks, std::optional<std::string> history_file);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// The next line, without its newline; nullopt at the end of input (Ctrl-D).
  [[nodiscard]] std::optional<std::string> read(const std::string& prompt);
  /// Adds a line to the history (the caller removes secrets first).
  void remember(const std::string& line);

  /// Reads one line from the terminal without echo (for passwords and PINs).
  [[nodiscard]] static std::optional<std::string> read_hidden(std::string_view prompt);

  // Called from libedit's C callbacks.
  int next_char(wchar_t* out);
  unsigned char complete_word();
  const char* prompt_text() const { return prompt_.c_str(); }

 private:
  editline* el_ = nullptr;
  history* history_ = nullptr;
  Hooks hooks_;
  std::optional<std::string> history_file_;
  std::string prompt_;
};

}  // namespace sip2_client
