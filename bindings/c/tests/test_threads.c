/*
 * Thread safety as documented in seccode.h: one engine and one account used from several
 * threads at once (the account locks itself per call), and the last error kept per thread.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "check.h"

enum { THREADS = 4, ROUNDS = 8 };

static const char *GOOD = "Velvet thunder orchard lamp";

struct shared {
    seccode_engine *engine;
    seccode_account *account;
    int index;
    int failures;
};

static void *worker(void *arg) {
    struct shared *s = arg;
    uint64_t me = 6000 + (uint64_t)s->index;
    for (int round = 0; round < ROUNDS; round++) {
        /* Alternate a success and a failure so that no contact ever locks. */
        seccode_verification *v = NULL;
        const char *code = (round % 2 == 0) ? GOOD : "not the right code at all";
        if (seccode_account_verify(s->account, s->engine, me, SV(code), &v) != SECCODE_RESULT_OK) {
            s->failures++;
            continue;
        }
        seccode_outcome outcome = 99;
        seccode_verification_outcome(v, &outcome);
        seccode_verification_free(v);
        seccode_outcome want =
            (round % 2 == 0) ? SECCODE_OUTCOME_VERIFIED : SECCODE_OUTCOME_NOT_VERIFIED;
        if (outcome != want) {
            s->failures++;
        }

        /* Change this thread's own grid and read it back. */
        seccode_setting setting = (round % 2 == 0) ? SECCODE_SETTING_ALLOW : SECCODE_SETTING_DENY;
        if (seccode_account_set_permission(s->account, s->engine, JOE, me, SV("Reports"),
                                           SECCODE_ACTION_VIEW, setting) != SECCODE_RESULT_OK) {
            s->failures++;
        }
        char *grid = NULL;
        char row[128];
        if (seccode_account_render_grid(s->account, me, &grid) != SECCODE_RESULT_OK ||
            grid_row(grid, "Reports", row, sizeof row) == NULL ||
            strncmp(row, setting == SECCODE_SETTING_ALLOW ? "Allow" : "Deny", 4) != 0) {
            s->failures++;
        }
        seccode_string_free(grid);

        /* This thread's failure is this thread's last error, whatever the others do. */
        char *out = NULL;
        uint64_t ghost = 700000 + (uint64_t)s->index;
        if (seccode_account_render_grid(s->account, ghost, &out) != SECCODE_RESULT_NOT_FOUND) {
            s->failures++;
        }
        char message[256];
        char expected[64];
        size_t len = 0;
        snprintf(expected, sizeof expected, "`%" PRIu64 "`", ghost);
        if (seccode_last_error_message(message, sizeof message, &len) != SECCODE_RESULT_OK ||
            strstr(message, expected) == NULL) {
            s->failures++;
        }
    }
    return NULL;
}

int main(void) {
    seccode_engine *engine = cheap_engine();
    seccode_account *account = any_company(engine);
    CHECK_OK(seccode_account_set_account_code(account, engine, JOE, SV(GOOD)));
    for (int i = 0; i < THREADS; i++) {
        seccode_contact_details *d = details("Worker", NULL, NULL, NULL);
        CHECK_OK(seccode_account_add_contact(account, engine, JOE, 6000 + (uint64_t)i, d));
        seccode_contact_details_free(d);
        CHECK_OK(seccode_account_set_permission(account, engine, JOE, 6000 + (uint64_t)i,
                                                SV("Profile"), SECCODE_ACTION_VIEW,
                                                SECCODE_SETTING_ALLOW));
    }

    pthread_t threads[THREADS];
    struct shared state[THREADS];
    for (int i = 0; i < THREADS; i++) {
        state[i] = (struct shared){engine, account, i, 0};
        CHECK(pthread_create(&threads[i], NULL, worker, &state[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        if (!CHECK(state[i].failures == 0)) {
            fprintf(stderr, "  thread %d: %d failures\n", i, state[i].failures);
        }
    }

    /* Every verification was recorded once. */
    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    int succeeded = 0;
    for (const char *p = events; (p = strstr(p, "verification_succeeded")) != NULL; p++) {
        succeeded++;
    }
    CHECK(succeeded == THREADS * ROUNDS / 2);
    seccode_string_free(events);

    seccode_account_free(account);
    seccode_engine_free(engine);
    return check_report("threads");
}
