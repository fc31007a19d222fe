// What a firmware profile changes in the handlers' answers; the codec's part is sip2::Dialect.
#pragma once

#include <bitset>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "profiles/fields.hpp"
#include "profiles/normalize.hpp"

namespace profiles {

/// Read from the profile's sections by ProfileRegistry; the defaults are the built-in baseline.
struct Behaviour {
  struct Checkin {
    bool ct_always = false;          ///< checkin.ct.always_send: CT even without a destination
    bool cv_00_on_success = false;   ///< checkin.cv.send_00_on_success: CV 00 without an alert
    bool message_on_success = true;  ///< checkin.screen_message_on_success: AF on a plain return
    bool patron_aa = true;           ///< checkin.return_patron_aa: AA of the loan's patron
    /// checkin.ok_when_not_checked_out: a return of an item that was not on loan answers ok
    /// (true), or ok=0 with a screen message saying so (false; the library system has still
    /// checked it in, as Koha does without checked_in_ok).
    bool ok_when_not_on_loan = true;
    bool alert_on_failure = false;  ///< checkin.alert.on_failure: alert=Y on a refused return
    /// checkin.alert.only_when_cv_present: alert=Y only with a CV other than 00 (a refusal
    /// without a CV then raises none).
    bool alert_only_with_cv = false;
    /// checkin.resensitize: ils_decides (N while a hold is trapped), or always_on_success.
    bool resensitize_always = false;
    /// checkin.cv.codes: the CV sent for each alert the library system reports.
    struct Codes {
      std::uint8_t hold_here = 1;       ///< held for a patron at this library
      std::uint8_t hold_elsewhere = 2;  ///< held for a patron at another pickup point (in transit)
      std::uint8_t transit = 4;         ///< sent to another library, no hold
      std::uint8_t other = 99;          ///< any other alert
      bool operator==(const Codes&) const = default;
    } codes;
    /// checkin.reject_item_statuses: item statuses a return is refused for (the library
    /// system's status name, or the gateway's: lost, missing, claimed_returned, ...).
    std::vector<std::string> reject_statuses;
    /// checkin.sort_bin_cl: the first rule whose condition holds gives the CL of a return;
    /// default_bin otherwise (no CL when empty).
    struct SortRule {
      enum class Attribute : std::uint8_t {
        location,
        permanent_location,
        material_type,
        call_number,
        cv,
        destination
      };
      enum class Op : std::uint8_t { eq, ne, lt, gt, prefix, regex };
      Attribute attribute = Attribute::location;
      Op op = Op::eq;
      std::string value;
      std::shared_ptr<const std::regex> re;  ///< compiled value of a regex rule
      std::string bin;
      bool operator==(const SortRule& o) const {
        return attribute == o.attribute && op == o.op && value == o.value && bin == o.bin;
      }
    };
    std::vector<SortRule> sort_rules;
    std::string default_bin;
    bool operator==(const Checkin&) const = default;
  } checkin;
  struct Session {
    bool reject_encrypted_login = true;  ///< session.reject_encrypted_login
    bool relogin = true;                 ///< session.relogin_on_same_connection
    std::string pre_login_institution;   ///< session.sc_status_before_login.institution_id
    std::string location_fallback;       ///< session.location_code_fallback: CP when none sent
    bool operator==(const Session&) const = default;
  } session;
  /// A kiosk's offline transactions (`offline`): which requests are replays and how they are
  /// applied. A replay is accepted only from an account with offline_ok.
  struct Offline {
    /// offline.device_store_and_forward: which operations the device stores and replays (a
    /// no-block or old-dated request of another kind is taken as a live one).
    bool checkin_replays = true;
    bool checkout_replays = true;
    /// offline.checkout_no_block: a replayed checkout goes past the patron's blocks (force),
    /// and a warning names the forced job (report); apply_blocks refuses it like a live one.
    bool checkout_force = true;
    bool checkout_report = true;
    bool checkin_force = true;     ///< offline.checkin_no_block: force (09 no-block is a replay)
    bool trust_nb_due = true;      ///< offline.nb_due_date: trust_device, or recompute
    bool kiosk_event_time = true;  ///< offline.event_time: transaction_date, or receive_time
    /// offline.detect_unflagged_replay: an old transaction date marks a replay; the age
    /// defaults to the config's outbox.offline.replay_min_age_seconds.
    bool detect_unflagged = true;
    std::optional<std::chrono::seconds> unflagged_min_age;
    /// offline.stale_event_guard: what a replay finds when the item was lent after it.
    enum class StaleGuard : std::uint8_t { none, skip, apply_and_flag };
    StaleGuard stale_guard = StaleGuard::skip;
    /// offline.exceptions: a job that cannot succeed is logged, queued for staff, or both.
    enum class Exceptions : std::uint8_t { log, queue, log_and_queue };
    Exceptions exceptions = Exceptions::log_and_queue;
    /// offline.idempotency_window_s: checked at start against the journal's key window.
    std::optional<std::chrono::seconds> idempotency_window;
    bool operator==(const Offline&) const = default;
  } offline;
  /// Checkout answers (`checkout`).
  struct Checkout {
    /// checkout.desensitize: ils_decides (yes unless the item's material type is magnetic
    /// media, which a desensitizer can damage), always_on_success, never.
    enum class Desensitize : std::uint8_t { by_material, always_on_success, never };
    Desensitize desensitize = Desensitize::by_material;
    /// checkout.no_desensitize_patron_categories: patron groups never desensitized for.
    std::vector<std::string> no_desensitize_groups;
    bool magnetic_from_ils = true;  ///< checkout.magnetic_media: report_from_ils, or always U
    bool media_type_ck = false;     ///< checkout.send_media_type_ck: CK from the material type
    /// checkout.failure_includes_title: a refused checkout of a known item names its title (AJ).
    bool title_in_failure = true;
    /// checkout.blocked_item_types: material types a kiosk may not lend (refused before the
    /// library system is asked).
    std::vector<std::string> blocked_types;
    /// checkout.in_house_only_item_types: material types lent for use in the library only:
    /// the loan is made, the item stays sensitized and the screen says so.
    std::vector<std::string> in_house_types;
    /// checkout.already_on_loan_to_same_patron: a re-scan of an item the patron has is renewed
    /// (when the kiosk's SC renewal policy allows it), or refused (reject).
    bool renew_on_rescan = true;
    /// checkout.show_outstanding_amount: a loan's screen adds what the patron owes, if anything.
    bool show_outstanding = false;
    bool operator==(const Checkout&) const = default;
  } checkout;
  /// Fee lines and payments (`fees`).
  struct Fees {
    /// fees.av_format: how a 64's AV line reads (the fee id first: kiosks send it back in CG).
    /// plain: "id amount type title"; quoted_type (id_amount_type_title, MK): the type in
    /// quotes; dollar (3m, swyer_a): "id $amount "TYPE" title"; labelled (swyer_b):
    /// "Charge-Number: id, Amount-Due: amount, Fine-Type: type, Title: title".
    enum class AvFormat : std::uint8_t { plain, quoted_type, dollar, labelled };
    AvFormat av_format = AvFormat::plain;
    int amount_decimals = 2;      ///< fees.amount_decimals: of the amount in AV
    bool require_fee_id = false;  ///< fees.missing_fee_id: reject a 37 without CG
    /// fees.accept_extension_fields: a 37's extension fields carried to the payment's comment
    /// (EnvisionWare's OR register login and RN check number).
    std::vector<std::string> payment_extensions;
    /// fees.payment_type_map: the library system's payment method for a 37's payment type
    /// ("00" cash, "01" VISA, "02" credit card, or a vendor's code); else its default method.
    std::map<int, std::string> payment_methods;
    std::string register_id;  ///< fees.register_id: "register <id>" in the payment's comment
    std::string currency;     ///< fees.currency: BH of 24, 63 and 37 answers; else the config's
    bool operator==(const Fees&) const = default;
  } fees;
  /// Checkin answers about holds (`checkin.holds`).
  bool hold_patron_cy = true;      ///< send_hold_patron_cy: CY names the hold's patron
  bool hold_patron_phone = false;  ///< send_hold_patron_phone_bf: BF, the hold patron's phone
  bool all_holds_in_64 = false;    ///< patron.info_64.hold_items: all, or available_only
  /// patron.info_64.envisionware_fields: PA (expiry) and PC (patron class) in the 64.
  bool envisionware_64 = false;
  /// patron.password.send_cq_only_when_ad_present: no CQ in an answer to a request without AD.
  bool cq_only_with_ad = false;
  /// dates.due_date.when_not_checked_out "empty_field": an 18 of an item not on loan carries an
  /// empty AH; "omit" (the default) leaves it out.
  bool empty_due_when_not_on_loan = false;
  /// dates.timezone: the IANA zone this kiosk's local dates are written and read in; empty: the
  /// config's `timezone`. Checked against the system's zone database at start.
  std::string time_zone;
  /// The lists of a 64 (`patron.info_64`): unavailable holds in CD (false: never), titles
  /// instead of barcodes (item_list_datatype "title"), at most max_listed_items per list, and
  /// XI, the library system's id of the patron, for sorters that read it.
  struct Info64 {
    bool unavailable_in_cd = true;
    bool titles = false;
    std::optional<std::size_t> max_items;
    bool internal_id = false;
    bool operator==(const Info64&) const = default;
  } info_64;
  /// patron.trim_identifiers and identifier_transform: what a kiosk's patron identifier (AA)
  /// becomes before anything reads it: blanks at either end removed, then each find/replace
  /// (a regular expression) applied in order, e.g. a scanner's check digit removed.
  struct Identifier {
    bool trim = false;
    struct Transform {
      std::string find;
      std::string replace;
      std::shared_ptr<const std::regex> re;
      bool operator==(const Transform& o) const { return find == o.find && replace == o.replace; }
    };
    std::vector<Transform> transforms;
    [[nodiscard]] bool any() const { return trim || !transforms.empty(); }
    bool operator==(const Identifier&) const = default;
  } identifier;
  /// encoding.normalization: every outbound value composed (NFC), decomposed (NFD) or as the
  /// library system stores it.
  Normalization normalization = Normalization::none;
  /// framing.inbound_terminators lists LF: a bare LF ends a request (CR, and CRLF, always do).
  bool lf_ends_request = true;
  /// patron.status_24.extra_fields: the patron's contact fields a 24 carries (BD home address,
  /// BE e-mail, BF phone), read from the library system; none by default.
  std::vector<std::string> status_24_fields;
  /// limits.max_requests_per_second after login (0: no limit): faster requests wait their turn.
  double max_requests_per_second = 0;
  /// What the 98 says (`acs_status`). A false flag takes the capability away from the terminal
  /// (its 98 says N and the gateway refuses or, for offline_ok, takes no replay), whatever the
  /// account allows; true leaves the account's policy to decide.
  struct Acs {
    bool checkin_ok = true;
    bool checkout_ok = true;
    bool renewal_ok = true;  ///< acs_renewal_policy
    bool status_update_ok = true;
    bool offline_ok = true;
    std::optional<std::uint16_t> timeout_period;   ///< tenths of a second; else the account's
    std::optional<std::uint16_t> retries_allowed;  ///< else the account's
    std::string library_name;                      ///< AM; empty: the config's library_name
    std::string institution_id;  ///< institution_id: the 98's AO; empty: the account's
    bool online = true;          ///< online_status false: the 98 always says off-line
    /// supported_messages_bx: a message marked N is taken away (the 98 says N and the request
    /// is refused); Y leaves it to the account and the library system.
    std::optional<std::bitset<16>> supported;
    /// terminal_location_source: the 98's AN from the 93's CP (else session's
    /// location_code_fallback), from the account's configured location, or never.
    enum class LocationSource : std::uint8_t { cp, config, none };
    LocationSource location_source = LocationSource::cp;
    bool operator==(const Acs&) const = default;
  } acs;
  bool fees_supported = true;  ///< fees.supported: 37 answered, and BX says so
  /// `timeouts`: this kiosk's own login and idle timeouts and request deadline (else the
  /// config's limits), and whether a request past its deadline is answered or the connection
  /// closed unanswered.
  struct Timeouts {
    std::optional<std::chrono::seconds> login;
    std::optional<std::chrono::seconds> idle;
    std::optional<std::chrono::milliseconds> response_deadline;
    bool close_on_deadline = false;
    bool operator==(const Timeouts&) const = default;
  } timeouts;
  /// fields.unknown_inbound and duplicate_inbound: what a request's fields that SIP 2.00 does
  /// not name for it get (ignored, logged by code, or a 96), and which of a repeated field is
  /// read (the first, the last, or the first with a warning naming the code).
  struct Inbound {
    enum class Unknown : std::uint8_t { ignore, log, send_96 };
    Unknown unknown = Unknown::ignore;
    enum class Duplicate : std::uint8_t { first_wins, last_wins, log_and_first_wins };
    Duplicate duplicate = Duplicate::first_wins;
    bool operator==(const Inbound&) const = default;
  } inbound;
  /// logging.level "none": no log line per request for this kiosk (a library-system error is
  /// still logged); "patron", the default: one line per request with pseudonyms.
  bool log_requests = true;
  /// transport.tcp_keepalive: this kiosk's TCP keepalive, each value else the config's.
  struct Keepalive {
    std::optional<bool> enabled;
    std::optional<std::chrono::seconds> idle;
    std::optional<std::chrono::seconds> interval;
    std::optional<int> probes;
    [[nodiscard]] bool any() const { return enabled || idle || interval || probes; }
    bool operator==(const Keepalive&) const = default;
  } keepalive;
  /// renewal.title_in_failure: a refused renewal of a known item names its title (AJ); SIP 2.00
  /// allows AJ empty there, which is what a kiosk gets by default.
  bool renewal_title_in_failure = false;
  FieldRules fields;  ///< `fields`: what every response carries, and in what order
  bool operator==(const Behaviour&) const = default;
};

}  // namespace profiles
