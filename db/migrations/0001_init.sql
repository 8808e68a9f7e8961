-- Ventanilla schema, version 1. Keys are UUIDv7 text; times are UTC RFC 3339 text with
-- nanoseconds ("2026-11-28T10:00:00.123456789Z") so that text order is time order.

CREATE TABLE departments (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    full_name      TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'police', 'councillor')),
    password_hash  TEXT NOT NULL,
    department_id  TEXT REFERENCES departments(id) ON DELETE SET NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE census_entries (
    id          TEXT PRIMARY KEY,
    document    TEXT NOT NULL UNIQUE,
    full_name   TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    birth_date  TEXT NOT NULL DEFAULT '',
    batch_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE residents (
    id          TEXT PRIMARY KEY,
    full_name   TEXT NOT NULL CHECK (length(full_name) > 0),
    document    TEXT UNIQUE,               -- normalised DNI/NIE; NULL only after erasure
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    erased_at   TEXT,
    created_by  TEXT REFERENCES staff(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE identities (
    id                   TEXT PRIMARY KEY,
    network              TEXT NOT NULL,
    user_id              TEXT,            -- NULL while the handle is still to be resolved
    handle               TEXT NOT NULL,
    display_name         TEXT NOT NULL DEFAULT '',
    resident_id          TEXT REFERENCES residents(id) ON DELETE SET NULL,
    level                TEXT NOT NULL DEFAULT 'unknown'
                         CHECK (level IN ('unknown', 'linked', 'verified', 'verified_census')),
    verified_at          TEXT,
    verified_by          TEXT REFERENCES staff(id) ON DELETE SET NULL,
    verified_method      TEXT NOT NULL DEFAULT '' CHECK (verified_method IN ('', 'dm', 'mention', 'desk')),
    verified_message_id  TEXT NOT NULL DEFAULT '',
    flag_handle_changed  INTEGER NOT NULL DEFAULT 0 CHECK (flag_handle_changed IN (0, 1)),
    flag_takeover        INTEGER NOT NULL DEFAULT 0 CHECK (flag_takeover IN (0, 1)),
    flag_lookalike       INTEGER NOT NULL DEFAULT 0 CHECK (flag_lookalike IN (0, 1)),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (network, user_id)
) STRICT;
CREATE INDEX identities_handle ON identities (network, handle COLLATE NOCASE);
CREATE INDEX identities_resident ON identities (resident_id);

CREATE TABLE handle_history (
    id           TEXT PRIMARY KEY,
    identity_id  TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    handle       TEXT NOT NULL,
    seen_at      TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX handle_history_identity ON handle_history (identity_id, seen_at);

CREATE TABLE verification_challenges (
    id               TEXT PRIMARY KEY,
    identity_id      TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    code             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'used', 'expired', 'revoked')),
    expires_at       TEXT NOT NULL,
    issued_by        TEXT REFERENCES staff(id) ON DELETE SET NULL,
    used_message_id  TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX verification_challenges_identity ON verification_challenges (identity_id, status);

CREATE TABLE verification_attempts (
    id           TEXT PRIMARY KEY,
    identity_id  TEXT REFERENCES identities(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('verified', 'wrong_code', 'expired', 'reused', 'wrong_user', 'locked')),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX verification_attempts_identity ON verification_attempts (identity_id, created_at);

CREATE TABLE directory_entries (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('councillor', 'employee', 'department')),
    name           TEXT NOT NULL,
    position       TEXT NOT NULL DEFAULT '',
    department_id  TEXT REFERENCES departments(id) ON DELETE SET NULL,
    staff_id       TEXT REFERENCES staff(id) ON DELETE SET NULL,
    network        TEXT NOT NULL DEFAULT 'x',
    handle         TEXT NOT NULL DEFAULT '',
    user_id        TEXT NOT NULL DEFAULT '',
    official       INTEGER NOT NULL DEFAULT 0 CHECK (official IN (0, 1)), -- the town hall's own accounts
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE procedure_types (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_es         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    keywords        TEXT NOT NULL DEFAULT '',  -- comma-separated, accent-insensitive
    department_id   TEXT REFERENCES departments(id) ON DELETE SET NULL,
    deadline_value  INTEGER NOT NULL DEFAULT 0 CHECK (deadline_value >= 0),
    deadline_unit   TEXT NOT NULL DEFAULT 'working_days' CHECK (deadline_unit IN ('working_days', 'months')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE holidays (
    id          TEXT PRIMARY KEY,
    day         TEXT NOT NULL,              -- YYYY-MM-DD, Europe/Madrid calendar day
    name        TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('national', 'regional', 'local')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (day, scope)
) STRICT;

CREATE TABLE registry_counters (
    year        INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
    last_seq    INTEGER NOT NULL CHECK (last_seq BETWEEN 1 AND 999999),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
    id                  TEXT PRIMARY KEY,
    rid                 INTEGER NOT NULL UNIQUE,  -- local insertion order; the FTS key (stable across VACUUM)
    registry_number     TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL CHECK (kind IN ('incident', 'proposal', 'message', 'procedure', 'query')),
    status              TEXT NOT NULL DEFAULT 'received'
                        CHECK (status IN ('received', 'in_progress', 'resolved', 'rejected', 'admitted', 'on_agenda', 'debated')),
    priority            TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    department_id       TEXT REFERENCES departments(id) ON DELETE SET NULL,
    assignee_id         TEXT REFERENCES staff(id) ON DELETE SET NULL,
    directory_entry_id  TEXT REFERENCES directory_entries(id) ON DELETE SET NULL,
    procedure_type_id   TEXT REFERENCES procedure_types(id) ON DELETE SET NULL,
    resident_id         TEXT REFERENCES residents(id) ON DELETE SET NULL,
    identity_id         TEXT REFERENCES identities(id) ON DELETE SET NULL,
    channel             TEXT NOT NULL CHECK (channel IN ('mention', 'dm', 'search', 'desk')),
    network             TEXT NOT NULL DEFAULT 'x',
    conversation_id     TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    body                TEXT NOT NULL DEFAULT '',
    flag_unverified     INTEGER NOT NULL DEFAULT 0 CHECK (flag_unverified IN (0, 1)),
    flag_personal_data  INTEGER NOT NULL DEFAULT 0 CHECK (flag_personal_data IN (0, 1)),
    unread              INTEGER NOT NULL DEFAULT 1 CHECK (unread IN (0, 1)),
    opened_at           TEXT NOT NULL,      -- official registry time
    due_at              TEXT,
    first_answer_at     TEXT,
    closed_at           TEXT,
    merged_into         TEXT REFERENCES cases(id) ON DELETE SET NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX cases_opened ON cases (opened_at DESC);
CREATE INDEX cases_kind_opened ON cases (kind, opened_at DESC);
CREATE INDEX cases_status_opened ON cases (status, opened_at DESC);
CREATE INDEX cases_department_opened ON cases (department_id, opened_at DESC);
CREATE INDEX cases_assignee_opened ON cases (assignee_id, opened_at DESC);
CREATE INDEX cases_conversation ON cases (network, conversation_id);
CREATE INDEX cases_identity ON cases (identity_id);
CREATE INDEX cases_resident ON cases (resident_id);
CREATE INDEX cases_due ON cases (due_at) WHERE status NOT IN ('resolved', 'rejected', 'debated');

CREATE TABLE inbound_messages (
    id              TEXT PRIMARY KEY,
    rid             INTEGER NOT NULL UNIQUE,      -- local insertion order; the FTS key
    network         TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('mention', 'dm', 'search')),
    author_user_id  TEXT NOT NULL,
    author_handle   TEXT NOT NULL DEFAULT '',
    author_name     TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL,
    conversation_id TEXT NOT NULL DEFAULT '',
    in_reply_to_id  TEXT NOT NULL DEFAULT '',
    posted_at       TEXT NOT NULL,
    raw             TEXT NOT NULL,
    case_id         TEXT REFERENCES cases(id) ON DELETE SET NULL,
    identity_id     TEXT REFERENCES identities(id) ON DELETE SET NULL,
    disposition     TEXT NOT NULL CHECK (disposition IN ('new_case', 'joined_case', 'verification', 'own', 'ignored')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (network, message_id)
) STRICT;
CREATE INDEX inbound_messages_case ON inbound_messages (case_id);
CREATE INDEX inbound_messages_author ON inbound_messages (network, author_user_id, posted_at);

CREATE TABLE outbox (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,  -- send order
    id                 TEXT NOT NULL UNIQUE,
    case_id            TEXT REFERENCES cases(id) ON DELETE SET NULL,
    publication_id     TEXT,
    kind               TEXT NOT NULL CHECK (kind IN ('post', 'reply', 'dm')),
    network            TEXT NOT NULL DEFAULT 'x',
    in_reply_to_id     TEXT NOT NULL DEFAULT '',
    recipient_user_id  TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL CHECK (length(text) > 0),
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    network_id         TEXT NOT NULL DEFAULT '',
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT NOT NULL DEFAULT '',
    not_before         TEXT,               -- scheduled publication or retry time
    sent_at            TEXT,
    created_by         TEXT REFERENCES staff(id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (kind <> 'dm' OR recipient_user_id <> ''),
    CHECK (kind <> 'reply' OR in_reply_to_id <> ''),
    CHECK (status <> 'sent' OR network_id <> '')
) STRICT;
CREATE INDEX outbox_status ON outbox (status, seq);
CREATE INDEX outbox_case ON outbox (case_id);

CREATE TABLE case_events (
    id                   TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL CHECK (kind IN ('inbound', 'outbound', 'note', 'status', 'assignment', 'priority', 'department', 'merge', 'flag', 'verification')),
    actor_staff_id       TEXT REFERENCES staff(id) ON DELETE SET NULL,
    inbound_message_id   TEXT REFERENCES inbound_messages(id) ON DELETE SET NULL,
    outbox_id            TEXT REFERENCES outbox(id) ON DELETE SET NULL,
    body                 TEXT NOT NULL DEFAULT '',
    old_value            TEXT NOT NULL DEFAULT '',
    new_value            TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, created_at);

CREATE TABLE sync_cursors (
    stream           TEXT PRIMARY KEY,      -- e.g. "x:mentions", "x:dm", "x:search:#jun"
    since_id         TEXT NOT NULL DEFAULT '',
    last_success_at  TEXT,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE api_calls (
    day       TEXT NOT NULL,
    endpoint  TEXT NOT NULL,
    calls     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, endpoint)
) STRICT;

CREATE TABLE intake_rules (
    id                 TEXT PRIMARY KEY,
    priority           INTEGER NOT NULL,
    name               TEXT NOT NULL,
    channel            TEXT NOT NULL DEFAULT 'any' CHECK (channel IN ('any', 'mention', 'dm')),
    hashtags           TEXT NOT NULL DEFAULT '',   -- comma-separated, any of
    mentions           TEXT NOT NULL DEFAULT '',   -- comma-separated handles, any of
    keywords           TEXT NOT NULL DEFAULT '',   -- comma-separated, any of
    action             TEXT NOT NULL CHECK (action IN ('case', 'ignore')),
    kind               TEXT CHECK (kind IS NULL OR kind IN ('incident', 'proposal', 'message', 'procedure', 'query')),
    department_id      TEXT REFERENCES departments(id) ON DELETE SET NULL,
    procedure_type_id  TEXT REFERENCES procedure_types(id) ON DELETE SET NULL,
    enabled            INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE templates (
    id          TEXT PRIMARY KEY,
    key         TEXT NOT NULL,      -- e.g. "ack.incident.verified"
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'en')),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (key, lang)
) STRICT;

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE plenary_sessions (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    scheduled_at  TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'published', 'held')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE agenda_items (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES plenary_sessions(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    case_id     TEXT REFERENCES cases(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (session_id, position)
) STRICT;

CREATE TABLE publications (
    id            TEXT PRIMARY KEY,
    text          TEXT NOT NULL,
    scheduled_at  TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('draft', 'scheduled', 'queued', 'published', 'cancelled')),
    outbox_id     TEXT REFERENCES outbox(id) ON DELETE SET NULL,
    created_by    TEXT REFERENCES staff(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- Append-only: every row hashes the previous one; triggers refuse edits and deletes.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

-- Full-text search, accent-insensitive ("tramite" finds "trámite"). External content tables
-- keyed by the base tables' rid, kept in step by triggers.
CREATE VIRTUAL TABLE cases_fts USING fts5 (
    title, body,
    content = 'cases', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, title, body) VALUES (new.rid, new.title, new.body);
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, title, body) VALUES ('delete', old.rid, old.title, old.body);
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF title, body ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, title, body) VALUES ('delete', old.rid, old.title, old.body);
    INSERT INTO cases_fts (rowid, title, body) VALUES (new.rid, new.title, new.body);
END;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    text,
    content = 'inbound_messages', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_ai AFTER INSERT ON inbound_messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.rid, new.text);
END;
CREATE TRIGGER messages_fts_ad AFTER DELETE ON inbound_messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rid, old.text);
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF text ON inbound_messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rid, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.rid, new.text);
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
