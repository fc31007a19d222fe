// The outbox's staff routes: journal calls answered as JSON.
#include "server/outbox_admin_hooks.hpp"

#include "server/outbox_views.hpp"

namespace server {

namespace {

admin::Reply error_reply(int status, const std::string& what) {
  return {status, json_text({{"error", what}})};
}

admin::Reply unreadable(std::error_code ec) {
  return error_reply(503, "cannot read the outbox journal: " + ec.message());
}

/// The reply to a retry or drop.
admin::Reply changed(StaffAction action, std::uint64_t id, const outbox::Result<outbox::Job>& job,
                     const outbox::Outbox& journal) {
  if (job) return {200, json_text({{"job", job_json(*job)}})};
  const auto& ec = job.error();
  const int status = ec == outbox::errc::not_found     ? 404
                     : ec == outbox::errc::wrong_state ? 409
                                                       : 503;
  return error_reply(status, refusal_text(action, id, ec, journal));
}

}  // namespace

admin::OutboxHooks outbox_admin_hooks(outbox::Outbox& journal) {
  admin::OutboxHooks hooks;
  hooks.exceptions = [&journal](std::uint64_t after, std::size_t limit) -> admin::Reply {
    outbox::Filter filter;
    filter.state = outbox::State::exception;
    filter.after_id = after;
    filter.limit = limit;
    auto jobs = journal.list(filter);
    if (!jobs) return unreadable(jobs.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& job : *jobs)
      list.push_back(job_json(job));
    nlohmann::json next = nullptr;
    if (jobs->size() == limit) next = jobs->back().id;
    return {200, json_text({{"jobs", std::move(list)}, {"next_after", next}})};
  };
  hooks.stats = [&journal]() -> admin::Reply {
    auto stats = journal.stats();
    if (!stats) return unreadable(stats.error());
    return {200, json_text(stats_json(*stats))};
  };
  hooks.retry = [&journal](std::uint64_t id) {
    return changed(StaffAction::retry, id, journal.retry(id), journal);
  };
  hooks.drop = [&journal](std::uint64_t id, const std::string& reason) {
    if (auto problem = reason_problem(reason); !problem.empty()) return error_reply(400, problem);
    return changed(StaffAction::drop, id, journal.drop(id, reason), journal);
  };
  return hooks;
}

}  // namespace server
