/*
 * The core's shared JSON test vectors (crates/seccode/tests/vectors), through the C ABI:
 * the same answers as the Rust tests. run.sh converts the JSON into a line format with
 * vectors_to_lines.py (see its docstring); this program reads that file:
 *
 *     test_vectors VECTORS_TXT
 *
 * SECCODE_VECTORS_MAX_M_KIB (environment) skips legacy hashes that ask for more memory than
 * that (run.sh sets it under valgrind, where a 64 MiB Argon2id costs tens of seconds); the
 * number skipped is printed.
 */
#include "check.h"

enum { MAX_FIELDS = 12, MAX_LINE = 1 << 16 };

struct record {
    char *kind;
    char *field[MAX_FIELDS];
    size_t len[MAX_FIELDS]; /* decoded byte lengths (fields may hold NUL-free UTF-8 only) */
    int count;
    unsigned long line;
};

static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decode a percent-encoded field in place; @null becomes NULL, @empty "". */
static char *decode(char *s, size_t *len) {
    if (strcmp(s, "@null") == 0) {
        *len = 0;
        return NULL;
    }
    if (strcmp(s, "@empty") == 0) {
        s[0] = '\0';
        *len = 0;
        return s;
    }
    char *w = s;
    for (char *r = s; *r != '\0'; r++) {
        if (*r == '%' && hex(r[1]) >= 0 && hex(r[2]) >= 0) {
            *w++ = (char)(hex(r[1]) * 16 + hex(r[2]));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    *len = (size_t)(w - s);
    return s;
}

/* Split a line into a record (pointers into `buf`). */
static bool parse(char *buf, struct record *rec) {
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
        buf[--n] = '\0';
    }
    if (n == 0 || buf[0] == '#') {
        return false;
    }
    rec->count = 0;
    rec->kind = strtok(buf, " ");
    char *tok;
    while ((tok = strtok(NULL, " ")) != NULL && rec->count < MAX_FIELDS) {
        rec->field[rec->count] = decode(tok, &rec->len[rec->count]);
        rec->count++;
    }
    return rec->kind != NULL;
}

static uint32_t action_of(const char *s) {
    if (strcmp(s, "view") == 0) return SECCODE_ACTION_VIEW;
    if (strcmp(s, "create") == 0) return SECCODE_ACTION_CREATE;
    if (strcmp(s, "update") == 0) return SECCODE_ACTION_UPDATE;
    if (strcmp(s, "delete") == 0) return SECCODE_ACTION_DELETE;
    return 99;
}

static uint32_t setting_of(const char *s) {
    if (strcmp(s, "inherit") == 0) return SECCODE_SETTING_INHERIT;
    if (strcmp(s, "allow") == 0) return SECCODE_SETTING_ALLOW;
    if (strcmp(s, "deny") == 0) return SECCODE_SETTING_DENY;
    return 99;
}

static uint32_t effective_of(const char *s) {
    if (strcmp(s, "none") == 0) return SECCODE_EFFECTIVE_NONE;
    if (strcmp(s, "allow") == 0) return SECCODE_EFFECTIVE_ALLOW;
    if (strcmp(s, "deny") == 0) return SECCODE_EFFECTIVE_DENY;
    if (strcmp(s, "not_applicable") == 0) return SECCODE_EFFECTIVE_NOT_APPLICABLE;
    return 99;
}

static uint32_t normalization_of(const char *s) {
    return strcmp(s, "exact") == 0 ? SECCODE_NORMALIZATION_EXACT : SECCODE_NORMALIZATION_SPOKEN;
}

/* Report a failed vector with its line and a description. */
#define VCHECK(rec, cond, what)                                                                   \
    do {                                                                                          \
        if (!CHECK(cond)) {                                                                       \
            fprintf(stderr, "  vector line %lu: %s\n", (rec)->line, (what));                      \
        }                                                                                         \
    } while (0)

/* ---- policy.json ---- */

struct policy_state {
    seccode_engine *engine;
    seccode_account *spoken;
    seccode_account *exact;
    unsigned long cases;
    unsigned long account_cases;
};

/* Render reasons as the vector writes them: names in order, comma-separated. */
static void reason_names(const uint32_t *got, size_t n, char *names, size_t names_len) {
    names[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char name[64];
        size_t len = 0;
        CHECK_OK(seccode_reason_code(got[i], name, sizeof name, &len));
        if (strlen(names) + strlen(name) + 2 > names_len) {
            CHECK(!"reason names too long");
            return;
        }
        if (i > 0) strcat(names, ",");
        strcat(names, name);
        /* Every reason has a message too, which never quotes the code. */
        char message[256];
        CHECK_OK(seccode_reason_message(got[i], message, sizeof message, &len));
    }
}

static void policy_case(struct policy_state *st, const struct record *r) {
    /* POLICY norm code reasons note seed account_id account_name contact_name email phone */
    bool exact = strcmp(r->field[0], "exact") == 0;
    const char *want = r->field[2] ? r->field[2] : "";
    uint32_t got[SECCODE_MAX_REASONS];
    size_t n = 0;
    char names[512];

    /* Through the engine, with the vector's own context (absent fields left empty). */
    seccode_contact_details *contact = details(r->field[7], NULL, r->field[9], r->field[8]);
    uint64_t account_id = r->field[5] ? strtoull(r->field[5], NULL, 10) : 0;
    const char *account_name = r->field[6];
    if (CHECK_OK(seccode_engine_check_code(
            st->engine, (const uint8_t *)r->field[1], r->len[1],
            exact ? SECCODE_NORMALIZATION_EXACT : SECCODE_NORMALIZATION_SPOKEN, account_id,
            (const uint8_t *)account_name, account_name ? r->len[6] : 0, contact, got,
            SECCODE_MAX_REASONS, &n))) {
        reason_names(got, n, names, sizeof names);
        if (!CHECK_STR(names, want)) {
            fprintf(stderr, "  vector line %lu (engine): %s\n", r->line, r->field[3]);
        }
    } else {
        fprintf(stderr, "  vector line %lu: %s\n", r->line, r->field[3]);
    }
    seccode_contact_details_free(contact);

    /* Through Any Company's account-wide code, when the context is its primary contact's. */
    if (strcmp(r->field[4], "1") == 0) {
        seccode_account *account = exact ? st->exact : st->spoken;
        if (CHECK_OK(seccode_account_check_code(account, st->engine, SECCODE_SLOT_ACCOUNT_WIDE, 0,
                                                 (const uint8_t *)r->field[1], r->len[1], got,
                                                 SECCODE_MAX_REASONS, &n))) {
            reason_names(got, n, names, sizeof names);
            if (!CHECK_STR(names, want)) {
                fprintf(stderr, "  vector line %lu (account): %s\n", r->line, r->field[3]);
            }
        } else {
            fprintf(stderr, "  vector line %lu: %s\n", r->line, r->field[3]);
        }
        st->account_cases++;
    }
    st->cases++;
}

/* ---- normalization.json: only reachable through the plain hash helpers ---- */

static bool verifies(seccode_engine *engine, const char *phc, const char *code, size_t len,
                     uint32_t norm) {
    bool matched = false;
    if (!CHECK_OK(seccode_verify_code(engine, SV(phc), (const uint8_t *)code, len, norm,
                                      &matched))) {
        return false;
    }
    return matched;
}

static void normalization_case(seccode_engine *engine, const struct record *r) {
    /* NORM input spoken exact note */
    const char *input = r->field[0], *spoken = r->field[1], *exact = r->field[2];
    size_t input_len = r->len[0], spoken_len = r->len[1], exact_len = r->len[2];
    char *phc = NULL;

    /* Spoken: a hash of the input verifies with the recorded spoken form and with the exact
     * form (spoken matching sees through exact normalization). */
    if (CHECK_OK(seccode_hash_code(engine, (const uint8_t *)input, input_len,
                                   SECCODE_NORMALIZATION_SPOKEN, &phc))) {
        if (spoken_len > 0) {
            VCHECK(r, verifies(engine, phc, spoken, spoken_len, SECCODE_NORMALIZATION_SPOKEN),
                   r->field[3]);
        }
        VCHECK(r, verifies(engine, phc, exact, exact_len, SECCODE_NORMALIZATION_SPOKEN),
               r->field[3]);
        VCHECK(r, verifies(engine, phc, input, input_len, SECCODE_NORMALIZATION_SPOKEN),
               r->field[3]);
        seccode_string_free(phc);
    }
    /* Exact: verifies with the recorded exact form; with the spoken form only if equal. */
    if (CHECK_OK(seccode_hash_code(engine, (const uint8_t *)input, input_len,
                                   SECCODE_NORMALIZATION_EXACT, &phc))) {
        VCHECK(r, verifies(engine, phc, exact, exact_len, SECCODE_NORMALIZATION_EXACT),
               r->field[3]);
        if (spoken_len > 0) {
            bool same = spoken_len == exact_len && memcmp(spoken, exact, exact_len) == 0;
            VCHECK(r,
                   verifies(engine, phc, spoken, spoken_len, SECCODE_NORMALIZATION_EXACT) == same,
                   r->field[3]);
        }
        seccode_string_free(phc);
    }
}

/* ---- legacy_hashes.json ---- */

static void legacy_case(seccode_engine *engine, const struct record *r) {
    /* LEGACY phc norm m_kib expect code */
    bool matched = !(strcmp(r->field[3], "ok") == 0);
    if (!CHECK_OK(seccode_verify_code(engine, SV(r->field[0]), (const uint8_t *)r->field[4],
                                      r->len[4], normalization_of(r->field[1]), &matched))) {
        fprintf(stderr, "  vector line %lu\n", r->line);
        return;
    }
    VCHECK(r, matched == (strcmp(r->field[3], "ok") == 0), r->field[0]);
}

/* ---- permissions.json ---- */

struct perm_state {
    seccode_engine *engine;
    seccode_account *account;
    char *name;
    uint64_t target;
    bool catalog_failed;
    char *render_expected;
    size_t render_len;
    char *settings_expected;
    size_t settings_len;
    unsigned long scenarios;
};

static void append(char **buf, size_t *len, const char *line) {
    size_t add = strlen(line) + 1;
    char *grown = realloc(*buf, *len + add + 1);
    if (grown == NULL) exit(2);
    memcpy(grown + *len, line, add - 1);
    grown[*len + add - 1] = '\n';
    grown[*len + add] = '\0';
    *buf = grown;
    *len += add;
}

static void perm_begin(struct perm_state *st, const struct record *r) {
    free(st->name);
    st->name = malloc(r->len[0] + 1);
    if (st->name == NULL) exit(2);
    memcpy(st->name, r->field[0], r->len[0] + 1);
    st->account = NULL;
    st->catalog_failed = false;
    st->target = 2;
}

static void perm_catalog(struct perm_state *st, const struct record *r) {
    seccode_catalog *catalog = NULL;
    if (r->field[0] == NULL) {
        CHECK_OK(seccode_catalog_portal(&catalog));
    } else {
        seccode_result rc = seccode_catalog_from_json((const uint8_t *)r->field[0], r->len[0],
                                                      &catalog);
        if (rc != SECCODE_RESULT_OK) {
            st->catalog_failed = true;
            return;
        }
    }
    seccode_contact_details *owner = details("Owner Person", NULL, NULL, NULL);
    seccode_contact_details *target = details("Target Person", NULL, NULL, NULL);
    CHECK_OK(seccode_account_new_with_catalog(1, SV("Vector Account"), 1, owner, catalog,
                                              &st->account));
    CHECK_OK(seccode_account_add_contact(st->account, st->engine, 1, 2, target));
    seccode_contact_details_free(owner);
    seccode_contact_details_free(target);
    seccode_catalog_free(catalog);
}

static void perm_catalog_error(struct perm_state *st, const struct record *r) {
    /* The catalog must have been refused, with exactly the core's message. */
    CHECK(st->catalog_failed);
    char expected[1024];
    snprintf(expected, sizeof expected, "invalid catalog: %s", r->field[0]);
    if (!CHECK_STR(check_last_error(), expected)) {
        fprintf(stderr, "  scenario: %s\n", st->name);
    }
}

static void perm_check_text(struct perm_state *st, bool settings, const char *expected) {
    char *text = NULL;
    seccode_result rc = settings ? seccode_account_render_settings(st->account, st->target, &text)
                                 : seccode_account_render_grid(st->account, st->target, &text);
    if (CHECK_OK(rc) && !CHECK_STR(text, expected)) {
        fprintf(stderr, "  scenario: %s (%s)\n", st->name, settings ? "settings" : "grid");
    }
    seccode_string_free(text);
}

static void perm_line(struct perm_state *st, const struct record *r) {
    const char *k = r->kind;
    if (st->account == NULL) {
        return;
    }
    if (strcmp(k, "OWNER") == 0) {
        st->target = strcmp(r->field[0], "1") == 0 ? 1 : 2;
    } else if (strcmp(k, "SET") == 0) {
        VCHECK(r,
               seccode_account_set_permission(st->account, st->engine, 1, st->target,
                                              SV(r->field[0]), action_of(r->field[1]),
                                              setting_of(r->field[2])) == SECCODE_RESULT_OK,
               st->name);
    } else if (strcmp(k, "EXPECT") == 0) {
        seccode_effective value = 99;
        seccode_origin origin = 99;
        char *decided_by = NULL;
        if (CHECK_OK(seccode_account_effective(st->account, st->target, SV(r->field[0]),
                                               action_of(r->field[1]), &value, &origin,
                                               &decided_by))) {
            VCHECK(r, value == effective_of(r->field[2]), st->name);
            if (r->field[3] == NULL) {
                VCHECK(r, decided_by == NULL, st->name);
            } else {
                VCHECK(r, decided_by != NULL && strcmp(decided_by, r->field[3]) == 0, st->name);
            }
            seccode_string_free(decided_by);
        }
    } else if (strcmp(k, "ROW") == 0 || strcmp(k, "SROW") == 0) {
        bool settings = k[0] == 'S';
        char *text = NULL;
        char row[256];
        seccode_result rc = settings
                                ? seccode_account_render_settings(st->account, st->target, &text)
                                : seccode_account_render_grid(st->account, st->target, &text);
        if (CHECK_OK(rc)) {
            const char *cells = grid_row(text, r->field[0], row, sizeof row);
            VCHECK(r, cells != NULL && strcmp(cells, r->field[1]) == 0, st->name);
        }
        seccode_string_free(text);
    } else if (strcmp(k, "RENDER") == 0) {
        append(&st->render_expected, &st->render_len, r->field[0] ? r->field[0] : "");
    } else if (strcmp(k, "RSETTINGS") == 0) {
        append(&st->settings_expected, &st->settings_len, r->field[0] ? r->field[0] : "");
    } else if (strcmp(k, "ROLES") == 0) {
        seccode_catalog *catalog = NULL;
        char *json = NULL;
        CHECK_OK(seccode_account_catalog(st->account, &catalog));
        CHECK_OK(seccode_catalog_to_json(catalog, &json));
        VCHECK(r, contains(json, r->field[0]), st->name);
        seccode_string_free(json);
        seccode_catalog_free(catalog);
    } else if (strcmp(k, "ERROR") == 0) {
        /* A refused change answers its code and changes nothing. */
        char *before = NULL, *after = NULL;
        CHECK_OK(seccode_account_render_settings(st->account, 2, &before));
        seccode_result want = strcmp(r->field[3], "not_applicable") == 0
                                  ? SECCODE_RESULT_NOT_APPLICABLE
                                  : SECCODE_RESULT_NOT_FOUND;
        seccode_result got =
            seccode_account_set_permission(st->account, st->engine, 1, 2, SV(r->field[0]),
                                           action_of(r->field[1]), setting_of(r->field[2]));
        VCHECK(r, got == want, st->name);
        VCHECK(r, contains(check_last_error(), r->field[0]), st->name);
        CHECK_OK(seccode_account_render_settings(st->account, 2, &after));
        VCHECK(r, before && after && strcmp(before, after) == 0, st->name);
        seccode_string_free(before);
        seccode_string_free(after);
    }
}

static void perm_end(struct perm_state *st) {
    if (st->render_expected != NULL) {
        perm_check_text(st, false, st->render_expected);
    }
    if (st->settings_expected != NULL) {
        perm_check_text(st, true, st->settings_expected);
    }
    free(st->render_expected);
    free(st->settings_expected);
    st->render_expected = st->settings_expected = NULL;
    st->render_len = st->settings_len = 0;
    seccode_account_free(st->account);
    st->account = NULL;
    st->scenarios++;
}

/* ---- verifications.json: a verification is for one call (SPEC 7) ---- */

struct call_state {
    int64_t start, lifetime;
    seccode_engine *engine;
    seccode_account *any, *other;
    seccode_verified_call *call;
    char *name;
    long ask;
    char *status, *decision, *reason;
    unsigned long cases;
};

static seccode_account *call_account(seccode_engine *engine, uint64_t id, const char *name,
                                     uint64_t primary, const char *primary_name, uint64_t other,
                                     const char *other_name) {
    seccode_account *a = NULL;
    seccode_contact_details *d = details(primary_name, NULL, NULL, NULL);
    CHECK_OK(seccode_account_new(id, SV(name), primary, d, &a));
    seccode_contact_details_free(d);
    d = details(other_name, NULL, NULL, NULL);
    CHECK_OK(seccode_account_add_contact(a, engine, primary, other, d));
    seccode_contact_details_free(d);
    return a;
}

static char *dup_or_null(const char *s) {
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy == NULL) {
        exit(2);
    }
    memcpy(copy, s, n);
    return copy;
}

static void call_begin(struct call_state *c, const struct record *r) {
    seccode_engine_config *config = NULL;
    CHECK_OK(seccode_engine_config_new(&config));
    CHECK_OK(seccode_engine_config_set_hash_params(config, 64, 1, 1));
    CHECK_OK(seccode_engine_config_set_manual_clock(config, c->start));
    CHECK_OK(seccode_engine_config_set_verification_lifetime(config, c->lifetime));
    CHECK_OK(seccode_engine_new(config, &c->engine));
    seccode_engine_config_free(config);
    c->any = call_account(c->engine, 1707, "Any Company", 3522, "Joe Example", 3523, "Contact Example");
    c->other = call_account(c->engine, 1708, "Other Company", 3600, "Jane Other", 3523, "Someone Else");
    CHECK_OK(seccode_account_set_contact_code(c->any, c->engine, 3522, 3523, SV("quiet harbor zebra violin")));
    seccode_verification *v = NULL;
    CHECK_OK(seccode_account_verify(c->any, c->engine, 3523, SV("quiet harbor zebra violin"), &v));
    c->call = NULL;
    CHECK_OK(seccode_verification_call(v, &c->call));
    VCHECK(r, c->call != NULL, "the fixture's verification must succeed");
    seccode_verification_free(v);
    c->name = dup_or_null(r->field[0]);
    c->ask = strtol(r->field[1], NULL, 10);
    c->status = dup_or_null(r->field[2]);
    c->decision = dup_or_null(r->field[3]);
    c->reason = dup_or_null(r->field[4]);
}

static void call_step(struct call_state *c, const struct record *r) {
    const char *op = r->field[0];
    uint64_t id = strtoull(r->field[1], NULL, 10);
    seccode_result rc = SECCODE_RESULT_OK;
    if (strcmp(op, "advance") == 0) {
        rc = seccode_engine_advance_clock(c->engine, (int64_t)id);
    } else if (strcmp(op, "remove") == 0) {
        rc = seccode_account_remove_contact(c->any, c->engine, 3522, id);
    } else if (strcmp(op, "add") == 0) {
        seccode_contact_details *d = details(r->field[2], NULL, NULL, NULL);
        rc = seccode_account_add_contact(c->any, c->engine, 3522, id, d);
        seccode_contact_details_free(d);
    } else if (strcmp(op, "deactivate") == 0) {
        rc = seccode_account_deactivate_contact(c->any, c->engine, 3522, id);
    } else if (strcmp(op, "reactivate") == 0) {
        rc = seccode_account_reactivate_contact(c->any, c->engine, 3522, id);
    } else if (strcmp(op, "set_contact_code") == 0) {
        rc = seccode_account_set_contact_code(c->any, c->engine, 3522, id, SV(r->field[2]));
    } else if (strcmp(op, "set_account_code") == 0) {
        rc = seccode_account_set_account_code(c->any, c->engine, 3522, SV(r->field[2]));
    } else {
        VCHECK(r, false, "unknown step");
    }
    VCHECK(r, rc == SECCODE_RESULT_OK, op);
}

static const char *status_name(seccode_call_status s) {
    switch (s) {
    case SECCODE_CALL_STATUS_VALID: return "valid";
    case SECCODE_CALL_STATUS_EXPIRED: return "expired";
    case SECCODE_CALL_STATUS_VOID: return "void";
    }
    return "?";
}

static const char *deny_name(seccode_deny_reason d) {
    switch (d) {
    case SECCODE_DENY_REASON_NONE: return NULL;
    case SECCODE_DENY_REASON_DEACTIVATED: return "deactivated";
    case SECCODE_DENY_REASON_NOT_VERIFIED: return "not_verified";
    case SECCODE_DENY_REASON_MISSING_PERMISSION: return "missing_permission";
    case SECCODE_DENY_REASON_VERIFICATION_EXPIRED: return "verification_expired";
    case SECCODE_DENY_REASON_VERIFICATION_VOID: return "verification_void";
    }
    return "?";
}

static void call_end(struct call_state *c, const struct record *r) {
    seccode_account *asked = c->ask == 1708 ? c->other : c->any;
    seccode_call_status status;
    CHECK_OK(seccode_account_call_status(asked, c->engine, c->call, &status));
    if (!CHECK_STR(status_name(status), c->status)) {
        fprintf(stderr, "  case: %s\n", c->name);
    }
    seccode_decision *d = NULL;
    CHECK_OK(seccode_account_authorize(asked, c->engine, c->call, SECCODE_REQUEST_KIND_ROUTINE, &d));
    seccode_verdict verdict;
    seccode_deny_reason reason;
    CHECK_OK(seccode_decision_verdict(d, &verdict));
    CHECK_OK(seccode_decision_deny_reason(d, &reason));
    const char *want_verdict = strcmp(c->decision, "allowed") == 0 ? "allowed" : "denied";
    VCHECK(r, (verdict == SECCODE_VERDICT_ALLOWED) == (strcmp(want_verdict, "allowed") == 0), c->name);
    const char *got_reason = deny_name(reason);
    VCHECK(r, (got_reason == NULL && c->reason == NULL) ||
                  (got_reason != NULL && c->reason != NULL && strcmp(got_reason, c->reason) == 0),
           c->name);
    seccode_decision_free(d);
    seccode_verified_call_free(c->call);
    seccode_account_free(c->any);
    seccode_account_free(c->other);
    seccode_engine_free(c->engine);
    free(c->name);
    free(c->status);
    free(c->decision);
    free(c->reason);
    c->cases++;
}

/* ---- imports.json: legacy hashes over the ceilings are refused and replace nothing ---- */

static void import_case(seccode_engine *engine, const struct record *r, unsigned long *count) {
    seccode_account *a = call_account(engine, 1707, "Any Company", 3522, "Joe Example", 3523, "Contact Example");
    CHECK_OK(seccode_account_set_contact_code(a, engine, 3522, 3523, SV("quiet harbor zebra violin")));
    seccode_result rc = seccode_account_import_legacy_hash(a, engine, SECCODE_SLOT_INDIVIDUAL, 3523,
                                                          (const uint8_t *)r->field[0], r->len[0], true);
    if (r->field[1] == NULL) {
        VCHECK(r, rc == SECCODE_RESULT_OK, r->field[2]);
    } else {
        VCHECK(r, rc != SECCODE_RESULT_OK, r->field[2]);
        char name[64];
        size_t n = 0;
        CHECK_OK(seccode_last_error_name(name, sizeof name, &n));
        if (!CHECK_STR(name, r->field[1])) {
            fprintf(stderr, "  vector line %lu: %s\n", r->line, r->field[2]);
        }
        /* Nothing was replaced: the code set before still verifies. */
        seccode_verification *v = NULL;
        seccode_outcome outcome;
        CHECK_OK(seccode_account_verify(a, engine, 3523, SV("quiet harbor zebra violin"), &v));
        CHECK_OK(seccode_verification_outcome(v, &outcome));
        VCHECK(r, outcome == SECCODE_OUTCOME_VERIFIED, "the earlier code still verifies");
        seccode_verification_free(v);
    }
    seccode_account_free(a);
    (*count)++;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s VECTORS_TXT\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    unsigned long max_m_kib = 0;
    const char *limit = getenv("SECCODE_VECTORS_MAX_M_KIB");
    if (limit != NULL) {
        max_m_kib = strtoul(limit, NULL, 10);
    }

    seccode_engine *engine = cheap_engine();
    /* Any Company, spoken matching (the default) and exact matching. */
    struct policy_state pol = {engine, any_company(engine), any_company(engine), 0, 0};
    long policy_count = -1;
    CHECK_OK(seccode_account_set_normalization(pol.exact, engine, JOE, SECCODE_NORMALIZATION_EXACT));
    struct perm_state perm = {0};
    perm.engine = engine;
    unsigned long norm_cases = 0, legacy_checks = 0, legacy_skipped = 0, skipped = 0;

    static char buf[MAX_LINE];
    struct record rec;
    unsigned long line_no = 0;
    bool in_perm = false;
    struct call_state calls = {0};
    unsigned long import_cases = 0;
    while (fgets(buf, sizeof buf, f) != NULL) {
        line_no++;
        if (!parse(buf, &rec)) {
            continue;
        }
        rec.line = line_no;
        const char *k = rec.kind;
        if (strcmp(k, "POLICY") == 0 && rec.count == 10) {
            policy_case(&pol, &rec);
        } else if (strcmp(k, "COUNT") == 0 && rec.count == 2 &&
                   strcmp(rec.field[0], "policy.json") == 0) {
            policy_count = strtol(rec.field[1], NULL, 10);
        } else if (strcmp(k, "SKIP") == 0) {
            printf("skipped (%s): %s: %s\n", rec.field[0], rec.field[1], rec.field[2]);
            skipped++;
        } else if (strcmp(k, "NORM") == 0 && rec.count == 4) {
            normalization_case(engine, &rec);
            norm_cases++;
        } else if (strcmp(k, "LEGACY") == 0 && rec.count == 5) {
            if (max_m_kib > 0 && strtoul(rec.field[2], NULL, 10) > max_m_kib) {
                legacy_skipped++;
                continue;
            }
            legacy_case(engine, &rec);
            legacy_checks++;
        } else if (strcmp(k, "CALLFIX") == 0 && rec.count == 2) {
            calls.start = strtoll(rec.field[0], NULL, 10);
            calls.lifetime = strtoll(rec.field[1], NULL, 10);
        } else if (strcmp(k, "CALL") == 0 && rec.count == 5) {
            call_begin(&calls, &rec);
        } else if (strcmp(k, "CALLSTEP") == 0 && rec.count == 3) {
            call_step(&calls, &rec);
        } else if (strcmp(k, "CALLEND") == 0) {
            call_end(&calls, &rec);
        } else if (strcmp(k, "IMPORT") == 0 && rec.count == 3) {
            import_case(engine, &rec, &import_cases);
        } else if (strcmp(k, "PERM") == 0 && rec.count == 1) {
            perm_begin(&perm, &rec);
            in_perm = true;
        } else if (in_perm && strcmp(k, "CATALOG") == 0 && rec.count == 1) {
            perm_catalog(&perm, &rec);
        } else if (in_perm && strcmp(k, "CATALOG_ERROR") == 0 && rec.count == 1) {
            perm_catalog_error(&perm, &rec);
        } else if (in_perm && strcmp(k, "END") == 0) {
            perm_end(&perm);
            in_perm = false;
        } else if (in_perm) {
            if (perm.account == NULL && !perm.catalog_failed) {
                CHECK(!"a scenario line before its catalog");
            }
            if (perm.catalog_failed && strcmp(k, "OWNER") != 0) {
                fprintf(stderr, "  vector line %lu: catalog refused: %s\n", line_no,
                        check_last_error());
                CHECK(!"catalog refused");
            }
            perm_line(&perm, &rec);
        } else {
            fprintf(stderr, "vector line %lu: unknown record %s (%d fields)\n", line_no, k,
                    rec.count);
            CHECK(!"unknown record");
        }
    }
    fclose(f);
    free(perm.name);

    printf("vectors: %lu policy cases (%lu also through an account), %lu normalization cases, %lu legacy checks "
           "(%lu skipped over %lu KiB), %lu permission scenarios, %lu not expressible in C\n",
           pol.cases, pol.account_cases, norm_cases, legacy_checks, legacy_skipped, max_m_kib, perm.scenarios,
           skipped);
    /* The vector files exist and were read: an empty run is a failure. */
    CHECK(pol.cases >= 50);
    /* Every policy case was read (two-digit-year dates included), none skipped. */
    CHECK(policy_count >= 0 && pol.cases == (unsigned long)policy_count);
    CHECK(norm_cases >= 15);
    CHECK(legacy_checks + legacy_skipped >= 20);
    CHECK(perm.scenarios >= 10);
    printf("vectors: %lu verification cases, %lu import cases\n", calls.cases, import_cases);
    CHECK(calls.cases >= 8);
    CHECK(import_cases >= 6);

    seccode_account_free(pol.spoken);
    seccode_account_free(pol.exact);
    seccode_engine_free(engine);
    return check_report("vectors");
}
