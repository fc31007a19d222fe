// Interactive line input on a terminal (libedit): editing, history, tab completion, idle work.
#include "line_editor.hpp"

#include <histedit.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cwchar>

#include "words.hpp"

namespace sip2_client {
namespace {

LineEditor* self(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor*>(data);
}

int get_char(EditLine* el, wchar_t* out) {
  return self(el)->next_char(out);
}
unsigned char complete(EditLine* el, int) {
  return self(el)->complete_word();
}
char* prompt(EditLine* el) {
  return const_cast<char*>(self(el)->prompt_text());
}

std::string common_prefix(const std::vector<std::string>& words) {
  std::string prefix = words.front();
  for (const auto& w : words) {
    std::size_t n = 0;
    while (n < prefix.size() && n < w.size() && prefix[n] == w[n])
      ++n;
    prefix.resize(n);
  }
  return prefix;
}

}  // namespace

LineEditor::LineEditor(const char* program, Hooks hooks, std::optional<std::string> history_file)
    : hooks_(std::move(hooks)), history_file_(std::move(history_file)) {
  el_ = el_init(program, stdin, stdout, stderr);
  history_ = history_init();
  HistEvent ev;
  history(history_, &ev, H_SETSIZE, 1000);
  history(history_, &ev, H_SETUNIQUE, 1);
  if (history_file_) history(history_, &ev, H_LOAD, history_file_->c_str());
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_SIGNAL, 1);
  el_set(el_, EL_HIST, history, history_);
  el_set(el_, EL_PROMPT, prompt);
  el_set(el_, EL_GETCFN, get_char);
  el_set(el_, EL_ADDFN, "sip2-complete", "complete a command or argument", complete);
  el_set(el_, EL_BIND, "^I", "sip2-complete", nullptr);
  el_source(el_, nullptr);  // the user's ~/.editrc
}

LineEditor::~LineEditor() {
  el_end(el_);
  history_end(history_);
}

std::optional<std::string> LineEditor::read(const std::string& text) {
  prompt_ = text;
  int count = 0;
  const char* line = el_gets(el_, &count);
  if (line == nullptr || count <= 0) return std::nullopt;
  std::string out(line, static_cast<std::size_t>(count));
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

void LineEditor::remember(const std::string& line) {
  if (line.find_first_not_of(' ') == std::string::npos) return;
  HistEvent ev;
  history(history_, &ev, H_ENTER, line.c_str());
  if (!history_file_) return;
  const mode_t old = ::umask(077);
  history(history_, &ev, H_SAVE, history_file_->c_str());
  ::umask(old);
}

int LineEditor::next_char(wchar_t* out) {
  std::mbstate_t state{};
  for (;;) {
    int timeout = -1;
    if (hooks_.idle_after) {
      if (const auto wait = hooks_.idle_after())
        timeout = static_cast<int>(std::min<long long>(wait->count(), INT_MAX));
    }
    pollfd p{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return -1;
    if (ready == 0) {
      if (hooks_.on_idle && hooks_.on_idle()) el_set(el_, EL_REFRESH);
      continue;
    }
    char byte = 0;
    const ssize_t n = ::read(STDIN_FILENO, &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0 ? 0 : -1;
    const std::size_t r = std::mbrtowc(out, &byte, 1, &state);
    if (r == static_cast<std::size_t>(-2)) continue;  // more bytes of this character to come
    if (r == static_cast<std::size_t>(-1)) {
      state = {};
      *out = L'?';
    }
    return 1;
  }
}

unsigned char LineEditor::complete_word() {
  if (!hooks_.complete) return CC_ERROR;
  const LineInfo* li = el_line(el_);
  const std::string before(li->buffer, static_cast<std::size_t>(li->cursor - li->buffer));
  auto words = split_words(before);
  if (!words) return CC_REFRESH_BEEP;
  std::string prefix;
  if (!before.empty() && before.back() != ' ' && !words->empty()) {
    prefix = words->back();
    words->pop_back();
  }
  const auto candidates = hooks_.complete(*words, prefix);
  if (candidates.empty()) return CC_REFRESH_BEEP;
  const std::string common = common_prefix(candidates);
  std::string insert = common.substr(prefix.size());
  if (candidates.size() == 1 && !common.ends_with("=") && !common.ends_with("~") &&
      !common.ends_with("<"))
    insert += ' ';
  if (!insert.empty()) {
    el_insertstr(el_, insert.c_str());
    return CC_REFRESH;
  }
  std::fputc('\n', stdout);
  for (const auto& c : candidates)
    std::fprintf(stdout, "%s  ", c.c_str());
  std::fputc('\n', stdout);
  std::fflush(stdout);
  return CC_REDISPLAY;
}

std::optional<std::string> LineEditor::read_hidden(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  termios saved{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool complete = false;
  for (char c = 0; ::read(STDIN_FILENO, &c, 1) == 1;) {
    if (c == '\n' || c == '\r') {
      complete = true;
      break;
    }
    line += c;
  }
  if (tty) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  if (!complete && line.empty()) return std::nullopt;
  return line;
}

}  // namespace sip2_client
