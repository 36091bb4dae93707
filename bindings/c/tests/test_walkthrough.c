/*
 * The four walkthroughs of the seed article "Managing Security Codes"
 * (shared/seeds/000_c60454232015d506.txt), step by step, from C with only seccode.h.
 */
#include "check.h"

static const char *ACCOUNT_CODE = "Velvet thunder orchard lamp";
static const char *INDIVIDUAL_CODE = "Quiet harbor zebra violin";

/* "Your account-wide security code": the owner sets it; it is ready to use. */
static void account_wide_security_code(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    bool has = true;
    CHECK_OK(seccode_account_has_account_code(account, &has));
    CHECK(!has);

    /* Step 4: too short, or holding personal information, is refused with its reasons. */
    uint32_t reasons[SECCODE_MAX_REASONS];
    size_t n = 99;
    CHECK_OK(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0, SV("short"),
                                        reasons, SECCODE_MAX_REASONS, &n));
    CHECK(n >= 1);
    bool too_short = false;
    for (size_t i = 0; i < n; i++) {
        too_short = too_short || reasons[i] == SECCODE_REASON_TOO_SHORT;
    }
    CHECK(too_short);
    CHECK_RC(seccode_account_set_account_code(account, engine, JOE, SV("short")),
             SECCODE_RESULT_POLICY_REJECTED);
    CHECK(last_reasons_contain(SECCODE_REASON_TOO_SHORT));
    CHECK_RC(seccode_account_set_account_code(account, engine, JOE, SV("my ssn is 123-45-6789 ok")),
             SECCODE_RESULT_POLICY_REJECTED);
    CHECK(last_reasons_contain(SECCODE_REASON_SSN_SHAPED));
    CHECK(!contains(check_last_error(), "6789"));
    CHECK_OK(seccode_account_has_account_code(account, &has));
    CHECK(!has);

    /* A portal shows each reason in words. */
    char message[256];
    size_t len = 0;
    CHECK_OK(seccode_reason_message(SECCODE_REASON_TOO_SHORT, message, sizeof message, &len));
    CHECK(contains(message, "8 characters"));
    CHECK(len == strlen(message));
    CHECK_OK(seccode_reason_code(SECCODE_REASON_SSN_SHAPED, message, sizeof message, &len));
    CHECK_STR(message, "ssn_shaped");

    /* The acceptable code passes the check with no reason. */
    CHECK_OK(seccode_account_check_code(account, engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                        SV(ACCOUNT_CODE), reasons, SECCODE_MAX_REASONS, &n));
    CHECK(n == 0);

    /* Steps 5-6: "Save Changes" -> "Success: Account information updated". */
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(ACCOUNT_CODE)));
    CHECK_OK(seccode_account_has_account_code(account, &has));
    CHECK(has);
    char *json = NULL;
    CHECK_OK(seccode_account_to_json(account, &json));
    CHECK(contains(json, "$argon2id$v=19$"));
    CHECK(!contains(json, "thunder") && !contains(json, "Thunder"));
    seccode_string_free(json);

    /* The owner can now use it on a call. */
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, JOE, ACCOUNT_CODE, &why) == SECCODE_OUTCOME_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_ACCOUNT_WIDE);

    /* The audit log records who set which code, and never the code. */
    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK(contains(events, "\"kind\":\"code_set\""));
    CHECK(contains(events, "\"slot\":\"account_wide\""));
    CHECK(contains(events, "\"actor\":3522"));
    CHECK(contains(events, "verification_succeeded"));
    CHECK(!contains(events, "thunder") && !contains(events, "Thunder"));
    seccode_string_free(events);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

/* "Allowing your other users to see the account-wide code": Profile / View Allow. */
static void letting_another_user_see_the_account_wide_code(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(ACCOUNT_CODE)));

    /* Before: Contact Example may not know the code, so cannot use it. */
    bool may = true;
    CHECK_OK(seccode_account_may_know_account_code(account, CONTACT, &may));
    CHECK(!may);
    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, CONTACT, ACCOUNT_CODE, &why) ==
          SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_NO_USABLE_CODE);

    /* Step 5: the grid as shown, nothing set. */
    char *grid = NULL;
    char row[128];
    CHECK_OK(seccode_account_render_grid(account, CONTACT, &grid));
    CHECK(contains(grid, "(None)  (None)  (None)  (None)"));
    CHECK(grid_row(grid, "Profile", row, sizeof row) != NULL);
    CHECK_STR(row, "(None)  (None)  (None)  (None)");
    CHECK(grid_row(grid, "Change Password", row, sizeof row) != NULL);
    CHECK_STR(row, "(None)  -  (None)  -");
    seccode_string_free(grid);
    char *settings = NULL;
    CHECK_OK(seccode_account_render_settings(account, CONTACT, &settings));
    CHECK(grid_row(settings, "Client Profile", row, sizeof row) != NULL);
    CHECK_STR(row, "Inherit  Inherit  Inherit  Inherit");
    seccode_string_free(settings);

    /* Steps 6-7: on the "Profile" line, under "View", select "Allow"; "Update". */
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Profile"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW));
    seccode_setting setting = 99;
    CHECK_OK(seccode_account_permission_setting(account, CONTACT, SV("Profile"),
                                                SECCODE_ACTION_VIEW, &setting));
    CHECK(setting == SECCODE_SETTING_ALLOW);
    seccode_effective value = 99;
    seccode_origin origin = 99;
    char *decided_by = NULL;
    CHECK_OK(seccode_account_effective(account, CONTACT, SV("Profile"), SECCODE_ACTION_VIEW, &value,
                                       &origin, &decided_by));
    CHECK(value == SECCODE_EFFECTIVE_ALLOW);
    CHECK(origin == SECCODE_ORIGIN_EXPLICIT);
    CHECK_STR(decided_by, "Profile");
    seccode_string_free(decided_by);

    /* Step 8: "This user is now able to view the account-wide security code." */
    CHECK_OK(seccode_account_may_know_account_code(account, CONTACT, &may));
    CHECK(may);
    CHECK(verify_outcome(account, engine, CONTACT, "velvet THUNDER, orchard-lamp!", &why) ==
          SECCODE_OUTCOME_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_ACCOUNT_WIDE);

    /* Contact Example 2 was not given the permission. */
    CHECK(verify_outcome(account, engine, CONTACT2, ACCOUNT_CODE, NULL) ==
          SECCODE_OUTCOME_NOT_VERIFIED);

    /* Only the primary contact changes permissions. */
    CHECK_RC(seccode_account_set_permission(account, engine, CONTACT, CONTACT2, SV("Profile"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK(contains(check_last_error(), "primary contact"));

    seccode_account_free(account);
    seccode_engine_free(engine);
}

/* "Creating individual codes for your other users": Custom Fields tab, Security Code. */
static void creating_individual_codes_for_other_users(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);

    CHECK_OK(seccode_account_set_contact_code(account, engine, JOE, CONTACT2, SV(INDIVIDUAL_CODE)));
    char *contact = NULL;
    CHECK_OK(seccode_account_contact_json(account, engine, CONTACT2, &contact));
    CHECK(contains(contact, "\"has_code\":true"));
    CHECK(contains(contact, "\"name\":\"Contact Example 2\""));
    CHECK(!contains(contact, "harbor"));
    seccode_string_free(contact);

    seccode_verify_reason why = 99;
    CHECK(verify_outcome(account, engine, CONTACT2, INDIVIDUAL_CODE, &why) ==
          SECCODE_OUTCOME_VERIFIED);
    CHECK(why == SECCODE_VERIFY_REASON_INDIVIDUAL);

    /* The code is Contact Example 2's own: nobody else verifies with it. */
    CHECK(verify_outcome(account, engine, CONTACT, INDIVIDUAL_CODE, NULL) ==
          SECCODE_OUTCOME_NOT_VERIFIED);
    CHECK(verify_outcome(account, engine, JOE, INDIVIDUAL_CODE, NULL) ==
          SECCODE_OUTCOME_NOT_VERIFIED);

    /* A code naming the contact is refused. */
    CHECK_RC(seccode_account_set_contact_code(account, engine, JOE, CONTACT2,
                                              SV("contact example 2 rules")),
             SECCODE_RESULT_POLICY_REJECTED);
    CHECK(last_reasons_contain(SECCODE_REASON_CONTAINS_NAME));

    /* A contact without Manage Contacts / Update cannot set codes. */
    CHECK_RC(seccode_account_set_contact_code(account, engine, CONTACT, CONTACT2,
                                              SV(INDIVIDUAL_CODE)),
             SECCODE_RESULT_PERMISSION_DENIED);
    CHECK(contains(check_last_error(), "Manage Contacts / Update"));

    seccode_account_free(account);
    seccode_engine_free(engine);
}

/* "Changing permissions for your other users": Manage Contacts View + Update Allow. */
static void changing_permissions_to_view_and_update_their_own_code(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);

    CHECK_RC(seccode_account_set_contact_code(account, engine, CONTACT2, CONTACT2,
                                              SV(INDIVIDUAL_CODE)),
             SECCODE_RESULT_PERMISSION_DENIED);

    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT2, SV("Manage Contacts"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW));
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT2, SV("Manage Contacts"),
                                            SECCODE_ACTION_UPDATE, SECCODE_SETTING_ALLOW));

    /* Step 6 as the portal shows it. */
    char *grid = NULL;
    char row[128];
    CHECK_OK(seccode_account_render_grid(account, CONTACT2, &grid));
    CHECK(grid_row(grid, "Manage Contacts", row, sizeof row) != NULL);
    CHECK_STR(row, "Allow  (None)  Allow  (None)");
    seccode_string_free(grid);

    /* Step 8: "This user can now view and update their security code." */
    CHECK_OK(seccode_account_set_contact_code(account, engine, CONTACT2, CONTACT2,
                                              SV(INDIVIDUAL_CODE)));
    CHECK(verify_outcome(account, engine, CONTACT2, INDIVIDUAL_CODE, NULL) ==
          SECCODE_OUTCOME_VERIFIED);

    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    int changes = 0;
    for (const char *p = events; (p = strstr(p, "permission_changed")) != NULL; p++) {
        changes++;
    }
    CHECK(changes == 2);
    seccode_string_free(events);
    /* Drained: the next drain is empty. */
    CHECK_OK(seccode_account_drain_audit(account, &events));
    CHECK_STR(events, "[]");
    seccode_string_free(events);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

/* The seed's closing note: significant changes and cancellations need additional approval. */
static void significant_changes_need_approval(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(ACCOUNT_CODE)));
    CHECK_OK(seccode_account_set_permission(account, engine, JOE, CONTACT, SV("Profile"),
                                            SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW));
    seccode_verification *v = NULL;
    CHECK_OK(seccode_account_verify(account, engine, CONTACT, SV(ACCOUNT_CODE), &v));

    seccode_decision *d = NULL;
    seccode_verdict kind = 99;
    CHECK_OK(seccode_account_authorize_verified(account, engine, v, SECCODE_REQUEST_KIND_ROUTINE, &d));
    CHECK_OK(seccode_decision_verdict(d, &kind));
    CHECK(kind == SECCODE_VERDICT_ALLOWED);
    seccode_decision_free(d);

    CHECK_OK(seccode_account_authorize_verified(account, engine, v, SECCODE_REQUEST_KIND_CANCELLATION, &d));
    CHECK_OK(seccode_decision_verdict(d, &kind));
    CHECK(kind == SECCODE_VERDICT_NEEDS_APPROVAL);
    uint64_t approvers[4];
    size_t n = 0;
    CHECK_OK(seccode_decision_approvers(d, approvers, 4, &n));
    CHECK(n == 1 && approvers[0] == JOE);
    seccode_decision_free(d);

    /* Billable needs Billing & Services / Update, which Contact Example lacks. */
    CHECK_OK(seccode_account_authorize_verified(account, engine, v, SECCODE_REQUEST_KIND_BILLABLE, &d));
    CHECK_OK(seccode_decision_verdict(d, &kind));
    CHECK(kind == SECCODE_VERDICT_DENIED);
    seccode_deny_reason deny = 99;
    CHECK_OK(seccode_decision_deny_reason(d, &deny));
    CHECK(deny == SECCODE_DENY_REASON_MISSING_PERMISSION);
    char *text = NULL;
    CHECK_OK(seccode_decision_message(d, &text));
    CHECK(contains(text, "Billing & Services / Update"));
    seccode_string_free(text);
    seccode_decision_free(d);
    seccode_verification_free(v);

    seccode_account_free(account);
    seccode_engine_free(engine);
}

int main(void) {
    account_wide_security_code();
    letting_another_user_see_the_account_wide_code();
    creating_individual_codes_for_other_users();
    changing_permissions_to_view_and_update_their_own_code();
    significant_changes_need_approval();
    return check_report("walkthrough");
}
