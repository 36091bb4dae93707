/*
 * A portal's use of libseccode: the owner of "Any Company" sets the account-wide security
 * code and lets a colleague see it; the colleague calls in and says the code with other
 * spacing and case; support checks what the caller may ask for.
 *
 * Build: make (uses pkg-config when seccode is installed), then ./portal_example
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccode.h>

#define S(text) (const uint8_t *)(text), strlen(text)

/* Stop with the library's message for a failed call. */
static void check(seccode_result rc, const char *what) {
    if (rc == SECCODE_RESULT_OK) {
        return;
    }
    char detail[512];
    size_t len = 0;
    if (seccode_last_error_message(detail, sizeof detail, &len) != SECCODE_RESULT_OK) {
        detail[0] = '\0';
    }
    fprintf(stderr, "%s failed (result %u): %s\n", what, (unsigned)rc, detail);
    exit(1);
}

int main(void) {
    const uint64_t owner = 3522, colleague = 3523;
    printf("libseccode %s\n", seccode_version());

    /* One engine per process: default Argon2id cost (m=19456 KiB, t=2, p=1), lockout 5/30min. */
    seccode_engine_config *config = NULL;
    seccode_engine *engine = NULL;
    check(seccode_engine_config_new(&config), "config");
    check(seccode_engine_new(config, &engine), "engine");
    seccode_engine_config_free(config);

    /* The account and its contacts (a portal would load them with seccode_account_from_json). */
    seccode_contact_details *joe = NULL, *contact = NULL;
    check(seccode_contact_details_new(&joe), "details");
    check(seccode_contact_details_set_name(joe, S("Joe Example")), "name");
    check(seccode_contact_details_set_email(joe, S("marketing@viviotech.net")), "email");
    seccode_account *account = NULL;
    check(seccode_account_new(1707, S("Any Company"), owner, joe, &account), "account");
    check(seccode_contact_details_new(&contact), "details");
    check(seccode_contact_details_set_name(contact, S("Contact Example")), "name");
    check(seccode_account_add_contact(account, engine, owner, colleague, contact), "add contact");
    seccode_contact_details_free(joe);
    seccode_contact_details_free(contact);

    /* A weak code is refused with reasons a portal can show. */
    if (seccode_account_set_account_code(account, engine, owner, S("joe1707")) ==
        SECCODE_RESULT_POLICY_REJECTED) {
        uint32_t reasons[SECCODE_MAX_REASONS];
        size_t n = 0;
        check(seccode_last_error_reasons(reasons, SECCODE_MAX_REASONS, &n), "reasons");
        for (size_t i = 0; i < n; i++) {
            char message[256];
            size_t len = 0;
            check(seccode_reason_message(reasons[i], message, sizeof message, &len), "message");
            printf("refused: %s\n", message);
        }
    }

    /* "Success: Account information updated"; then Profile / View Allow for the colleague. */
    check(seccode_account_set_account_code(account, engine, owner, S("Velvet thunder orchard lamp")),
          "set code");
    check(seccode_account_set_permission(account, engine, owner, colleague, S("Profile"),
                                         SECCODE_ACTION_VIEW, SECCODE_SETTING_ALLOW),
          "permission");

    /* The colleague calls in. */
    seccode_verification *v = NULL;
    seccode_outcome outcome;
    check(seccode_account_verify(account, engine, colleague, S("velvet thunder, orchard lamp"), &v),
          "verify");
    check(seccode_verification_outcome(v, &outcome), "outcome");
    printf("caller %llu: %s\n", (unsigned long long)colleague,
           outcome == SECCODE_OUTCOME_VERIFIED ? "verified" : "not verified");

    /* A cancellation is never allowed on the code alone. */
    seccode_decision *decision = NULL;
    char *text = NULL;
    check(seccode_account_authorize_verified(account, engine, v, SECCODE_REQUEST_KIND_CANCELLATION,
                                             &decision),
          "authorize");
    check(seccode_decision_message(decision, &text), "decision");
    printf("cancellation: %s\n", text);
    seccode_string_free(text);
    seccode_decision_free(decision);
    seccode_verification_free(v);

    /* Store the account (hashes only) and the audit events. */
    char *json = NULL, *events = NULL;
    check(seccode_account_to_json(account, &json), "save");
    check(seccode_account_drain_audit(account, &events), "audit");
    printf("saved %zu bytes of account data, %zu bytes of audit events\n", strlen(json),
           strlen(events));
    seccode_string_free(json);
    seccode_string_free(events);

    seccode_account_free(account);
    seccode_engine_free(engine);
    return outcome == SECCODE_OUTCOME_VERIFIED ? 0 : 1;
}
