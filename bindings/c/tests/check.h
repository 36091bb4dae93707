/*
 * check.h: a minimal test harness for the C tests of libseccode (header-only, C11).
 *
 * CHECK(cond) and CHECK_RC(call, expected) count checks and failures; a failure prints the
 * file, line, expression, the result's name and the library's last error message. Each test
 * program ends with `return check_report("name");`, which exits non-zero on any failure.
 */
#ifndef SECCODE_TEST_CHECK_H
#define SECCODE_TEST_CHECK_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccode.h"

static unsigned long check_count = 0;
static unsigned long check_failures = 0;

/* A string literal or C string as the (ptr, len) pair every seccode input takes. */
#define SV(s) (const uint8_t *)(s), strlen(s)

static inline const char *check_result_name(seccode_result rc) {
    switch (rc) {
    case SECCODE_RESULT_OK: return "OK";
    case SECCODE_RESULT_NULL_ARGUMENT: return "NULL_ARGUMENT";
    case SECCODE_RESULT_INVALID_UTF8: return "INVALID_UTF8";
    case SECCODE_RESULT_INPUT_TOO_LONG: return "INPUT_TOO_LONG";
    case SECCODE_RESULT_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case SECCODE_RESULT_NOT_FOUND: return "NOT_FOUND";
    case SECCODE_RESULT_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case SECCODE_RESULT_POLICY_REJECTED: return "POLICY_REJECTED";
    case SECCODE_RESULT_MALFORMED_DATA: return "MALFORMED_DATA";
    case SECCODE_RESULT_UNSUPPORTED_FORMAT: return "UNSUPPORTED_FORMAT";
    case SECCODE_RESULT_NOT_APPLICABLE: return "NOT_APPLICABLE";
    case SECCODE_RESULT_CONFLICT: return "CONFLICT";
    case SECCODE_RESULT_BUFFER_TOO_SMALL: return "BUFFER_TOO_SMALL";
    case SECCODE_RESULT_INTERNAL: return "INTERNAL";
    case SECCODE_RESULT_PANIC: return "PANIC";
    case SECCODE_RESULT_ALREADY_SET: return "ALREADY_SET";
    case SECCODE_RESULT_SEALED_UNAVAILABLE: return "SEALED_UNAVAILABLE";
    default: return "?";
    }
}

/* The detail of this thread's last failed call (into a static buffer). */
static inline const char *check_last_error(void) {
    static char buf[1024];
    size_t len = 0;
    if (seccode_last_error_message(buf, sizeof buf, &len) != SECCODE_RESULT_OK) {
        snprintf(buf, sizeof buf, "<last error of %zu bytes does not fit>", len);
    }
    return buf;
}

static inline bool check_true(bool ok, const char *expr, const char *file, int line) {
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, expr);
    }
    return ok;
}

static inline bool check_rc(seccode_result got, seccode_result want, const char *expr, const char *file,
                     int line) {
    check_count++;
    if (got != want) {
        check_failures++;
        fprintf(stderr, "FAIL %s:%d: %s\n  returned %s (%u), expected %s (%u)\n  last error: %s\n",
                file, line, expr, check_result_name(got), (unsigned)got, check_result_name(want),
                (unsigned)want, check_last_error());
        return false;
    }
    return true;
}

static inline bool check_str(const char *got, const char *want, const char *expr, const char *file,
                      int line) {
    check_count++;
    if (got == NULL || want == NULL || strcmp(got, want) != 0) {
        check_failures++;
        fprintf(stderr, "FAIL %s:%d: %s\n  got:      \"%s\"\n  expected: \"%s\"\n", file, line,
                expr, got ? got : "(null)", want ? want : "(null)");
        return false;
    }
    return true;
}

#define CHECK(cond) check_true((cond), #cond, __FILE__, __LINE__)
#define CHECK_RC(call, want) check_rc((call), (want), #call, __FILE__, __LINE__)
#define CHECK_OK(call) CHECK_RC(call, SECCODE_RESULT_OK)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

static inline int check_report(const char *name) {
    printf("%s: %lu checks, %lu failed\n", name, check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}

/* Whether `haystack` contains `needle`. */
static inline bool contains(const char *haystack, const char *needle) {
    return haystack != NULL && needle != NULL && strstr(haystack, needle) != NULL;
}

/*
 * In a rendered grid, the cells of the row of resource `name`: the line whose text after its
 * indentation is `name`, then only spaces, then the cells. Returns a pointer into `grid` to
 * the cells (up to the end of the line, copied into `out`), or NULL.
 */
static inline const char *grid_row(const char *grid, const char *name, char *out, size_t out_len) {
    size_t name_len = strlen(name);
    const char *line = grid;
    while (line != NULL && *line != '\0') {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t)(end - line) : strlen(line);
        const char *p = line;
        while (p < line + line_len && *p == ' ') {
            p++;
        }
        if ((size_t)(line + line_len - p) > name_len && memcmp(p, name, name_len) == 0 &&
            p[name_len] == ' ') {
            const char *cells = p + name_len;
            while (cells < line + line_len && *cells == ' ') {
                cells++;
            }
            size_t cells_len = (size_t)(line + line_len - cells);
            if (cells_len + 1 > out_len) {
                return NULL;
            }
            memcpy(out, cells, cells_len);
            out[cells_len] = '\0';
            return out;
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

/* A fresh engine with cheap Argon2id parameters (m=64 KiB, t=1, p=1) and a manual clock. */
static inline seccode_engine *cheap_engine_with(uint32_t m_kib, uint32_t t, uint32_t p) {
    seccode_engine_config *config = NULL;
    seccode_engine *engine = NULL;
    if (!CHECK_OK(seccode_engine_config_new(&config))) {
        exit(2);
    }
    CHECK_OK(seccode_engine_config_set_hash_params(config, m_kib, t, p));
    CHECK_OK(seccode_engine_config_set_manual_clock(config, INT64_C(1795469251)));
    if (!CHECK_OK(seccode_engine_new(config, &engine))) {
        exit(2);
    }
    seccode_engine_config_free(config);
    return engine;
}

static inline seccode_engine *cheap_engine(void) {
    return cheap_engine_with(64, 1, 1);
}

/* Contact details from C strings (NULL: leave the field empty). */
static inline seccode_contact_details *details(const char *name, const char *title, const char *phone,
                                        const char *email) {
    seccode_contact_details *d = NULL;
    if (!CHECK_OK(seccode_contact_details_new(&d))) {
        exit(2);
    }
    if (name) CHECK_OK(seccode_contact_details_set_name(d, SV(name)));
    if (title) CHECK_OK(seccode_contact_details_set_title(d, SV(title)));
    if (phone) CHECK_OK(seccode_contact_details_set_phone(d, SV(phone)));
    if (email) CHECK_OK(seccode_contact_details_set_email(d, SV(email)));
    return d;
}

enum { JOE = 3522, CONTACT = 3523, CONTACT2 = 3526, ACCOUNT_ID = 1707 };

/*
 * The seed's account "Any Company" (Client ID 1707): Joe Example (primary), Contact Example
 * and Contact Example 2; the audit events of its creation are drained.
 */
static inline seccode_account *any_company(const seccode_engine *engine) {
    seccode_account *account = NULL;
    seccode_contact_details *joe =
        details("Joe Example", "Primary Contact", "000-000-0000", "marketing@viviotech.net");
    if (!CHECK_OK(seccode_account_new(ACCOUNT_ID, SV("Any Company"), JOE, joe, &account))) {
        exit(2);
    }
    seccode_contact_details_free(joe);
    seccode_contact_details *c1 =
        details("Contact Example", NULL, "000-000-0000", "marketing@viviotech.net");
    CHECK_OK(seccode_account_add_contact(account, engine, JOE, CONTACT, c1));
    seccode_contact_details_free(c1);
    seccode_contact_details *c2 = details("Contact Example 2", NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(account, engine, JOE, CONTACT2, c2));
    seccode_contact_details_free(c2);
    char *events = NULL;
    CHECK_OK(seccode_account_drain_audit(account, &events));
    seccode_string_free(events);
    return account;
}

/* Verify and return the outcome (or 99 when the call itself failed). */
static inline seccode_outcome verify_outcome(seccode_account *account, const seccode_engine *engine,
                                      uint64_t contact, const char *code,
                                      seccode_verify_reason *reason) {
    seccode_verification *v = NULL;
    seccode_outcome outcome = 99;
    if (CHECK_OK(seccode_account_verify(account, engine, contact, SV(code), &v))) {
        CHECK_OK(seccode_verification_outcome(v, &outcome));
        if (reason != NULL) {
            CHECK_OK(seccode_verification_reason(v, reason));
        }
    }
    seccode_verification_free(v);
    return outcome;
}

/* Verify `contact` with `code`: the verified call it grants, or NULL when not verified. */
static inline seccode_verified_call *verified_call(seccode_account *account,
                                                   const seccode_engine *engine, uint64_t contact,
                                                   const char *code) {
    seccode_verification *v = NULL;
    seccode_verified_call *call = NULL;
    if (CHECK_OK(seccode_account_verify(account, engine, contact, SV(code), &v))) {
        CHECK_OK(seccode_verification_call(v, &call));
    }
    seccode_verification_free(v);
    return call;
}

/* Authorize a request of `kind` with `call`: the verdict, and the deny reason into `*deny`. */
static inline seccode_verdict authorize_call(const seccode_account *account,
                                             const seccode_engine *engine,
                                             const seccode_verified_call *call, uint32_t kind,
                                             seccode_deny_reason *deny) {
    seccode_decision *d = NULL;
    seccode_verdict verdict = 99;
    if (CHECK_OK(seccode_account_authorize(account, engine, call, kind, &d))) {
        CHECK_OK(seccode_decision_verdict(d, &verdict));
        if (deny != NULL) {
            CHECK_OK(seccode_decision_deny_reason(d, deny));
        }
    }
    seccode_decision_free(d);
    return verdict;
}

/* Whether this thread's last error is named `want` (seccode_last_error_name). */
static inline bool last_error_name_is(const char *want) {
    char name[64];
    size_t len = 0;
    if (seccode_last_error_name(name, sizeof name, &len) != SECCODE_RESULT_OK) {
        return false;
    }
    if (strcmp(name, want) != 0) {
        fprintf(stderr, "  last error name: \"%s\", expected \"%s\"\n", name, want);
        return false;
    }
    return true;
}

/* Whether this thread's last error lists the policy reason `reason`. */
static inline bool last_reasons_contain(uint32_t reason) {
    uint32_t reasons[SECCODE_MAX_REASONS];
    size_t n = 0;
    if (seccode_last_error_reasons(reasons, SECCODE_MAX_REASONS, &n) != SECCODE_RESULT_OK) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (reasons[i] == reason) {
            return true;
        }
    }
    return false;
}

#endif /* SECCODE_TEST_CHECK_H */
