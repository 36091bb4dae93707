/*
 * Everything else a portal does through the C ABI: lockout and unlock on a manual clock,
 * rehash on verify (new parameters, pepper rotation, normalization change), legacy imports,
 * saving and loading, contact administration, requests, custom catalogs, plain PHC helpers.
 */
#include "check.h"

static const char *GOOD = "Velvet thunder orchard lamp";
static const char *WRONG = "completely different words";

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
                                                SV("blue42")));
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(!contains(json, "blue42"));
    seccode_string_free(json);
    CHECK(verify_outcome(account, engine, CONTACT2, "Blue 42", NULL) == SECCODE_OUTCOME_VERIFIED);

    /* A PHC string from argon2-cffi: verifies as typed, and is upgraded on success. */
    const char *cffi = "$argon2id$v=19$m=1024,t=1,p=1$0Jtzz7jp2dn+vZA4Q7BuLA$"
                       "VuHc/K5g7PPuZCuS38Jifn+1mZ1T660pD1ZJa3CqrSg";
    CHECK_OK(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                SV(cffi)));
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
                                                SV("$2b$10$notargon")),
             SECCODE_RESULT_MALFORMED_DATA);
    CHECK_RC(seccode_account_import_legacy_hash(account, engine, SECCODE_SLOT_INDIVIDUAL, 77,
                                                SV(cffi)),
             SECCODE_RESULT_NOT_FOUND);

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
    CHECK_OK(seccode_account_contact_json(account, 4000, &json));
    CHECK(contains(json, "\"name\":\"New Hire\""));
    CHECK(contains(json, "\"audit_account\":true"));
    CHECK(contains(json, "\"poc\":true"));
    CHECK(contains(json, "\"active\":true"));
    CHECK(contains(json, "\"primary\":false"));
    CHECK(contains(json, "\"has_code\":false"));
    seccode_string_free(json);

    /* A contact edits its own details. */
    d = details("New Hire", "Senior Support", NULL, NULL);
    CHECK_OK(seccode_account_edit_contact(account, engine, 4000, 4000, d));
    CHECK_RC(seccode_account_edit_contact(account, engine, CONTACT, 4000, d),
             SECCODE_RESULT_PERMISSION_DENIED);
    seccode_contact_details_free(d);
    CHECK_OK(seccode_account_contact_json(account, 4000, &json));
    CHECK(contains(json, "\"title\":\"Senior Support\""));
    seccode_string_free(json);

    /* Deactivated: cannot verify, requests denied; reactivated: back. */
    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, 4000, SV(GOOD)));
    CHECK_RC(seccode_account_deactivate_contact(account, engine, CONTACT, 4000),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK_OK(seccode_account_deactivate_contact(account, engine, JOE, 4000));
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, 4000, GOOD, &why) == SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_DEACTIVATED);
    seccode_decision *dec = NULL;
    seccode_verdict verdict = 99;
    seccode_deny_reason deny = 99;
    CHECK_OK(seccode_account_authorize(account, 4000, SECCODE_REQUEST_KIND_ROUTINE, &dec));
    CHECK_OK(seccode_decision_verdict(dec, &verdict));
    CHECK_OK(seccode_decision_deny_reason(dec, &deny));
    CHECK(verdict == SECCODE_VERDICT_DENIED && deny == SECCODE_DENY_REASON_DEACTIVATED);
    seccode_decision_free(dec);
    CHECK_OK(seccode_account_reactivate_contact(account, engine, CONTACT, 4000));
    CHECK(verify_outcome(account, engine, 4000, GOOD, NULL) == SECCODE_OUTCOME_VERIFIED);

    /* Removed for good: the primary contact cannot be; an unknown id is not found. */
    d = details("Temporary", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(account, engine, JOE, 4001, d));
    seccode_contact_details_free(d);
    CHECK_RC(seccode_account_remove_contact(account, engine, JOE, JOE), SECCODE_RESULT_CONFLICT);
    CHECK_OK(seccode_account_remove_contact(account, engine, JOE, 4001));
    CHECK_RC(seccode_account_remove_contact(account, engine, JOE, 4001), SECCODE_RESULT_NOT_FOUND);
    CHECK_RC(seccode_account_contact_json(account, 4001, &json), SECCODE_RESULT_NOT_FOUND);

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
    CHECK_OK(seccode_account_authorize(account, 4000, SECCODE_REQUEST_KIND_BILLABLE, &dec));
    CHECK_OK(seccode_decision_verdict(dec, &verdict));
    CHECK(verdict == SECCODE_VERDICT_ALLOWED);
    CHECK_OK(seccode_decision_deny_reason(dec, &deny));
    CHECK(deny == SECCODE_DENY_REASON_NONE);
    CHECK_OK(seccode_decision_to_json(dec, &json));
    CHECK_STR(json, "{\"decision\":\"allowed\"}");
    seccode_string_free(json);
    seccode_decision_free(dec);

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
    CHECK_OK(seccode_account_authorize_verified(account, v, SECCODE_REQUEST_KIND_ROUTINE, &dec));
    CHECK_OK(seccode_decision_deny_reason(dec, &deny));
    CHECK(deny == SECCODE_DENY_REASON_NOT_VERIFIED);
    seccode_decision_free(dec);
    seccode_verification_free(v);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

static void custom_catalog(void) {
    seccode_engine *engine = cheap_engine();
    const char *store =
        "{\"resources\": [{\"name\": \"Store\", \"actions\": [\"view\", \"create\", \"update\", "
        "\"delete\"], \"children\": [{\"name\": \"Orders\", \"actions\": [\"view\", \"update\"]}]}],"
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

int main(void) {
    lockout_and_unlock();
    rehash_on_verify();
    pepper_rotation();
    legacy_imports();
    contacts_and_requests();
    custom_catalog();
    plain_helpers();
    return check_report("portal");
}
