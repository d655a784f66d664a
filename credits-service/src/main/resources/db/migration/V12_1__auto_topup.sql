-- An account's auto top-up (credits-domain AutoTopup). Every writer holds the account's credit_account
-- lock first, so the debit path reads this row unlocked under that lock and its decision stands.
CREATE TABLE auto_topup (
    account_id        text PRIMARY KEY REFERENCES credit_account (account_id),
    threshold         bigint  NOT NULL,
    pack_code         text    NOT NULL,
    pack_credits      bigint  NOT NULL,
    pack_price_minor  bigint  NOT NULL,
    currency          text    NOT NULL,
    monthly_cap_minor bigint  NOT NULL,
    max_failures      int     NOT NULL,
    enabled           boolean NOT NULL,
    disabled_reason   text,
    failures_in_row   int     NOT NULL DEFAULT 0,
    in_flight         uuid,
    in_flight_since   timestamptz,
    month             date,
    month_spent_minor bigint  NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL
);
