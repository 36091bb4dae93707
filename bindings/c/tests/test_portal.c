/*
 * Everything else a portal does through the C ABI: lockout and unlock on a manual clock,
 * rehash on verify (new parameters, pepper rotation, normalization change), legacy imports,
 * saving and loading, contact administration, requests with verified calls (void, expired),
 * the three verification steps with the account kept as JSON between them, a custom code
 * policy, sealed copies revealed, custom catalogs, plain PHC helpers.
 */
#include "check.h"

static const char *GOOD = "Velvet thunder orchard lamp";
static const char *WRONG = "completely different words";
static const char *OTHER = "Harbor lantern mosaic pine";

/* An address no library output ever equals. */
static char sentinel_object;
#define SENTINEL_CALL ((seccode_verified_call *)(void *)&sentinel_object)

static seccode_call_status status_of(const seccode_account *account, const seccode_engine *engine,
                                     const seccode_verified_call *call) {
    seccode_call_status status = 99;
    CHECK_OK(seccode_account_call_status(account, engine, call, &status));
    return status;
}

static void lockout_and_unlock(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT2, SV(GOOD)));

    /* Four failures, then a success: the count resets. */
    for (int i = 0; i < 4; i++) {
        CHECK(verify_outcome(account, engine, CONTACT2, WRONG, NULL) ==
              SECCODE_OUTCOME_NOT_VERIFIED);
    }
    uint32_t fails = 99;
    bool locked = true;
    int64_t until = -1;
    CHECK_OK(seccode_account_contact_lock_state(account, engine, CONTACT2, &fails, &locked, &until));
    CHECK(fails == 4 && !locked && until == 0);
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);
    CHECK_OK(seccode_account_contact_lock_state(account, engine, CONTACT2, &fails, &locked, &until));
    CHECK(fails == 0);

    /* Five consecutive failures lock the contact for 30 minutes. */
    for (int i = 1; i <= 5; i++) {
        seccode_verification *v = NULL;
        CHECK_OK(seccode_account_verify(account, engine, CONTACT2, SV(WRONG), &v));
        CHECK_OK(seccode_verification_lock_state(v, &fails, &until));
        CHECK(fails == (uint32_t)i);
        seccode_verification_free(v);
    }
    int64_t now = 0;
    CHECK_OK(seccode_engine_now(engine, &now));
    CHECK(until == now + 1800);
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, &why) == SECCODE_OUTCOME_LOCKED);
    CHECK(why == SECCODE_VERIFY_REASON_LOCKED);

    /* The lock survives a save and load. */
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    seccode_account *loaded = NULL;
    CHECK_OK(seccode_account_from_json(SV(json), &loaded));
    seccode_string_free(json);
    CHECK(verify_outcome(loaded, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_LOCKED);

    /* Still locked after 29 minutes, free after 30. */
    CHECK_OK(seccode_engine_advance_clock(engine, 29 * 60));
    CHECK(verify_outcome(loaded, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_LOCKED);
    CHECK_OK(seccode_engine_advance_clock(engine, 60));
    CHECK(verify_outcome(loaded, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);
    seccode_account_free(loaded);

    /* Unlock needs Manage Contacts / Update. */
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);
    for (int i = 0; i < 5; i++) {
        verify_outcome(account, engine, CONTACT2, WRONG, NULL);
    }
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_LOCKED);
    CHECK_RC(seccode_account_unlock(account, engine, CONTACT, CONTACT2),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Manage Contacts"),
                                            SECCODE_ACTION_UPDATE, SECCODE_SETTING_ALLOW));
    CHECK_OK(seccode_account_unlock(account, engine, CONTACT, CONTACT2));
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);

    /* Unknown ids lock too, so locking does not reveal which ids exist. */
    for (int i = 0; i < 5; i++) {
        CHECK(verify_outcome(account, engine, 424242, WRONG, NULL) == SECCODE_OUTCOME_NOT_VERIFIED);
    }
    CHECK(verify_outcome(account, engine, 424242, WRONG, NULL) == SECCODE_OUTCOME_LOCKED);

    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(contains(events, "\"kind\":\"locked\""));
    CHECK(contains(events, "\"kind\":\"unlocked\""));
    CHECK(contains(events, "\"reason\":\"wrong_code\""));
    CHECK(!contains(events, "thunder") && !contains(events, "different"));
    seccode_string_free(events);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

static void rehash_on_verify(void) {
    seccode_engine *old = cheap_engine();
    seccode_account *account = any_company(old);
    CHECK_OK(seccode_account_set_account_code(account, old, JOE, SV(GOOD)));

    seccode_engine *stronger = cheap_engine_with(128, 2, 1);
    /* A wrong code upgrades nothing. */
    seccode_verification *v = NULL;
    size_t n = 99;
    CHECK_OK(seccode_account_verify(account, stronger, JOE, SV(WRONG), &v));
    CHECK_OK(seccode_verification_upgrade_count(v, &n));
    CHECK(n == 0);
    seccode_verification_free(v);

    /* The right one verifies under the old hash and yields the upgraded one to store. */
    CHECK_OK(seccode_account_verify(account, stronger, JOE, SV(GOOD), &v));
    seccode_outcome outcome = 99;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_VERIFIED);
    CHECK_OK(seccode_verification_upgrade_count(v, &n));
    CHECK(n == 1);
    seccode_slot slot = 99;
    char *stored = NULL, *phc = NULL;
    CHECK_OK(seccode_verification_upgrade(v, 0, &slot, &stored));
    CHECK(slot == SECCODE_SLOT_ACCOUNT_WIDE);
    CHECK(contains(stored, "\"phc\":\"$argon2id$v=19$m=128,t=2,p=1$"));
    CHECK(contains(stored, "\"normalization\":\"spoken\""));
    CHECK_OK(seccode_verification_upgrade_phc(v, 0, &phc));
    CHECK(contains(stored, phc));
    uint64_t who = 0;
    CHECK_OK(seccode_verification_contact(v, &who));
    CHECK(who == JOE);
    seccode_verification_free(v);

    /* The account already holds it: its JSON has the new hash. */
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(contains(json, phc));
    seccode_string_free(json);
    seccode_string_free(stored);
    seccode_string_free(phc);

    /* Now current: no further upgrade. */
    CHECK_OK(seccode_account_verify(account, stronger, JOE, SV(GOOD), &v));
    CHECK_OK(seccode_verification_upgrade_count(v, &n));
    CHECK(n == 0);
    seccode_verification_free(v);

    /* Exact matching from now on: the old spoken hash still verifies and stays spoken (the
       caller's spelling must not become the exact code); the code as set still verifies. */
    CHECK_OK(seccode_account_set_normalization(account, stronger, JOE, SECCODE_NORMALIZATION_EXACT));
    seccode_normalization norm = 99;
    CHECK_OK(seccode_account_normalization(account, &norm));
    CHECK(norm == SECCODE_NORMALIZATION_EXACT);
    CHECK_OK(seccode_account_verify(account, stronger, JOE, SV("velvet thunder orchard lamp"), &v));
    CHECK_OK(seccode_verification_upgrade_count(v, &n));
    CHECK(n == 0);
    seccode_verification_free(v);
    CHECK(verify_outcome(account, stronger, JOE, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);

    seccode_account_free(account);
    seccode_engine_free(stronger);
    seccode_engine_free(old);
}

static seccode_engine *peppered(const char *current_id, const char *current,
                                const char *retired_id, const char *retired) {
    seccode_engine_config *config = NULL;
    seccode_engine *engine = NULL;
    CHECK_OK(seccode_engine_config_new(&config));
    CHECK_OK(seccode_engine_config_set_hash_params(config, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_max_concurrent_hashes(config, 2));
    CHECK_OK(seccode_engine_config_set_lockout(config, 3, 60));
    CHECK_OK(seccode_engine_config_set_pepper(config, SV(current_id), SV(current)));
    if (retired_id != NULL) {
        CHECK_OK(seccode_engine_config_add_retired_pepper(config, SV(retired_id), SV(retired)));
    }
    CHECK_OK(seccode_engine_new(config, &engine));
    seccode_engine_config_free(config);
    return engine;
}

static void pepper_rotation(void) {
    seccode_engine *v1 = peppered("k1", "0123456789abcdef0123", NULL, NULL);
    seccode_account *account = any_company(v1);
    CHECK_OK(seccode_account_set_contact_code(account, v1, JOE, CONTACT, SV(GOOD)));
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(contains(json, "keyid="));
    seccode_string_free(json);

    /* Without the pepper the hash cannot be used: not verified, and the audit reason says
     * why (an operator problem, not a wrong code). */
    seccode_engine *bare = cheap_engine();
    seccode_verification *v = NULL;
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, bare, CONTACT, GOOD, &why) == SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_UNUSABLE_HASH);
    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(contains(events, "unusable_hash"));
    seccode_string_free(events);
    seccode_engine_free(bare);

    /* Rotate: k2 current, k1 retired; the code verifies and is re-peppered. */
    seccode_engine *v2 = peppered("k2", "fedcba9876543210fedc", "k1", "0123456789abcdef0123");
    CHECK_OK(seccode_account_verify(account, v2, CONTACT, SV(GOOD), &v));
    size_t n = 0;
    seccode_outcome outcome = 99;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_VERIFIED);
    CHECK_OK(seccode_verification_upgrade_count(v, &n));
    CHECK(n == 1);
    seccode_verification_free(v);

    /* Lockout from this engine's configuration: 3 failures. */
    for (int i = 0; i < 3; i++) {
        verify_outcome(account, v2, CONTACT, WRONG, NULL);
    }
    CHECK(verify_outcome(account, v2, CONTACT, GOOD, NULL) == SECCODE_OUTCOME_LOCKED);

    seccode_account_free(account);
    seccode_engine_free(v2);
    seccode_engine_free(v1);
}

static void legacy_imports(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);

    /* A plaintext "Phone/Chat Code" is hashed at once, even one the policy would refuse. */
    CHECK_OK(seccode_account_import_legacy_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                                SV("blue42"), false));
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(!contains(json, "blue42"));
    seccode_string_free(json);
    CHECK(verify_outcome(account, engine, CONTACT2, "Blue 42", NULL) == SECCODE_OUTCOME_VERIFIED);

    /* A PHC string from argon2-cffi: verifies as typed, and is upgraded on success. */
    const char *cffi = "$argon2id$v=19$m=1024,t=1,p=1$0Jtzz7jp2dn+vZA4Q7BuLA$"
                       "VuHc/K5g7PPuZCuS38Jifn+1mZ1T660pD1ZJa3CqrSg";
    CHECK_OK(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                SV(cffi), false));
    CHECK(verify_outcome(account, engine, JOE, "Purple monkey, dishwasher!", NULL) ==
          SECCODE_OUTCOME_NOT_VERIFIED);
    seccode_verification *v = NULL;
    CHECK_OK(seccode_account_verify(account, engine, JOE, SV("purple monkey dishwasher"), &v));
    seccode_outcome outcome = 99;
    size_t n = 0;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_VERIFIED);
    CHECK_OK(seccode_verification_upgrade_count(v, &n));
    CHECK(n == 1);
    char *stored = NULL;
    seccode_slot slot = 99;
    CHECK_OK(seccode_verification_upgrade(v, 0, &slot, &stored));
    CHECK(contains(stored, "\"binding\":\"scoped\""));
    seccode_string_free(stored);
    seccode_verification_free(v);
    /* Upgraded to the account's spoken matching. */
    CHECK(verify_outcome(account, engine, JOE, "Purple monkey, dishwasher!", NULL) ==
          SECCODE_OUTCOME_VERIFIED);

    CHECK_RC(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT,
                                                SV("$2b$10$notargon"), false),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK_RC(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_INDIVIDUAL, 77,
                                                SV(cffi), false),
             SECCODE_RESULT_NOT_FOUND);

    /* A set slot is replaced only when asked: ALREADY_SET, and the code still works. */
    CHECK_RC(seccode_account_import_legacy_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                                SV("red77"), false),
             SECCODE_RESULT_ALREADY_SET);
    CHECK(last_error_name_is("already_set"));
    CHECK(verify_outcome(account, engine, CONTACT2, "blue42", NULL) == SECCODE_OUTCOME_VERIFIED);
    CHECK(verify_outcome(account, engine, CONTACT2, "red77", NULL) == SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK_RC(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                SV(cffi), false),
             SECCODE_RESULT_ALREADY_SET);
    CHECK_OK(seccode_account_import_legacy_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                                SV("red77"), true));
    CHECK(verify_outcome(account, engine, CONTACT2, "red77", NULL) == SECCODE_OUTCOME_VERIFIED);
    CHECK(verify_outcome(account, engine, CONTACT2, "blue42", NULL) == SECCODE_OUTCOME_NOT_VERIFIED);

    /*
     * A hash over the engine's ceilings could never be checked: refused with a typed result,
     * even with overwrite, and it replaces nothing (the account's JSON is unchanged).
     */
    const char *huge = "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                       "q5mBV5OqbsRC6k6vRfMSY0QAKchaS8ZPq5eSddd7L5M";
    char *before = NULL, *after = NULL;
    CHECK_OK(seccode_account_to_json(account, &before));
    CHECK_RC(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                SV(huge), true),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK(last_error_name_is("hash_ceiling_exceeded"));
    CHECK(contains(check_last_error(), "ceiling"));
    CHECK_RC(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT2,
                                                SV(huge), true),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK_OK(seccode_account_to_json(account, &after));
    CHECK_STR(after, before);
    seccode_string_free(before);
    seccode_string_free(after);
    CHECK(verify_outcome(account, engine, JOE, "Purple monkey, dishwasher!", NULL) ==
          SECCODE_OUTCOME_VERIFIED);
    CHECK(verify_outcome(account, engine, CONTACT2, "red77", NULL) == SECCODE_OUTCOME_VERIFIED);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

static void contacts_and_requests(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);

    uint64_t id = 0;
    CHECK_OK(seccode_account_id(account, &id));
    CHECK(id == ACCOUNT_ID);
    CHECK_OK(seccode_account_primary(account, &id));
    CHECK(id == JOE);

    /* A contact with Manage Contacts / Create may add; Update edits others; Delete deactivates. */
    seccode_contact_details *d = details("New Hire", "Support", "555-0100", "hire@example.com");
    CHECK_OK(seccode_contact_details_set_audit_account(d, true));
    CHECK_OK(seccode_contact_details_set_rwhois(d, true, false, true));
    CHECK_RC(seccode_account_add_contact(account, engine, CONTACT, 4000, d),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Manage Contacts"),
                                            SECCODE_ACTION_CREATE, SECCODE_SETTING_ALLOW));
    CHECK_OK(seccode_account_add_contact(account, engine, CONTACT, 4000, d));
    seccode_contact_details_free(d);
    char *json = NULL;
    CHECK_OK(seccode_account_contact_json(account, engine, 4000, &json));
    CHECK(contains(json, "\"id\":4000"));
    CHECK(contains(json, "\"name\":\"New Hire\""));
    CHECK(contains(json, "\"audit_account\":true"));
    CHECK(contains(json, "\"poc\":true"));
    CHECK(contains(json, "\"active\":true"));
    CHECK(contains(json, "\"primary\":false"));
    CHECK(contains(json, "\"has_code\":false"));
    CHECK(contains(json, "\"may_know_account_code\":false"));
    CHECK(contains(json, "\"failed_attempts\":0"));
    CHECK(contains(json, "\"locked\":false"));
    seccode_string_free(json);
    /* The listing: every contact, in id order. */
    CHECK_OK(seccode_account_contacts_json(account, engine, &json));
    const char *joe = strstr(json, "\"id\":3522");
    const char *hire = strstr(json, "\"id\":4000");
    CHECK(json[0] == '[' && joe != NULL && hire != NULL && joe < hire);
    CHECK(contains(json, "\"primary\":true"));
    seccode_string_free(json);

    /* A contact edits its own details. */
    d = details("New Hire", "Senior Support", NULL, NULL);
    CHECK_OK(seccode_account_edit_contact(account, engine, 4000, 4000, d));
    CHECK_RC(seccode_account_edit_contact(account, engine, CONTACT, 4000, d),
             SECCODE_RESULT_PERMISSION_DENIED);
    seccode_contact_details_free(d);
    CHECK_OK(seccode_account_contact_json(account, engine, 4000, &json));
    CHECK(contains(json, "\"title\":\"Senior Support\""));
    seccode_string_free(json);

    /* Deactivated: cannot verify, its call is void; reactivated: back (with a new call). */
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, 4000, SV(GOOD)));
    seccode_verified_call *call = verified_call(account, engine, 4000, GOOD);
    CHECK(call != NULL);
    CHECK_RC(seccode_account_deactivate_contact(account, engine, CONTACT, 4000),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK_OK(seccode_account_deactivate_contact(account, engine, JOE, 4000));
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, 4000, GOOD, &why) == SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_DEACTIVATED);
    seccode_decision *dec = NULL;
    seccode_verdict verdict = 99;
    seccode_deny_reason deny = 99;
    CHECK(authorize_call(account, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_DENIED);
    CHECK(deny == SECCODE_DENY_REASON_VERIFICATION_VOID);
    CHECK_OK(seccode_account_reactivate_contact(account, engine, CONTACT, 4000));
    CHECK(authorize_call(account, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_DENIED);
    CHECK(deny == SECCODE_DENY_REASON_VERIFICATION_VOID);
    seccode_verified_call_free(call);
    call = verified_call(account, engine, 4000, GOOD);
    CHECK(call != NULL);

    /* Removed for good: the primary contact cannot be; an unknown id is not found. */
    d = details("Temporary", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(account, engine, JOE, 4001, d));
    seccode_contact_details_free(d);
    CHECK_RC(seccode_account_remove_contact(account, engine, JOE, JOE), SECCODE_RESULT_CONFLICT);
    CHECK_OK(seccode_account_remove_contact(account, engine, JOE, 4001));
    CHECK_RC(seccode_account_remove_contact(account, engine, JOE, 4001), SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_contact_json(account, engine, 4001, &json), SECCODE_RESULT_NOT_FOUND);

    /* Billable needs Billing & Services / Update: inherited from Client Portal here. */
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, 4000, SV("Client Portal"),
                                            SECCODE_ACTION_UPDATE, SECCODE_SETTING_ALLOW));
    seccode_effective value = 99;
    seccode_origin origin = 99;
    char *decided_by = NULL;
    CHECK_OK(seccode_account_effective(account, 4000, SV("Billing & Services"),
                                       SECCODE_ACTION_UPDATE, &value, &origin, &decided_by));
    CHECK(value == SECCODE_EFFECTIVE_ALLOW && origin == SECCODE_ORIGIN_INHERITED);
    CHECK_STR(decided_by, "Client Portal");
    seccode_string_free(decided_by);
    CHECK_OK(seccode_account_authorize(account, engine, call, SECCODE_REQUEST_KIND_BILLABLE, &dec));
    CHECK_OK(seccode_decision_verdict(dec, &verdict));
    CHECK(verdict == SECCODE_VERDICT_ALLOWED);
    CHECK_OK(seccode_decision_deny_reason(dec, &deny));
    CHECK(deny == SECCODE_DENY_REASON_NONE);
    CHECK_OK(seccode_decision_to_json(dec, &json));
    CHECK_STR(json, "{\"decision\":\"allowed\"}");
    seccode_string_free(json);
    seccode_decision_free(dec);
    seccode_verified_call_free(call);

    /* The owner's grid: every applicable cell (Allow), decided by no setting. */
    CHECK_OK(seccode_account_effective(account, JOE, SV("Website"), SECCODE_ACTION_VIEW, &value,
                                       &origin, &decided_by));
    CHECK(value == SECCODE_EFFECTIVE_ALLOW && origin == SECCODE_ORIGIN_OWNER && decided_by == NULL);
    CHECK_OK(seccode_account_effective(account, JOE, SV("Website"), SECCODE_ACTION_UPDATE, &value,
                                       &origin, &decided_by));
    CHECK(value == SECCODE_EFFECTIVE_NOT_APPLICABLE && decided_by == NULL);

    /* A verification that did not verify authorizes nothing. */
    seccode_verification *v = NULL;
    CHECK_OK(seccode_account_verify(account, engine, 4000, SV(WRONG), &v));
    CHECK_OK(seccode_account_authorize_verified(account, engine, v, SECCODE_REQUEST_KIND_ROUTINE,
                                                &dec));
    CHECK_OK(seccode_decision_deny_reason(dec, &deny));
    CHECK(deny == SECCODE_DENY_REASON_NOT_VERIFIED);
    seccode_decision_free(dec);
    /* It grants no call: NULL, and the call succeeds. */
    call = SENTINEL_CALL;
    CHECK_OK(seccode_verification_call(v, &call));
    CHECK(call == NULL);
    seccode_verification_free(v);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

static void custom_catalog(void) {
    seccode_engine *engine = cheap_engine();
    const char *store =
        "{\"resources\": [{\"name\": \"Store\", \"actions\": [\"view\", \"create\", \"update\", "
        "\"delete\"]}, {\"name\": \"Orders\", \"parent\": \"Store\", \"actions\": [\"view\", \"update\"]}],"
        " \"roles\": {\"profile\": \"Store\", \"manage_contacts\": null, \"billing\": \"Orders\"}}";
    seccode_catalog *catalog = NULL;
    CHECK_OK(seccode_catalog_from_json(SV(store), &catalog));
    seccode_contact_details *owner = details("Owner Person", NULL, NULL, NULL);
    seccode_account *account = NULL;
    CHECK_OK(seccode_account_new_with_catalog(9, SV("Shop"), 1, owner, catalog, &account));
    seccode_catalog_free(catalog); /* the account keeps its own reference */
    seccode_contact_details *clerk = details("Clerk Person", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(account, engine, 1, 2, clerk));
    seccode_contact_details_free(owner);
    seccode_contact_details_free(clerk);

    CHECK_RC(seccode_account_set_permission(account, engine, 1, 2, SV("Orders"),
                                            SECCODE_ACTION_CREATE, SECCODE_SETTING_ALLOW),
             SECCODE_RESULT_NOT_APPLICABLE);
    CHECK_OK(seccode_account_set_permission(account, engine, 1, 2, SV("Store"), SECCODE_ACTION_VIEW,
                                            SECCODE_SETTING_ALLOW));
    char *grid = NULL;
    char row[128];
    CHECK_OK(seccode_account_render_grid(account, 2, &grid));
    CHECK(grid_row(grid, "Orders", row, sizeof row) != NULL);
    CHECK_STR(row, "(Allow)  -  (None)  -");
    seccode_string_free(grid);

    /* Profile role is "Store": the clerk may now use the account-wide code. */
    bool may = false;
    CHECK_OK(seccode_account_may_know_account_code(account, 2, &may));
    CHECK(may);

    /* The custom catalog travels with the account's JSON. */
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(contains(json, "\"catalog\""));
    seccode_account *again = NULL;
    CHECK_OK(seccode_account_from_json(SV(json), &again));
    seccode_string_free(json);
    CHECK_OK(seccode_account_render_grid(again, 2, &grid));
    CHECK(grid_row(grid, "Orders", row, sizeof row) != NULL);
    CHECK_STR(row, "(Allow)  -  (None)  -");
    seccode_string_free(grid);
    seccode_account_free(again);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

static void plain_helpers(void) {
    seccode_engine *engine = cheap_engine();
    char *phc = NULL;
    bool matched = false;
    CHECK_OK(seccode_hash_code(engine, SV("Purple monkey, dishwasher!"),
                               SECCODE_NORMALIZATION_SPOKEN, &phc));
    CHECK(contains(phc, "$argon2id$v=19$m=64,t=1,p=1$"));
    CHECK_OK(seccode_verify_code(engine, SV(phc), SV("purple monkey dishwasher"),
                                 SECCODE_NORMALIZATION_SPOKEN, &matched));
    CHECK(matched);
    CHECK_OK(seccode_verify_code(engine, SV(phc), SV("purple monkey dishwashers"),
                                 SECCODE_NORMALIZATION_SPOKEN, &matched));
    CHECK(!matched);
    seccode_string_free(phc);

    CHECK_OK(seccode_hash_code(engine, SV("Case Counts"), SECCODE_NORMALIZATION_EXACT, &phc));
    CHECK_OK(seccode_verify_code(engine, SV(phc), SV("case counts"), SECCODE_NORMALIZATION_EXACT,
                                 &matched));
    CHECK(!matched);
    CHECK_OK(seccode_verify_code(engine, SV(phc), SV("Case Counts"), SECCODE_NORMALIZATION_EXACT,
                                 &matched));
    CHECK(matched);
    seccode_string_free(phc);

    const char *version = seccode_version();
    CHECK(version != NULL && strchr(version, '.') != NULL);
    seccode_engine_free(engine);
}

/*
 * SPEC 7: a verification is for one call. Account 1707 verifies contact 3523; account 1708 also
 * has a contact 3523: the call is void there. Removing 3523 and adding someone else under that
 * id, or changing its code, voids it too; it expires after the engine's lifetime.
 */
static void verified_calls(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *a1707 = any_company(engine);
    seccode_contact_details *owner = details("Other Owner", NULL, NULL, NULL);
    seccode_account *a1708 = NULL;
    CHECK_OK(seccode_account_new(1708, SV("Other Company"), 4100, owner, &a1708));
    seccode_contact_details_free(owner);
    seccode_contact_details *twin = details("Contact Example", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(a1708, engine, 4100, CONTACT, twin));
    seccode_contact_details_free(twin);
    /* Even the same code on the other account does not help. */
    CHECK_OK(seccode_account_set_contact_code(a1707, engine, JOE, CONTACT, SV(GOOD)));
    CHECK_OK(seccode_account_set_contact_code(a1708, engine, 4100, CONTACT, SV(GOOD)));

    int64_t now = 0;
    CHECK_OK(seccode_engine_now(engine, &now));
    seccode_verified_call *call = verified_call(a1707, engine, CONTACT, GOOD);
    CHECK(call != NULL);
    uint64_t id = 0;
    CHECK_OK(seccode_verified_call_account(call, &id));
    CHECK(id == 1707);
    CHECK_OK(seccode_verified_call_contact(call, &id));
    CHECK(id == CONTACT);
    seccode_slot slot = 99;
    CHECK_OK(seccode_verified_call_slot(call, &slot));
    CHECK(slot == SECCODE_SLOT_INDIVIDUAL);
    int64_t at = 0, expires = 0;
    CHECK_OK(seccode_verified_call_verified_at(call, &at));
    CHECK_OK(seccode_verified_call_expires_at(call, &expires));
    CHECK(at == now && expires == now + 900);

    seccode_deny_reason deny = 99;
    CHECK(status_of(a1707, engine, call) == SECCODE_CALL_STATUS_VALID);
    CHECK(authorize_call(a1707, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_ALLOWED);
    CHECK(deny == SECCODE_DENY_REASON_NONE);
    CHECK(status_of(a1708, engine, call) == SECCODE_CALL_STATUS_VOID);
    CHECK(authorize_call(a1708, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_DENIED);
    CHECK(deny == SECCODE_DENY_REASON_VERIFICATION_VOID);
    seccode_decision *dec = NULL;
    char *text = NULL;
    CHECK_OK(seccode_account_authorize(a1708, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &dec));
    CHECK_OK(seccode_decision_to_json(dec, &text));
    CHECK(contains(text, "\"reason\":\"verification_void\""));
    seccode_string_free(text);
    CHECK_OK(seccode_decision_message(dec, &text));
    CHECK(contains(text, "verify again"));
    seccode_string_free(text);
    seccode_decision_free(dec);

    /* Kept in the portal's session as JSON and read back: the same call, no secret in it. */
    char *json = NULL, *again_json = NULL;
    CHECK_OK(seccode_verified_call_to_json(call, &json));
    CHECK(contains(json, "1707") && !contains(json, "Velvet") && !contains(json, "argon2"));
    seccode_verified_call *kept = NULL;
    CHECK_OK(seccode_verified_call_from_json(SV(json), &kept));
    CHECK_OK(seccode_verified_call_to_json(kept, &again_json));
    CHECK_STR(again_json, json);
    CHECK(status_of(a1707, engine, kept) == SECCODE_CALL_STATUS_VALID);
    CHECK(status_of(a1708, engine, kept) == SECCODE_CALL_STATUS_VOID);
    seccode_string_free(json);
    seccode_string_free(again_json);
    seccode_verified_call_free(kept);

    /* A changed code voids it; a new verification with the new code is valid. */
    CHECK_OK(seccode_account_set_contact_code(a1707, engine, JOE, CONTACT, SV(OTHER)));
    CHECK(status_of(a1707, engine, call) == SECCODE_CALL_STATUS_VOID);
    CHECK(authorize_call(a1707, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_DENIED);
    CHECK(deny == SECCODE_DENY_REASON_VERIFICATION_VOID);
    seccode_verified_call_free(call);
    call = verified_call(a1707, engine, CONTACT, OTHER);
    CHECK(call != NULL && status_of(a1707, engine, call) == SECCODE_CALL_STATUS_VALID);

    /* Removed, then someone else added under the same id with the same code: void. */
    CHECK_OK(seccode_account_remove_contact(a1707, engine, JOE, CONTACT));
    CHECK(status_of(a1707, engine, call) == SECCODE_CALL_STATUS_VOID);
    seccode_contact_details *newcomer = details("Someone Else", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(a1707, engine, JOE, CONTACT, newcomer));
    seccode_contact_details_free(newcomer);
    CHECK_OK(seccode_account_set_contact_code(a1707, engine, JOE, CONTACT, SV(OTHER)));
    CHECK(status_of(a1707, engine, call) == SECCODE_CALL_STATUS_VOID);
    CHECK(authorize_call(a1707, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_DENIED);
    CHECK(deny == SECCODE_DENY_REASON_VERIFICATION_VOID);
    seccode_verified_call_free(call);

    /* It expires after the lifetime (900 s by default). */
    call = verified_call(a1707, engine, CONTACT, OTHER);
    CHECK_OK(seccode_engine_advance_clock(engine, 899));
    CHECK(status_of(a1707, engine, call) == SECCODE_CALL_STATUS_VALID);
    CHECK_OK(seccode_engine_advance_clock(engine, 1));
    CHECK(status_of(a1707, engine, call) == SECCODE_CALL_STATUS_EXPIRED);
    CHECK(authorize_call(a1707, engine, call, SECCODE_REQUEST_KIND_ROUTINE, &deny) ==
          SECCODE_VERDICT_DENIED);
    CHECK(deny == SECCODE_DENY_REASON_VERIFICATION_EXPIRED);
    seccode_verified_call_free(call);

    /* A call on the account-wide code is voided by a change of that code only. */
    CHECK_OK(seccode_account_set_account_code(a1707, engine, JOE, SV(GOOD)));
    seccode_verified_call *owner_call = verified_call(a1707, engine, JOE, GOOD);
    seccode_verified_call *contact_call = verified_call(a1707, engine, CONTACT, OTHER);
    CHECK_OK(seccode_verified_call_slot(owner_call, &slot));
    CHECK(slot == SECCODE_SLOT_ACCOUNT_WIDE);
    CHECK_OK(seccode_account_set_account_code(a1707, engine, JOE, SV("Granite willow compass fern")));
    CHECK(status_of(a1707, engine, owner_call) == SECCODE_CALL_STATUS_VOID);
    CHECK(status_of(a1707, engine, contact_call) == SECCODE_CALL_STATUS_VALID);
    seccode_verified_call_free(owner_call);
    seccode_verified_call_free(contact_call);

    /* The lifetime is the engine's to configure. */
    seccode_engine_config *config = NULL;
    seccode_engine *short_lived = NULL;
    CHECK_OK(seccode_engine_config_new(&config));
    CHECK_OK(seccode_engine_config_set_hash_params(config, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_manual_clock(config, INT64_C(1795469251)));
    CHECK_OK(seccode_engine_config_set_verification_lifetime(config, 60));
    CHECK_OK(seccode_engine_new(config, &short_lived));
    seccode_engine_config_free(config);
    call = verified_call(a1707, short_lived, CONTACT, OTHER);
    CHECK_OK(seccode_verified_call_verified_at(call, &at));
    CHECK_OK(seccode_verified_call_expires_at(call, &expires));
    CHECK(expires == at + 60);
    CHECK_OK(seccode_engine_advance_clock(short_lived, 60));
    CHECK(status_of(a1707, short_lived, call) == SECCODE_CALL_STATUS_EXPIRED);
    seccode_verified_call_free(call);
    seccode_engine_free(short_lived);

    seccode_account_free(a1708);
    seccode_account_free(a1707);
    seccode_engine_free(engine);
}

/*
 * The three steps as a portal with its own database runs them: the account is a JSON row;
 * begin and save in one transaction, check with none open, finish and save in another.
 */
static void three_steps_with_own_database(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT, SV(GOOD)));
    char *row = NULL;
    CHECK_OK(seccode_account_to_json(account, &row));
    seccode_account_free(account);
    uint64_t before = 0, after = 0;
    size_t peak = 0;

    /* Transaction 1: load, begin, save. The attempt is counted before any hash runs. */
    CHECK_OK(seccode_engine_hash_stats(engine, &before, &peak));
    CHECK_OK(seccode_account_from_json(SV(row), &account));
    seccode_attempt *attempt = NULL;
    CHECK_OK(seccode_account_begin_verify(account, engine, CONTACT, &attempt));
    seccode_string_free(row);
    CHECK_OK(seccode_account_to_json(account, &row));
    seccode_account_free(account);
    CHECK_OK(seccode_engine_hash_stats(engine, &after, &peak));
    CHECK(after == before);
    CHECK_OK(seccode_account_from_json(SV(row), &account));
    uint32_t fails = 0;
    bool locked = true;
    int64_t until = 0;
    CHECK_OK(seccode_account_contact_lock_state(account, engine, CONTACT, &fails, &locked, &until));
    CHECK(fails == 1 && !locked);
    seccode_account_free(account);

    /* No transaction: exactly two Argon2id evaluations. */
    seccode_checked_attempt *checked = NULL;
    CHECK_OK(seccode_attempt_check(engine, attempt, SV(GOOD), &checked));
    seccode_attempt_free(attempt);
    CHECK_OK(seccode_engine_hash_stats(engine, &after, &peak));
    CHECK(after == before + 2);

    /* Transaction 2: load, finish, save. A success clears the count. */
    CHECK_OK(seccode_account_from_json(SV(row), &account));
    seccode_verification *v = NULL;
    CHECK_OK(seccode_account_finish_verify(account, engine, checked, &v));
    seccode_checked_attempt_free(checked);
    seccode_outcome outcome = 99;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_VERIFIED);
    seccode_verified_call *call = NULL;
    CHECK_OK(seccode_verification_call(v, &call));
    CHECK(call != NULL && status_of(account, engine, call) == SECCODE_CALL_STATUS_VALID);
    seccode_verified_call_free(call);
    seccode_verification_free(v);
    CHECK_OK(seccode_account_contact_lock_state(account, engine, CONTACT, &fails, &locked, &until));
    CHECK(fails == 0);
    CHECK_OK(seccode_engine_hash_stats(engine, &after, &peak));
    CHECK(after == before + 2);

    /* A code changed between begin and finish does not verify (reason CHANGED). */
    CHECK_OK(seccode_account_begin_verify(account, engine, CONTACT, &attempt));
    CHECK_OK(seccode_attempt_check(engine, attempt, SV(GOOD), &checked));
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT, SV(GOOD)));
    CHECK_OK(seccode_account_finish_verify(account, engine, checked, &v));
    seccode_verify_reason why = 99;
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK_OK(seccode_verification_reason(v, &why));
    CHECK(outcome == SECCODE_OUTCOME_NOT_VERIFIED && why == SECCODE_VERIFY_REASON_CHANGED);
    call = SENTINEL_CALL;
    CHECK_OK(seccode_verification_call(v, &call));
    CHECK(call == NULL);
    seccode_verification_free(v);
    seccode_checked_attempt_free(checked);
    seccode_attempt_free(attempt);

    /* A locked contact's attempt answers locked and its check runs no hash. */
    /* (The changed attempt counted as a failure: four more lock the contact.) */
    for (int i = 0; i < 4; i++) {
        CHECK(verify_outcome(account, engine, CONTACT, WRONG, NULL) == SECCODE_OUTCOME_NOT_VERIFIED);
    }
    CHECK_OK(seccode_account_contact_lock_state(account, engine, CONTACT, &fails, &locked, &until));
    CHECK(fails == 5 && locked);
    CHECK_OK(seccode_account_begin_verify(account, engine, CONTACT, &attempt));
    CHECK_OK(seccode_attempt_is_locked(attempt, &locked));
    CHECK(locked);
    CHECK_OK(seccode_engine_hash_stats(engine, &before, &peak));
    CHECK_OK(seccode_attempt_check(engine, attempt, SV(GOOD), &checked));
    CHECK_OK(seccode_engine_hash_stats(engine, &after, &peak));
    CHECK(after == before);
    CHECK_OK(seccode_account_finish_verify(account, engine, checked, &v));
    CHECK_OK(seccode_verification_outcome(v, &outcome));
    CHECK(outcome == SECCODE_OUTCOME_LOCKED);
    seccode_verification_free(v);
    seccode_checked_attempt_free(checked);
    seccode_attempt_free(attempt);

    seccode_string_free(row);
    seccode_account_free(account);
    seccode_engine_free(engine);
}

/* Whether checking `code` for the account-wide slot reports `reason`. */
static bool policy_reports(const seccode_account *account, const seccode_engine *engine,
                           const char *code, uint32_t reason) {
    uint32_t reasons[SECCODE_MAX_REASONS];
    size_t n = 0;
    if (!CHECK_OK(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, SV(code),
                                             reasons, SECCODE_MAX_REASONS, &n))) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (reasons[i] == reason) {
            return true;
        }
    }
    return false;
}

/* A custom code policy, as Python's CodePolicy: lengths and strength are the engine's. */
static void custom_policy(void) {
    seccode_engine *standard = cheap_engine();
    seccode_engine_config *config = NULL;
    seccode_engine *custom = NULL;
    CHECK_OK(seccode_engine_config_new(&config));
    CHECK_OK(seccode_engine_config_set_hash_params(config, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_policy(config, 12, 40, 0));
    CHECK_OK(seccode_engine_new(config, &custom));
    seccode_engine_config_free(config);
    seccode_account *account = any_company(standard);

    /* 10 characters after normalization: enough for 8, too short for 12. */
    CHECK(policy_reports(account, custom, "zebra lamp9", SECCODE_REASON_TOO_SHORT));
    CHECK(!policy_reports(account, standard, "zebra lamp9", SECCODE_REASON_TOO_SHORT));
    /* 43 characters after normalization: too long for 40, fine for 128. */
    const char *long_code = "granite willow compass fern velvet orchards amber";
    CHECK(policy_reports(account, custom, long_code, SECCODE_REASON_TOO_LONG));
    CHECK(!policy_reports(account, standard, long_code, SECCODE_REASON_TOO_LONG));
    /* Strength 0 turns the strength rule off; the other rules stay. */
    CHECK(policy_reports(account, standard, "abcabcabcabcabc", SECCODE_REASON_TOO_WEAK));
    CHECK(!policy_reports(account, custom, "abcabcabcabcabc", SECCODE_REASON_TOO_WEAK));
    CHECK(policy_reports(account, custom, "harbor lantern 1985-03-14", SECCODE_REASON_DATE_SHAPED));

    /* Setting a code follows the engine's policy; the messages use its numbers. */
    CHECK_RC(seccode_account_set_account_code(account, custom, JOE, SV("zebra lamp9")),
             SECCODE_RESULT_POLICY_REJECTED);
    CHECK(last_reasons_contain(SECCODE_REASON_TOO_SHORT));
    char message[256];
    size_t len = 0;
    CHECK_OK(seccode_engine_reason_message(custom, SECCODE_REASON_TOO_SHORT, message, sizeof message,
                                           &len));
    CHECK(contains(message, "at least 12 characters"));
    CHECK_OK(seccode_engine_reason_message(standard, SECCODE_REASON_TOO_SHORT, message,
                                           sizeof message, &len));
    CHECK(contains(message, "at least 8 characters"));
    CHECK_OK(seccode_engine_reason_message(custom, SECCODE_REASON_TOO_LONG, message, sizeof message,
                                           &len));
    CHECK(contains(message, "at most 40 characters"));
    CHECK_RC(seccode_engine_reason_message(custom, 0, message, sizeof message, &len),
             SECCODE_RESULT_INVALID_ARGUMENT);

    seccode_account_free(account);
    seccode_engine_free(custom);
    seccode_engine_free(standard);
}

/* Sealed copies: revealed to entitled contacts only, audited, never without a key. */
static void sealed_reveal(void) {
    static const uint8_t KEY[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                    12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                    23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    char code[SECCODE_MAX_CODE_LEN + 1];
    size_t len = 0;

    /* Without a sealing key: a clear result, nothing written. */
    seccode_engine *plain = cheap_engine();
    seccode_account *account = any_company(plain);
    CHECK_OK(seccode_account_set_account_code(account, plain, JOE, SV(GOOD)));
    memset(code, 'X', sizeof code);
    CHECK_RC(seccode_account_reveal_account_code(account, plain, JOE, code, sizeof code, &len),
             SECCODE_RESULT_SEALED_UNAVAILABLE);
    CHECK(last_error_name_is("sealed"));
    CHECK(code[0] == 'X');
    char *unsealed = NULL;
    CHECK_OK(seccode_account_to_json(account, &unsealed));
    seccode_account_free(account);
    seccode_engine_free(plain);

    seccode_engine_config *config = NULL;
    seccode_engine *engine = NULL;
    CHECK_OK(seccode_engine_config_new(&config));
    CHECK_OK(seccode_engine_config_set_hash_params(config, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_sealing_key(config, SV("seal-1"), KEY, sizeof KEY));
    CHECK_OK(seccode_engine_new(config, &engine));
    seccode_engine_config_free(config);

    /* A code set before the key was configured has no sealed copy. */
    CHECK_OK(seccode_account_from_json(SV(unsealed), &account));
    seccode_string_free(unsealed);
    CHECK_RC(seccode_account_reveal_account_code(account, engine, JOE, code, sizeof code, &len),
             SECCODE_RESULT_SEALED_UNAVAILABLE);
    seccode_account_free(account);

    account = any_company(engine);
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(GOOD)));
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT2, SV(OTHER)));
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(!contains(json, "Velvet") && !contains(json, "Harbor"));
    seccode_string_free(json);
    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    seccode_string_free(events);

    /* The primary contact sees the account-wide code. */
    CHECK_OK(seccode_account_reveal_account_code(account, engine, JOE, code, sizeof code, &len));
    CHECK_STR(code, GOOD);
    CHECK(len == strlen(GOOD));
    /* (NULL, 0) and a buffer without room for the NUL: the needed length, nothing written. */
    CHECK_RC(seccode_account_reveal_account_code(account, engine, JOE, NULL, 0, &len),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == strlen(GOOD));
    memset(code, 'X', sizeof code);
    CHECK_RC(seccode_account_reveal_account_code(account, engine, JOE, code, strlen(GOOD), &len),
             SECCODE_RESULT_BUFFER_TOO_SMALL);
    CHECK(code[0] == 'X');
    /* Each reveal is audited (the too-small ones too: the code was opened). */
    CHECK_OK(seccode_account_drain_audit(account, &events));
    int revealed = 0;
    for (const char *p = events; (p = strstr(p, "code_revealed")) != NULL; p++) {
        revealed++;
    }
    CHECK(revealed == 3);
    CHECK(!contains(events, "Velvet"));
    seccode_string_free(events);

    /* Contact Example may not see it until allowed Profile / View. */
    CHECK_RC(seccode_account_reveal_account_code(account, engine, CONTACT, code, sizeof code, &len),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Profile"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW));
    CHECK_OK(seccode_account_reveal_account_code(account, engine, CONTACT, code, sizeof code, &len));
    CHECK_STR(code, GOOD);

    /* Individual codes: to the primary contact, not to Contact Example (no Manage Contacts). */
    CHECK_OK(seccode_account_reveal_contact_code(account, engine, JOE, CONTACT2, code, sizeof code,
                                                 &len));
    CHECK_STR(code, OTHER);
    CHECK_RC(seccode_account_reveal_contact_code(account, engine, CONTACT, CONTACT2, code,
                                                 sizeof code, &len),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK_RC(seccode_account_reveal_contact_code(account, engine, JOE, CONTACT, code, sizeof code,
                                                 &len),
             SECCODE_RESULT_SEALED_UNAVAILABLE);
    CHECK_RC(seccode_account_reveal_contact_code(account, engine, JOE, 4242, code, sizeof code,
                                                 &len),
             SECCODE_RESULT_NOT_FOUND);

    /* An imported plaintext code is sealed too. */
    CHECK_OK(seccode_account_import_legacy_code(account, engine, SECCODE_SLOT_INDIVIDUAL, CONTACT,
                                                SV("blue42"), false));
    CHECK_OK(seccode_account_reveal_contact_code(account, engine, JOE, CONTACT, code, sizeof code,
                                                 &len));
    CHECK_STR(code, "blue42");
    memset(code, 0, sizeof code);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

/* The support agent on the call: named in every event the handle records while it is set,
 * apart from the acting contact; not part of the account's JSON. */
static void agent_in_events(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT2, SV(GOOD)));
    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(!contains(events, "\"agent\""));
    seccode_string_free(events);

    /* Bad names change nothing: empty, only spaces, a control character, too long, not
     * UTF-8, NULL. */
    CHECK_RC(seccode_account_set_agent(account, SV("")), SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK_RC(seccode_account_set_agent(account, SV("   ")), SECCODE_RESULT_INVALID_ARGUMENT);
    CHECK_RC(seccode_account_set_agent(account, SV("al\nice")), SECCODE_RESULT_INVALID_ARGUMENT);
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    CHECK_RC(seccode_account_set_agent(account, SV(long_name)), SECCODE_RESULT_INPUT_TOO_LONG);
    long_name[64] = '\0';
    CHECK_OK(seccode_account_set_agent(account, SV(long_name)));
    CHECK_OK(seccode_account_clear_agent(account));
    CHECK_RC(seccode_account_set_agent(account, (const uint8_t *)"\xff", 1),
             SECCODE_RESULT_INVALID_UTF8);
    CHECK_RC(seccode_account_set_agent(account, NULL, 5), SECCODE_RESULT_NULL_ARGUMENT);
    CHECK_RC(seccode_account_set_agent(NULL, SV("alice")), SECCODE_RESULT_NULL_ARGUMENT);
    CHECK_RC(seccode_account_clear_agent(NULL), SECCODE_RESULT_NULL_ARGUMENT);
    CHECK(verify_outcome(account, engine, CONTACT2, WRONG, NULL) == SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(contains(events, "verification_failed") && !contains(events, "\"agent\""));
    seccode_string_free(events);

    /* Set (trimmed): the verification and the unlock name the agent. */
    CHECK_OK(seccode_account_set_agent(account, SV("  alice ")));
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);
    CHECK_OK(seccode_account_unlock(account, engine, JOE, CONTACT2));
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(contains(events, "\"kind\":\"verification_succeeded\""));
    CHECK(contains(events, "\"kind\":\"unlocked\""));
    int named = 0;
    for (const char *p = events; (p = strstr(p, "\"agent\":\"alice\"")) != NULL; p++) {
        named++;
    }
    CHECK(named == 2);
    seccode_string_free(events);
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(!contains(json, "alice"));
    seccode_string_free(json);

    /* Cleared: no agent again. */
    CHECK_OK(seccode_account_clear_agent(account));
    CHECK(verify_outcome(account, engine, CONTACT2, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(contains(events, "verification_succeeded") && !contains(events, "alice"));
    seccode_string_free(events);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

int main(void) {
    lockout_and_unlock();
    agent_in_events();
    verified_calls();
    three_steps_with_own_database();
    custom_policy();
    sealed_reveal();
    rehash_on_verify();
    pepper_rotation();
    legacy_imports();
    contacts_and_requests();
    custom_catalog();
    plain_helpers();
    return check_report("portal");
}
