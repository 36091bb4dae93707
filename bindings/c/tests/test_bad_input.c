/*
 * Bad input at the C boundary: NULL everywhere, (NULL, 0) and (NULL, n) inputs, invalid
 * UTF-8, 1 MiB codes and names, malformed JSON, unknown ids and enum values, buffers too
 * small, repeated operations on one handle. Every case answers a typed result; outputs are
 * untouched on failure; nothing crashes, leaks or reads out of bounds (run.sh runs this under
 * ASan/UBSan and valgrind).
 */
#include "check.h"

/* An address no library output ever equals: outputs must keep it after a failed call. */
static char sentinel_object;
#define SENTINEL ((void *)&sentinel_object)

static const char *CODE = "Velvet thunder orchard lamp";
static const uint8_t BAD_UTF8[] = {'a', 'b', 0xff, 0xfe, 'c', 'd', 'e', 'f', 'g', 'h'};

static uint8_t *big_input(size_t len, uint8_t fill) {
    uint8_t *p = malloc(len);
    if (p == NULL) {
        exit(2);
    }
    memset(p, fill, len);
    return p;
}

static void null_handles_and_outputs(seccode_engine *engine, seccode_account *account) {
    seccode_contact_details *d = details("Someone", NULL, NULL, NULL);
    seccode_account *acc_out = SENTINEL;
    seccode_engine *eng_out = SENTINEL;
    seccode_verification *ver_out = SENTINEL;
    seccode_decision *dec_out = SENTINEL;
    char *str_out = SENTINEL;
    uint64_t u64 = 7;
    bool b = false;
    size_t n = 0;
    uint32_t reasons[SECCODE_MAX_REASONS];
    const seccode_result NUL = SECCODE_RESULT_NULL_ARGUMENT;

    /* Constructors: NULL output pointers. */
    CHECK_RC(seccode_engine_config_new(NULL), NUL);
    CHECK_RC(seccode_engine_new(NULL, &eng_out), NUL);
    CHECK(eng_out == SENTINEL);
    CHECK_RC(seccode_contact_details_new(NULL), NUL);
    CHECK_RC(seccode_catalog_portal(NULL), NUL);
    CHECK_RC(seccode_catalog_from_json(SV("{}"), NULL), NUL);
    CHECK_RC(seccode_account_new(1, SV("A"), 1, d, NULL), NUL);
    CHECK_RC(seccode_account_new(1, SV("A"), 1, NULL, &acc_out), NUL);
    CHECK(acc_out == SENTINEL);
    CHECK_RC(seccode_account_new_with_catalog(1, SV("A"), 1, d, NULL, &acc_out), NUL);
    CHECK_RC(seccode_account_from_json(SV("{}"), NULL), NUL);

    /* Config setters on NULL. */
    CHECK_RC(seccode_engine_config_set_hash_params(NULL, 64, 1, 1), NUL);
    CHECK_RC(seccode_engine_config_set_ceilings(NULL, 64, 1, 1), NUL);
    CHECK_RC(seccode_engine_config_set_lockout(NULL, 5, 60), NUL);
    CHECK_RC(seccode_engine_config_set_pepper(NULL, SV("k1"), SV("0123456789abcdef")), NUL);
    CHECK_RC(seccode_engine_config_add_retired_pepper(NULL, SV("k1"), SV("0123456789abcdef")),
             NUL);
    CHECK_RC(seccode_engine_config_set_max_concurrent_hashes(NULL, 1), NUL);
    CHECK_RC(seccode_engine_config_set_manual_clock(NULL, 0), NUL);
    CHECK_RC(seccode_engine_config_set_policy(NULL, 8, 128, 3), NUL);
    CHECK_RC(seccode_engine_config_set_verification_lifetime(NULL, 60), NUL);
    CHECK_RC(seccode_engine_config_set_sealing_key(NULL, SV("s1"), SV("0123456789abcdef0123456789abcdef")),
             NUL);
    CHECK_RC(seccode_engine_hash_stats(NULL, &u64, &n), NUL);
    CHECK_RC(seccode_engine_hash_stats(engine, &u64, NULL), NUL);
    CHECK_RC(seccode_engine_now(NULL, (int64_t *)&u64), NUL);
    CHECK_RC(seccode_engine_now(engine, NULL), NUL);
    CHECK_RC(seccode_engine_advance_clock(NULL, 1), NUL);

    /* Details setters on NULL. */
    CHECK_RC(seccode_contact_details_set_name(NULL, SV("x")), NUL);
    CHECK_RC(seccode_contact_details_set_title(NULL, SV("x")), NUL);
    CHECK_RC(seccode_contact_details_set_phone(NULL, SV("x")), NUL);
    CHECK_RC(seccode_contact_details_set_email(NULL, SV("x@y")), NUL);
    CHECK_RC(seccode_contact_details_set_audit_account(NULL, true), NUL);
    CHECK_RC(seccode_contact_details_set_rwhois(NULL, true, false, true), NUL);

    /* Account functions: NULL account, NULL engine, NULL outputs. */
    CHECK_RC(seccode_account_to_json(NULL, &str_out), NUL);
    CHECK_RC(seccode_account_to_json(account, NULL), NUL);
    CHECK_RC(seccode_account_id(NULL, &u64), NUL);
    CHECK_RC(seccode_account_id(account, NULL), NUL);
    CHECK_RC(seccode_account_primary(account, NULL), NUL);
    CHECK_RC(seccode_account_contact_ids(NULL, NULL, 0, &n), NUL);
    CHECK_RC(seccode_account_contact_ids(account, NULL, 0, NULL), NUL);
    CHECK_RC(seccode_account_contact_ids(account, NULL, 5, &n), NUL);
    CHECK_RC(seccode_account_contact_json(account, engine, JOE, NULL), NUL);
    CHECK_RC(seccode_account_contact_json(account, NULL, JOE, &str_out), NUL);
    CHECK_RC(seccode_account_contacts_json(account, engine, NULL), NUL);
    CHECK_RC(seccode_account_contacts_json(NULL, engine, &str_out), NUL);
    CHECK_RC(seccode_account_has_account_code(account, NULL), NUL);
    CHECK_RC(seccode_account_catalog(account, NULL), NUL);
    CHECK_RC(seccode_account_normalization(account, NULL), NUL);
    CHECK_RC(seccode_account_set_normalization(account, NULL, JOE, SECCODE_NORMALIZATION_EXACT),
             NUL);
    CHECK_RC(seccode_account_add_contact(account, engine, JOE, 42, NULL), NUL);
    CHECK_RC(seccode_account_add_contact(NULL, engine, JOE, 42, d), NUL);
    CHECK_RC(seccode_account_edit_contact(account, NULL, JOE, JOE, d), NUL);
    CHECK_RC(seccode_account_deactivate_contact(account, NULL, JOE, CONTACT), NUL);
    CHECK_RC(seccode_account_reactivate_contact(NULL, engine, JOE, CONTACT), NUL);
    CHECK_RC(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, SV(CODE),
                                        reasons, SECCODE_MAX_REASONS, NULL),
             NUL);
    CHECK_RC(seccode_account_check_code(account, NULL, SECCODE_SLOT_ACCOUNT_WIDE, 0, SV(CODE),
                                        reasons, SECCODE_MAX_REASONS, &n),
             NUL);
    CHECK_RC(seccode_account_set_account_code(account, NULL, JOE, SV(CODE)), NUL);
    CHECK_RC(seccode_account_set_contact_code(NULL, engine, JOE, JOE, SV(CODE)), NUL);
    CHECK_RC(seccode_account_clear_account_code(account, NULL, JOE), NUL);
    CHECK_RC(seccode_account_clear_contact_code(NULL, engine, JOE, JOE), NUL);
    CHECK_RC(seccode_account_import_legacy_code(account, NULL, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                SV(CODE), false),
             NUL);
    CHECK_RC(seccode_account_import_legacy_hash(NULL, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                SV("$argon2id$"), false),
             NUL);
    CHECK_RC(seccode_account_unlock(account, NULL, JOE, CONTACT), NUL);
    CHECK_RC(seccode_account_contact_lock_state(account, engine, JOE, NULL, &b, (int64_t *)&u64),
             NUL);
    CHECK_RC(seccode_account_may_know_account_code(account, JOE, NULL), NUL);
    CHECK_RC(seccode_account_verify(account, engine, JOE, SV(CODE), NULL), NUL);
    CHECK_RC(seccode_account_verify(NULL, engine, JOE, SV(CODE), &ver_out), NUL);
    CHECK_RC(seccode_account_verify(account, NULL, JOE, SV(CODE), &ver_out), NUL);
    CHECK(ver_out == SENTINEL);
    CHECK_RC(seccode_account_set_permission(account, NULL, JOE, CONTACT, SV("Profile"), 0, 1), NUL);
    CHECK_RC(seccode_account_permission_setting(account, CONTACT, SV("Profile"), 0, NULL), NUL);
    CHECK_RC(seccode_account_effective(account, CONTACT, SV("Profile"), 0, NULL, NULL, NULL), NUL);
    CHECK_RC(seccode_account_render_grid(account, JOE, NULL), NUL);
    CHECK_RC(seccode_account_render_settings(NULL, JOE, &str_out), NUL);
    CHECK_RC(seccode_account_authorize(account, engine, NULL, 0, &dec_out), NUL);
    CHECK_RC(seccode_account_authorize_verified(account, engine, NULL, 0, &dec_out), NUL);
    CHECK_RC(seccode_account_authorize_verified(account, NULL, NULL, 0, &dec_out), NUL);
    CHECK(dec_out == SENTINEL);
    seccode_call_status status = 99;
    CHECK_RC(seccode_account_call_status(account, engine, NULL, &status), NUL);
    CHECK(status == 99);
    char code_buf[SECCODE_MAX_CODE_LEN + 1];
    CHECK_RC(seccode_account_reveal_account_code(account, engine, JOE, code_buf, sizeof code_buf,
                                                 NULL),
             NUL);
    CHECK_RC(seccode_account_reveal_account_code(NULL, engine, JOE, code_buf, sizeof code_buf, &n),
             NUL);
    CHECK_RC(seccode_account_reveal_contact_code(account, NULL, JOE, CONTACT, code_buf,
                                                 sizeof code_buf, &n),
             NUL);
    CHECK_RC(seccode_account_reveal_contact_code(account, engine, JOE, CONTACT, NULL, 8, &n), NUL);

    /* The three steps of a verification. */
    seccode_attempt *att_out = SENTINEL;
    seccode_checked_attempt *chk_out = SENTINEL;
    CHECK_RC(seccode_account_begin_verify(account, engine, JOE, NULL), NUL);
    CHECK_RC(seccode_account_begin_verify(NULL, engine, JOE, &att_out), NUL);
    CHECK_RC(seccode_account_begin_verify(account, NULL, JOE, &att_out), NUL);
    CHECK(att_out == SENTINEL);
    CHECK_RC(seccode_attempt_check(engine, NULL, SV(CODE), &chk_out), NUL);
    CHECK_RC(seccode_attempt_check(NULL, NULL, SV(CODE), &chk_out), NUL);
    CHECK(chk_out == SENTINEL);
    CHECK_RC(seccode_account_finish_verify(account, engine, NULL, &ver_out), NUL);
    CHECK(ver_out == SENTINEL);
    CHECK_RC(seccode_attempt_contact(NULL, &u64), NUL);
    CHECK_RC(seccode_attempt_is_locked(NULL, &b), NUL);

    /* Verified calls. */
    seccode_verified_call *call_out = SENTINEL;
    int64_t when = 7;
    CHECK_RC(seccode_verification_call(NULL, &call_out), NUL);
    CHECK(call_out == SENTINEL);
    CHECK_RC(seccode_verified_call_account(NULL, &u64), NUL);
    CHECK_RC(seccode_verified_call_contact(NULL, &u64), NUL);
    CHECK_RC(seccode_verified_call_slot(NULL, NULL), NUL);
    CHECK_RC(seccode_verified_call_verified_at(NULL, &when), NUL);
    CHECK_RC(seccode_verified_call_expires_at(NULL, &when), NUL);
    CHECK(when == 7);
    CHECK_RC(seccode_verified_call_to_json(NULL, &str_out), NUL);
    CHECK_RC(seccode_verified_call_from_json(SV("{}"), NULL), NUL);
    CHECK_RC(seccode_verified_call_from_json(NULL, 3, &call_out), NUL);
    CHECK(call_out == SENTINEL);
    CHECK_RC(seccode_account_drain_audit(account, NULL), NUL);
    CHECK_RC(seccode_catalog_to_json(NULL, &str_out), NUL);
    CHECK(str_out == SENTINEL);

    /* Verification and decision accessors on NULL. */
    seccode_outcome outcome = 99;
    CHECK_RC(seccode_verification_outcome(NULL, &outcome), NUL);
    CHECK(outcome == 99);
    CHECK_RC(seccode_verification_reason(NULL, NULL), NUL);
    CHECK_RC(seccode_verification_contact(NULL, &u64), NUL);
    CHECK_RC(seccode_verification_lock_state(NULL, NULL, NULL), NUL);
    CHECK_RC(seccode_verification_upgrade_count(NULL, &n), NUL);
    CHECK_RC(seccode_verification_upgrade(NULL, 0, NULL, &str_out), NUL);
    CHECK_RC(seccode_verification_upgrade_phc(NULL, 0, &str_out), NUL);
    CHECK_RC(seccode_decision_verdict(NULL, NULL), NUL);
    CHECK_RC(seccode_decision_deny_reason(NULL, NULL), NUL);
    CHECK_RC(seccode_decision_approvers(NULL, NULL, 0, &n), NUL);
    CHECK_RC(seccode_decision_message(NULL, &str_out), NUL);
    CHECK_RC(seccode_decision_to_json(NULL, &str_out), NUL);

    /* Helpers. */
    CHECK_RC(seccode_hash_code(NULL, SV(CODE), SECCODE_NORMALIZATION_SPOKEN, &str_out), NUL);
    CHECK_RC(seccode_hash_code(engine, SV(CODE), SECCODE_NORMALIZATION_SPOKEN, NULL), NUL);
    CHECK_RC(seccode_verify_code(engine, SV("$argon2id$"), SV(CODE), 0, NULL), NUL);
    CHECK_RC(seccode_result_message(0, NULL, 0, NULL), NUL);
    CHECK_RC(seccode_result_message(0, NULL, 10, &n), NUL);
    CHECK_RC(seccode_reason_message(1, NULL, 0, NULL), NUL);
    CHECK_RC(seccode_reason_code(1, NULL, 0, NULL), NUL);
    CHECK_RC(seccode_last_error_message(NULL, 0, NULL), NUL);
    CHECK_RC(seccode_last_error_reasons(NULL, 0, NULL), NUL);
    CHECK_RC(seccode_last_error_name(NULL, 0, NULL), NUL);
    CHECK_RC(seccode_engine_check_code(engine, SV(CODE), 0, 0, NULL, 0, NULL, reasons,
                                       SECCODE_MAX_REASONS, &n),
             NUL);
    CHECK_RC(seccode_engine_check_code(NULL, SV(CODE), 0, 0, NULL, 0, d, reasons,
                                       SECCODE_MAX_REASONS, &n),
             NUL);
    CHECK_RC(seccode_engine_check_code(engine, SV(CODE), 0, 0, NULL, 3, d, reasons,
                                       SECCODE_MAX_REASONS, &n),
             NUL);
    CHECK_RC(seccode_engine_check_code(engine, SV(CODE), 0, 0, NULL, 0, d, reasons,
                                       SECCODE_MAX_REASONS, NULL),
             NUL);
    CHECK_RC(seccode_engine_reason_message(engine, 1, NULL, 0, NULL), NUL);
    CHECK_RC(seccode_engine_reason_message(NULL, 1, NULL, 0, &n), NUL);
    CHECK(str_out == SENTINEL);

    /* Every free function accepts NULL. */
    seccode_engine_config_free(NULL);
    seccode_engine_free(NULL);
    seccode_contact_details_free(NULL);
    seccode_catalog_free(NULL);
    seccode_account_free(NULL);
    seccode_verification_free(NULL);
    seccode_decision_free(NULL);
    seccode_attempt_free(NULL);
    seccode_checked_attempt_free(NULL);
    seccode_verified_call_free(NULL);
    seccode_string_free(NULL);
    CHECK(seccode_version() != NULL && seccode_version()[0] != '\0');

    seccode_contact_details_free(d);
}

static void slices(seccode_engine *engine, seccode_account *account) {
    seccode_verification *v = SENTINEL;
    char *out = SENTINEL;
    bool matched = true;

    /* (NULL, 0) is the empty input: an empty code or name is invalid, never a crash. */
    CHECK_RC(seccode_account_verify(account, engine, JOE, NULL, 0, &v),
             SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK(contains(check_last_error(), "empty"));
    CHECK(v == SENTINEL);
    CHECK_RC(seccode_account_set_account_code(account, engine, JOE, NULL, 0),
             SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK_RC(seccode_hash_code(engine, NULL, 0, 0, &out), SECCODE_RESULT_INVALID_ARGUMENT);
    seccode_contact_details *d = details(NULL, NULL, NULL, NULL);
    CHECK_OK(seccode_contact_details_set_name(d, NULL, 0));
    CHECK_RC(seccode_account_add_contact(account, engine, JOE, 77, d),
             SECCODE_RESULT_INVALID_ARGUMENT);
    seccode_account *acc = SENTINEL;
    CHECK_RC(seccode_account_new(1, NULL, 0, 1, d, &acc), SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK_RC(seccode_account_from_json(NULL, 0, &acc), SECCODE_RESULT_MALFORMED_DATA);
    CHECK(acc == SENTINEL);
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, NULL, 0, 0, 1),
             SECCODE_RESULT_NOT_FOUND);

    /* (NULL, n > 0) is a NULL argument. */
    CHECK_RC(seccode_account_verify(account, engine, JOE, NULL, 8, &v),
             SECCODE_RESULT_NULL_ARGUMENT);
    CHECK_RC(seccode_contact_details_set_email(d, NULL, 3), SECCODE_RESULT_NULL_ARGUMENT);
    CHECK_RC(seccode_account_from_json(NULL, 2, &acc), SECCODE_RESULT_NULL_ARGUMENT);
    CHECK_RC(seccode_verify_code(engine, NULL, 4, SV(CODE), 0, &matched),
             SECCODE_RESULT_NULL_ARGUMENT);
    CHECK_RC(seccode_engine_config_set_pepper((seccode_engine_config *)NULL, NULL, 2, NULL, 0),
             SECCODE_RESULT_NULL_ARGUMENT);

    /* Invalid UTF-8, in codes, names, resource names, JSON and PHC strings. */
    CHECK_RC(seccode_account_verify(account, engine, JOE, BAD_UTF8, sizeof BAD_UTF8, &v),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_account_set_contact_code(account, engine, JOE, CONTACT, BAD_UTF8,
                                              sizeof BAD_UTF8),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_hash_code(engine, BAD_UTF8, sizeof BAD_UTF8, 0, &out),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_contact_details_set_name(d, BAD_UTF8, sizeof BAD_UTF8),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_account_new(1, BAD_UTF8, sizeof BAD_UTF8, 1, d, &acc),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_account_from_json(BAD_UTF8, sizeof BAD_UTF8, &acc),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, BAD_UTF8,
                                            sizeof BAD_UTF8, 0, 1),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_verify_code(engine, BAD_UTF8, sizeof BAD_UTF8, SV(CODE), 0, &matched),
             SECCODE_RESULT_INVALID_UTF8);
    seccode_catalog *cat = SENTINEL;
    CHECK_RC(seccode_catalog_from_json(BAD_UTF8, sizeof BAD_UTF8, &cat),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK(cat == SENTINEL);

    /* 1 MiB inputs. */
    const size_t MIB = 1u << 20;
    uint8_t *huge = big_input(MIB, 'a');
    CHECK_RC(seccode_account_verify(account, engine, JOE, huge, MIB, &v),
             SECCODE_RESULT_INPUT_TOO_LONG);
    CHECK_RC(seccode_account_set_account_code(account, engine, JOE, huge, MIB),
             SECCODE_RESULT_INPUT_TOO_LONG);
    uint32_t reasons[SECCODE_MAX_REASONS];
    size_t n = 0;
    CHECK_RC(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, huge, MIB,
                                        reasons, SECCODE_MAX_REASONS, &n),
             SECCODE_RESULT_INPUT_TOO_LONG);
    CHECK_RC(seccode_hash_code(engine, huge, MIB, 0, &out), SECCODE_RESULT_INPUT_TOO_LONG);
    CHECK_RC(seccode_verify_code(engine, SV("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA"), huge,
                                 MIB, 0, &matched),
             SECCODE_RESULT_INPUT_TOO_LONG);
    CHECK_RC(seccode_account_import_legacy_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, huge,
                                                MIB, true),
             SECCODE_RESULT_INPUT_TOO_LONG);
    /* A long code of invalid UTF-8 is refused for its length (checked first, without cost). */
    huge[10] = 0xff;
    CHECK_RC(seccode_account_verify(account, engine, JOE, huge, MIB, &v),
             SECCODE_RESULT_INPUT_TOO_LONG);
    huge[10] = 'a';
    CHECK_OK(seccode_contact_details_set_name(d, huge, MIB));
    CHECK_RC(seccode_account_add_contact(account, engine, JOE, 78, d),
             SECCODE_RESULT_INPUT_TOO_LONG);
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, huge, MIB, 0, 1),
             SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_from_json(huge, MIB, &acc), SECCODE_RESULT_MALFORMED_DATA);
    CHECK(acc == SENTINEL && v == SENTINEL && out == SENTINEL);
    free(huge);

    /* A code of exactly 1024 bytes is taken (and then judged by the policy: too long). */
    uint8_t *limit = big_input(1024, 'q');
    CHECK_OK(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, limit, 1024,
                                        reasons, SECCODE_MAX_REASONS, &n));
    bool too_long = false;
    for (size_t i = 0; i < n; i++) {
        too_long = too_long || reasons[i] == SECCODE_REASON_TOO_LONG;
    }
    CHECK(too_long);
    free(limit);
    uint8_t *over = big_input(1025, 'q');
    CHECK_RC(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, over, 1025,
                                        reasons, SECCODE_MAX_REASONS, &n),
             SECCODE_RESULT_INPUT_TOO_LONG);
    free(over);

    seccode_contact_details_free(d);
}

static void malformed_data(seccode_engine *engine) {
    static const char *const BAD_ACCOUNTS[] = {
        "",
        "{",
        "[]",
        "null",
        "{\"format\": 1}",
        "{\"format\": \"1\", \"id\": 1, \"name\": \"A\", \"contacts\": []}",
        "{\"format\": 1, \"id\": 1, \"name\": \"A\", \"contacts\": []}",
        "{\"format\": 1, \"id\": 1, \"name\": \"A\", \"contacts\": [{\"id\": 2, \"name\": \"B\"}]}",
        "{\"format\": 1, \"id\": 1, \"name\": \"A\", \"contacts\": [{\"id\": 2, \"primary\": true, "
        "\"name\": \"B\"}, {\"id\": 2, \"name\": \"C\"}]}",
        "{\"format\": 1, \"id\": 1, \"name\": \"A\", \"contacts\": [{\"id\": 2, \"primary\": true, "
        "\"name\": \"B\", \"security_code\": \"not a phc string\"}]}",
        "{\"format\": 1, \"id\": 1, \"name\": \"A\", \"contacts\": [{\"id\": 2, \"primary\": true, "
        "\"name\": \"B\", \"permissions\": {\"Nowhere\": {\"view\": \"allow\"}}}]}",
        "{\"format\": 1, \"id\": 1, \"name\": \"A\", \"surprise\": 1, \"contacts\": [{\"id\": 2, "
        "\"primary\": true, \"name\": \"B\"}]}",
        "{\"format\": 1, \"id\": -1, \"name\": \"A\", \"contacts\": [{\"id\": 2, \"primary\": true, "
        "\"name\": \"B\"}]}",
    };
    for (size_t i = 0; i < sizeof BAD_ACCOUNTS / sizeof BAD_ACCOUNTS[0]; i++) {
        seccode_account *acc = SENTINEL;
        seccode_result rc = seccode_account_from_json(SV(BAD_ACCOUNTS[i]), &acc);
        if (!CHECK(rc == SECCODE_RESULT_MALFORMED_DATA)) {
            fprintf(stderr, "  case %zu: %s (%s)\n", i, check_result_name(rc), check_last_error());
        }
        CHECK(acc == SENTINEL);
        CHECK(strlen(check_last_error()) > 0);
    }
    seccode_account *acc = SENTINEL;
    CHECK_RC(seccode_account_from_json(SV("{\"format\": 2, \"id\": 1}"), &acc),
             SECCODE_RESULT_UNSUPPORTED_FORMAT);
    CHECK(contains(check_last_error(), "2"));
    CHECK(acc == SENTINEL);

    /* A valid account loads; the old field name "phone_chat_code" with a bare PHC string too. */
    const char *old =
        "{\"format\": 1, \"id\": 1707, \"name\": \"Any Company\", \"contacts\": [{\"id\": 3522, "
        "\"primary\": true, \"name\": \"Joe Example\", \"phone_chat_code\": "
        "\"$argon2id$v=19$m=1024,t=1,p=1$0Jtzz7jp2dn+vZA4Q7BuLA$VuHc/"
        "K5g7PPuZCuS38Jifn+1mZ1T660pD1ZJa3CqrSg\"}]}";
    CHECK_OK(seccode_account_from_json(SV(old), &acc));
    CHECK(verify_outcome(acc, engine, 3522, "purple monkey dishwasher", NULL) ==
          SECCODE_OUTCOME_VERIFIED);
    seccode_account_free(acc);

    /* A planted hash over the ceilings is refused before any work. */
    bool matched = true;
    CHECK_RC(seccode_verify_code(engine, SV("$argon2id$v=19$m=4000000,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"),
                                 SV(CODE), 0, &matched),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK_RC(seccode_verify_code(engine, SV("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA"), SV(CODE),
                                 0, &matched),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK_RC(seccode_verify_code(engine, SV("plaintext"), SV(CODE), 0, &matched),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK(matched);

    /* Catalogs. */
    static const char *const BAD_CATALOGS[] = {
        "",
        "{}",
        "{\"resources\": []}",
        "{\"resources\": [{\"name\": \"A\", \"actions\": []}, {\"name\": \"B\", \"actions\": []}]}",
        "{\"resources\": [{\"name\": \"A\", \"actions\": [\"fly\"]}]}",
        "{\"resources\": [{\"name\": \"A\", \"actions\": []}, {\"name\": \"a\", \"parent\": \"A\", "
        "\"actions\": []}]}",
    };
    for (size_t i = 0; i < sizeof BAD_CATALOGS / sizeof BAD_CATALOGS[0]; i++) {
        seccode_catalog *cat = SENTINEL;
        seccode_result rc = seccode_catalog_from_json(SV(BAD_CATALOGS[i]), &cat);
        if (!CHECK(rc == SECCODE_RESULT_MALFORMED_DATA)) {
            fprintf(stderr, "  catalog case %zu: %s\n", i, check_result_name(rc));
        }
        CHECK(cat == SENTINEL);
    }

    /* Deeply nested JSON is refused, not a stack overflow. */
    size_t depth = 100000;
    uint8_t *deep = big_input(2 * depth, '[');
    memset(deep + depth, ']', depth);
    CHECK_RC(seccode_account_from_json(deep, 2 * depth, &acc), SECCODE_RESULT_MALFORMED_DATA);
    seccode_catalog *cat = SENTINEL;
    CHECK_RC(seccode_catalog_from_json(deep, 2 * depth, &cat), SECCODE_RESULT_MALFORMED_DATA);
    free(deep);
}

static void unknown_ids_and_values(seccode_engine *engine, seccode_account *account) {
    const uint64_t GHOST = 999999;
    /* A verification of an unknown contact is not an error: just not verified. */
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, GHOST, CODE, &why) == SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_UNKNOWN_CONTACT);

    char *out = SENTINEL;
    CHECK_RC(seccode_account_set_contact_code(account, engine, JOE, GHOST, SV(CODE)),
             SECCODE_RESULT_NOT_FOUND);
    CHECK(contains(check_last_error(), "999999"));
    CHECK_RC(seccode_account_set_contact_code(account, engine, GHOST, JOE, SV(CODE)),
             SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_render_grid(account, GHOST, &out), SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_contact_json(account, engine, GHOST, &out), SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_unlock(account, engine, JOE, GHOST), SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_deactivate_contact(account, engine, JOE, GHOST),
             SECCODE_RESULT_NOT_FOUND);
    CHECK(out == SENTINEL);
    seccode_decision *dec = SENTINEL;
    /* A verified call is only what seccode_verified_call_to_json wrote. */
    seccode_verified_call *call = SENTINEL;
    CHECK_RC(seccode_verified_call_from_json(SV("{\"account\":1707,\"contact\":999999}"), &call),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK(!contains(check_last_error(), "999999"));
    CHECK_RC(seccode_verified_call_from_json(SV("[]"), &call), SECCODE_RESULT_MALFORMED_DATA);
    CHECK_RC(seccode_verified_call_from_json(BAD_UTF8, sizeof BAD_UTF8, &call),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_verified_call_from_json(NULL, 0, &call), SECCODE_RESULT_MALFORMED_DATA);
    CHECK(call == SENTINEL);
    bool b = false;
    CHECK_RC(seccode_account_may_know_account_code(account, GHOST, &b), SECCODE_RESULT_NOT_FOUND);
    uint32_t fails = 0;
    int64_t until = 0;
    CHECK_RC(seccode_account_contact_lock_state(account, engine, GHOST, &fails, &b, &until),
             SECCODE_RESULT_NOT_FOUND);

    /* Unknown resources (names are found in any letter case, but must exist). */
    seccode_effective value = 99;
    seccode_origin origin = 99;
    char *decided = SENTINEL;
    CHECK_RC(seccode_account_effective(account, CONTACT, SV("Profiles"), SECCODE_ACTION_VIEW, &value,
                                       &origin, &decided),
             SECCODE_RESULT_NOT_FOUND);
    CHECK(value == 99 && origin == 99 && decided == SENTINEL);
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Vivitech Website"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW),
             SECCODE_RESULT_NOT_FOUND);

    /* Not applicable cells, the primary contact, duplicates. */
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Change Password"),
                                            SECCODE_ACTION_CREATE, SECCODE_SETTING_ALLOW),
             SECCODE_RESULT_NOT_APPLICABLE);
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Change Password"),
                                            SECCODE_ACTION_CREATE, SECCODE_SETTING_INHERIT));
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, JOE, SV("Profile"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_DENY),
             SECCODE_RESULT_CONFLICT);
    CHECK_RC(seccode_account_deactivate_contact(account, engine, JOE, JOE), SECCODE_RESULT_CONFLICT);
    seccode_contact_details *d = details("Again", NULL, NULL, NULL);
    CHECK_RC(seccode_account_add_contact(account, engine, JOE, CONTACT, d), SECCODE_RESULT_CONFLICT);
    CHECK_OK(seccode_contact_details_set_email(d, SV("no-at-sign")));
    CHECK_RC(seccode_account_add_contact(account, engine, JOE, 4000, d),
             SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK_OK(seccode_contact_details_set_email(d, SV("again@example.com")));
    CHECK_OK(seccode_contact_details_set_name(d, SV("Tab\there")));
    CHECK_RC(seccode_account_add_contact(account, engine, JOE, 4000, d),
             SECCODE_RESULT_INVALID_ARGUMENT);
    seccode_contact_details_free(d);

    /* Unknown enum numbers. */
    const seccode_result INV = SECCODE_RESULT_INVALID_ARGUMENT;
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Profile"), 4,
                                            SECCODE_SETTING_ALLOW),
             INV);
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Profile"),
                                            SECCODE_ACTION_VIEW, 3),
             INV);
    CHECK_RC(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Profile"),
                                            UINT32_MAX, UINT32_MAX),
             INV);
    CHECK_RC(seccode_account_set_normalization(account, engine, JOE, 2), INV);
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT, SV(CODE)));
    call = verified_call(account, engine, CONTACT, CODE);
    CHECK(call != NULL);
    CHECK_RC(seccode_account_authorize(account, engine, call, 4, &dec), INV);
    CHECK_RC(seccode_account_authorize(account, engine, call, UINT32_MAX, &dec), INV);
    CHECK(dec == SENTINEL);
    seccode_verified_call_free(call);
    uint32_t reasons[SECCODE_MAX_REASONS];
    size_t n = 0;
    CHECK_RC(seccode_account_check_code(account, engine, 2, 0, SV(CODE), reasons,
                                        SECCODE_MAX_REASONS, &n),
             INV);
    CHECK_RC(seccode_account_import_legacy_code(account, engine, 7, JOE, SV(CODE), true), INV);
    seccode_contact_details *nobody = details(NULL, NULL, NULL, NULL);
    CHECK_RC(seccode_engine_check_code(engine, SV(CODE), 2, 0, NULL, 0, nobody, reasons,
                                       SECCODE_MAX_REASONS, &n),
             INV);
    CHECK_RC(seccode_engine_check_code(engine, SV(CODE), 0, 0, BAD_UTF8, sizeof BAD_UTF8, nobody,
                                       reasons, SECCODE_MAX_REASONS, &n),
             SECCODE_RESULT_INVALID_UTF8);
    /* No context at all: only the rules that need none. */
    CHECK_OK(seccode_engine_check_code(engine, SV(CODE), 0, 0, NULL, 0, nobody, reasons,
                                       SECCODE_MAX_REASONS, &n));
    CHECK(n == 0);
    seccode_contact_details_free(nobody);
    CHECK_RC(seccode_hash_code(engine, SV(CODE), 9, &out), INV);
    char buf[64];
    CHECK_RC(seccode_reason_message(0, buf, sizeof buf, &n), INV);
    CHECK_RC(seccode_reason_code(12345, buf, sizeof buf, &n), INV);
    CHECK_OK(seccode_result_message(12345, buf, sizeof buf, &n));
    CHECK_STR(buf, "unknown result code");

    /* Unusable engine configurations. */
    seccode_engine_config *cfg = NULL;
    seccode_engine *eng = SENTINEL;
    CHECK_OK(seccode_engine_config_new(&cfg));
    CHECK_OK(seccode_engine_config_set_hash_params(cfg, 0, 0, 0));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_hash_params(cfg, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_lockout(cfg, 0, 60));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_lockout(cfg, 5, -1));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_lockout(cfg, 5, 60));
    CHECK_OK(seccode_engine_config_set_ceilings(cfg, 32, 1, 1));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_ceilings(cfg, 1024, 4, 4));
    CHECK_RC(seccode_engine_config_set_pepper(cfg, SV("k1"), SV("short")), INV);
    CHECK_RC(seccode_engine_config_set_pepper(cfg, SV("key id"), SV("0123456789abcdef")), INV);
    CHECK_RC(seccode_engine_config_set_pepper(cfg, SV("waytoolongkeyid"), SV("0123456789abcdef")),
             INV);
    CHECK_OK(seccode_engine_config_set_pepper(cfg, SV("k1"), SV("0123456789abcdef")));
    CHECK_OK(seccode_engine_config_add_retired_pepper(cfg, SV("k1"), SV("fedcba9876543210")));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV); /* two peppers share a key id */
    CHECK(eng == SENTINEL);
    seccode_engine_config_free(cfg);

    /* Unusable policies, lifetimes and sealing keys. */
    CHECK_OK(seccode_engine_config_new(&cfg));
    CHECK_OK(seccode_engine_config_set_hash_params(cfg, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_policy(cfg, 0, 128, 3));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK(contains(check_last_error(), "min_chars"));
    CHECK_OK(seccode_engine_config_set_policy(cfg, 20, 10, 3));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_policy(cfg, 8, 128, 5));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_policy(cfg, 8, 128, 0));
    CHECK_OK(seccode_engine_config_set_verification_lifetime(cfg, 0));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK_OK(seccode_engine_config_set_verification_lifetime(cfg, -5));
    CHECK_RC(seccode_engine_new(cfg, &eng), INV);
    CHECK(contains(check_last_error(), "verification lifetime"));
    CHECK_OK(seccode_engine_config_set_verification_lifetime(cfg, 60));
    CHECK_RC(seccode_engine_config_set_sealing_key(cfg, SV("s1"), SV("0123456789abcdef0123456789abcde")),
             INV);
    CHECK_RC(seccode_engine_config_set_sealing_key(cfg, SV("s1"),
                                                   SV("0123456789abcdef0123456789abcdef!")),
             INV);
    CHECK_RC(seccode_engine_config_set_sealing_key(cfg, SV("key one"),
                                                   SV("0123456789abcdef0123456789abcdef")),
             INV);
    CHECK_RC(seccode_engine_config_set_sealing_key(cfg, NULL, 0, SV("0123456789abcdef0123456789abcdef")),
             INV);
    CHECK_RC(seccode_engine_config_set_sealing_key(cfg, BAD_UTF8, sizeof BAD_UTF8,
                                                   SV("0123456789abcdef0123456789abcdef")),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK(!contains(check_last_error(), "0123456789"));
    CHECK_OK(seccode_engine_new(cfg, &eng));
    seccode_engine_config_free(cfg);
    seccode_engine_free(eng);
    eng = SENTINEL;

    /* A system-clock engine cannot be advanced. */
    CHECK_OK(seccode_engine_config_new(&cfg));
    CHECK_OK(seccode_engine_config_set_hash_params(cfg, 64, 1, 1));
    CHECK_OK(seccode_engine_new(cfg, &eng));
    seccode_engine_config_free(cfg);
    CHECK_RC(seccode_engine_advance_clock(eng, 60), SECCODE_RESULT_CONFLICT);
    int64_t now = 0;
    CHECK_OK(seccode_engine_now(eng, &now));
    CHECK(now > INT64_C(1600000000));
    seccode_engine_free(eng);
}

static void buffers_too_small(seccode_engine *engine, seccode_account *account) {
    char buf[128];
    size_t len = 12345;

    /* (NULL, 0) asks for the length; a buffer of exactly the length has no room for NUL. */
    CHECK_RC(seccode_result_message(SECCODE_RESULT_NOT_FOUND, NULL, 0, &len),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    size_t needed = len;
    CHECK(needed == strlen("no such contact, resource or key"));
    memset(buf, 'X', sizeof buf);
    CHECK_RC(seccode_result_message(SECCODE_RESULT_NOT_FOUND, buf, needed, &len),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(buf[0] == 'X' && len == needed);
    CHECK_OK(seccode_result_message(SECCODE_RESULT_NOT_FOUND, buf, needed + 1, &len));
    CHECK_STR(buf, "no such contact, resource or key");
    CHECK(buf[needed + 1] == 'X');
    CHECK_OK(seccode_result_message(SECCODE_RESULT_OK, buf, sizeof buf, &len));
    CHECK_STR(buf, "success");

    /* Asking for the last error's length does not replace the last error. */
    CHECK_RC(seccode_account_render_grid(account, 424242, &(char *){NULL}),
             SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_last_error_message(NULL, 0, &len), SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(len > 0);
    char *message = malloc(len + 1);
    CHECK_OK(seccode_last_error_message(message, len + 1, &len));
    CHECK(contains(message, "unknown contact `424242`"));
    free(message);
    CHECK_RC(seccode_reason_message(SECCODE_REASON_TOO_WEAK, buf, 4, &len),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(contains(check_last_error(), "424242"));

    /* Contact ids: the count is reported, the array untouched. */
    uint64_t ids[2] = {1, 1};
    CHECK_RC(seccode_account_contact_ids(account, ids, 2, &len), SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 3 && ids[0] == 1 && ids[1] == 1);
    CHECK_RC(seccode_account_contact_ids(account, NULL, 0, &len), SECCODE_RESULT_BUFFER_TOO_SMALL);
    uint64_t all[3] = {0};
    CHECK_OK(seccode_account_contact_ids(account, all, 3, &len));
    CHECK(len == 3 && all[0] == JOE && all[1] == CONTACT && all[2] == CONTACT2);

    /* Policy reasons: a too-small array reports the count. */
    uint32_t reasons[1] = {0};
    size_t n = 0;
    CHECK_RC(seccode_account_check_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                        SV("Contact Example 2 1985-03-14"), reasons, 1, &n),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(n >= 2);
    CHECK_RC(seccode_account_check_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                        SV("Contact Example 2 1985-03-14"), NULL, 0, &n),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(reasons[0] == 0);
    /* Acceptable code: zero reasons fit in any array, even (NULL, 0). */
    CHECK_OK(seccode_account_check_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                        SV(CODE), NULL, 0, &n));
    CHECK(n == 0);

    /* Last error reasons. */
    CHECK_RC(seccode_account_set_contact_code(account, engine, JOE, CONTACT2,
                                              SV("Contact Example 2 1985-03-14")),
             SECCODE_RESULT_POLICY_REJECTED);
    CHECK_RC(seccode_last_error_reasons(NULL, 0, &n), SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(n >= 2);
    CHECK(last_reasons_contain(SECCODE_REASON_CONTAINS_NAME));
    CHECK(last_reasons_contain(SECCODE_REASON_DATE_SHAPED));
    CHECK(!contains(check_last_error(), "1985"));
    /* A later failure of another kind has no reasons. */
    CHECK_RC(seccode_account_render_grid(account, 424242, &(char *){NULL}),
             SECCODE_RESULT_NOT_FOUND);
    CHECK_OK(seccode_last_error_reasons(reasons, 1, &n));
    CHECK(n == 0);

    /* Decision approvers. */
    seccode_decision *d = NULL;
    seccode_verified_call *call = verified_call(account, engine, CONTACT, CODE);
    CHECK_OK(seccode_account_authorize(account, engine, call,
                                       SECCODE_REQUEST_KIND_SIGNIFICANT_CHANGE, &d));
    seccode_verified_call_free(call);
    uint64_t one = 0;
    CHECK_RC(seccode_decision_approvers(d, NULL, 0, &n), SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == 1);
    CHECK_OK(seccode_decision_approvers(d, &one, 1, &n));
    CHECK(one == JOE);
    seccode_decision_free(d);
}

static void repeated_operations(seccode_engine *engine) {
    seccode_account *account = any_company(engine);
    /* Setting the same code twice, verifying twice, draining twice. */
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(CODE)));
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(CODE)));
    CHECK(verify_outcome(account, engine, JOE, CODE, NULL) == SECCODE_OUTCOME_VERIFIED);
    CHECK(verify_outcome(account, engine, JOE, CODE, NULL) == SECCODE_OUTCOME_VERIFIED);
    char *a = NULL, *b = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &a));
    CHECK_OK(seccode_account_drain_audit(account, &b));
    CHECK(strlen(a) > 2);
    CHECK_STR(b, "[]");
    seccode_string_free(a);
    seccode_string_free(b);

    /* Deactivating twice and reactivating twice are no-ops the second time. */
    CHECK_OK(seccode_account_deactivate_contact(account, engine, JOE, CONTACT));
    CHECK_OK(seccode_account_deactivate_contact(account, engine, JOE, CONTACT));
    CHECK_RC(seccode_account_set_contact_code(account, engine, JOE, CONTACT, SV(CODE)),
             SECCODE_RESULT_CONFLICT);
    CHECK_OK(seccode_account_reactivate_contact(account, engine, JOE, CONTACT));
    CHECK_OK(seccode_account_reactivate_contact(account, engine, JOE, CONTACT));

    /* Unlocking a contact that is not locked, clearing an absent code. */
    CHECK_OK(seccode_account_unlock(account, engine, JOE, CONTACT));
    CHECK_OK(seccode_account_clear_contact_code(account, engine, JOE, CONTACT));
    CHECK_OK(seccode_account_clear_contact_code(account, engine, JOE, CONTACT));

    /* A verification handle stays valid after the account changes and after it is freed. */
    seccode_verification *v = NULL;
    CHECK_OK(seccode_account_verify(account, engine, JOE, SV(CODE), &v));
    CHECK_OK(seccode_account_clear_account_code(account, engine, JOE));
    seccode_outcome outcome = 99;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_VERIFIED);
    char *phc = SENTINEL;
    CHECK_RC(seccode_verification_upgrade_phc(v, 0, &phc), SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK(phc == SENTINEL);
    CHECK(verify_outcome(account, engine, JOE, CODE, NULL) == SECCODE_OUTCOME_NOT_VERIFIED);
    seccode_verification_free(v);

    /* Save, load, save again: the same JSON; loading twice gives two independent accounts. */
    char *json1 = NULL, *json2 = NULL;
    CHECK_OK(seccode_account_to_json(account, &json1));
    seccode_account *again = NULL, *twice = NULL;
    CHECK_OK(seccode_account_from_json(SV(json1), &again));
    CHECK_OK(seccode_account_from_json(SV(json1), &twice));
    CHECK_OK(seccode_account_to_json(again, &json2));
    CHECK_STR(json2, json1);
    seccode_string_free(json2);
    CHECK_OK(seccode_account_set_account_code(twice, engine, JOE, SV(CODE)));
    CHECK_OK(seccode_account_to_json(again, &json2));
    CHECK_STR(json2, json1);
    seccode_string_free(json1);
    seccode_string_free(json2);

    /* The catalog handle outlives or predeceases its accounts freely. */
    seccode_catalog *cat = NULL;
    CHECK_OK(seccode_account_catalog(again, &cat));
    seccode_account_free(again);
    char *cat_json = NULL;
    CHECK_OK(seccode_catalog_to_json(cat, &cat_json));
    CHECK(contains(cat_json, "Manage Contact Facility Access"));
    seccode_string_free(cat_json);
    seccode_catalog_free(cat);

    /* Details handles are reusable after use. */
    seccode_contact_details *d = details("Reused", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(twice, engine, JOE, 5000, d));
    CHECK_OK(seccode_account_add_contact(twice, engine, JOE, 5001, d));
    CHECK_OK(seccode_contact_details_set_title(d, SV("Renamed")));
    CHECK_OK(seccode_account_edit_contact(twice, engine, 5000, 5000, d));
    CHECK_RC(seccode_account_edit_contact(twice, engine, 5000, 5001, d),
             SECCODE_RESULT_PERMISSION_DENIED);
    seccode_contact_details_free(d);

    seccode_account_free(twice);
    seccode_account_free(account);
}

/* The three steps of a verification, used wrongly: every misuse is a typed result. */
static void verification_steps(seccode_engine *engine) {
    seccode_account *account = any_company(engine);
    seccode_contact_details *owner = details("Other Owner", NULL, NULL, NULL);
    seccode_account *other = NULL;
    CHECK_OK(seccode_account_new(1708, SV("Other Company"), JOE, owner, &other));
    seccode_contact_details_free(owner);
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(CODE)));

    seccode_attempt *attempt = NULL;
    CHECK_OK(seccode_account_begin_verify(account, engine, JOE, &attempt));
    uint64_t who = 0;
    bool locked = true;
    CHECK_OK(seccode_attempt_contact(attempt, &who));
    CHECK_OK(seccode_attempt_is_locked(attempt, &locked));
    CHECK(who == JOE && !locked);

    /* A bad code leaves the attempt as it was. */
    seccode_checked_attempt *checked = SENTINEL;
    CHECK_RC(seccode_attempt_check(engine, attempt, BAD_UTF8, sizeof BAD_UTF8, &checked),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_attempt_check(engine, attempt, NULL, 0, &checked),
             SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK(checked == SENTINEL);
    CHECK_OK(seccode_attempt_check(engine, attempt, SV(CODE), &checked));

    /* Checked once: the attempt is used up, but still freed by its owner. */
    seccode_checked_attempt *again = SENTINEL;
    CHECK_RC(seccode_attempt_check(engine, attempt, SV(CODE), &again), SECCODE_RESULT_CONFLICT);
    CHECK(again == SENTINEL);
    CHECK_RC(seccode_attempt_contact(attempt, &who), SECCODE_RESULT_CONFLICT);
    CHECK_RC(seccode_attempt_is_locked(attempt, &locked), SECCODE_RESULT_CONFLICT);
    seccode_attempt_free(attempt);

    /* Finishing on another account is refused and leaves the checked attempt usable. */
    seccode_verification *v = SENTINEL;
    CHECK_RC(seccode_account_finish_verify(other, engine, checked, &v), SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK(v == SENTINEL);
    CHECK(contains(check_last_error(), "1707"));
    CHECK_OK(seccode_account_finish_verify(account, engine, checked, &v));
    seccode_outcome outcome = 99;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_VERIFIED);
    seccode_verification_free(v);
    v = SENTINEL;
    CHECK_RC(seccode_account_finish_verify(account, engine, checked, &v), SECCODE_RESULT_CONFLICT);
    CHECK(v == SENTINEL);
    seccode_checked_attempt_free(checked);

    /* An attempt freed unchecked stays counted. */
    CHECK_OK(seccode_account_begin_verify(account, engine, CONTACT, &attempt));
    seccode_attempt_free(attempt);
    uint32_t fails = 0;
    int64_t until = 0;
    CHECK_OK(seccode_account_contact_lock_state(account, engine, CONTACT, &fails, &locked, &until));
    CHECK(fails == 1 && !locked);

    seccode_account_free(other);
    seccode_account_free(account);
}

int main(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);

    null_handles_and_outputs(engine, account);
    slices(engine, account);
    malformed_data(engine);
    unknown_ids_and_values(engine, account);
    buffers_too_small(engine, account);
    repeated_operations(engine);
    verification_steps(engine);

    /* After all of that, the account still works. */
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT2, SV(CODE)));
    CHECK(verify_outcome(account, engine, CONTACT2, CODE, NULL) == SECCODE_OUTCOME_VERIFIED);

    seccode_account_free(account);
    seccode_engine_free(engine);
    return check_report("bad_input");
}
