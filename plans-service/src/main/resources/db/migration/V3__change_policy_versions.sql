-- The change policy's version: every edit of change_policy_override moves it up by one and
-- publishes the whole override list at that version on the plans topic (change-policy.published),
-- in the same transaction, so a service's read model keeps the highest version it has seen.
-- Version 0: not announced yet; plans-service announces version 1 on its first start with this.
CREATE TABLE change_policy_version (
    id       BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    version  BIGINT  NOT NULL
);
INSERT INTO change_policy_version (id, version) VALUES (TRUE, 0);
