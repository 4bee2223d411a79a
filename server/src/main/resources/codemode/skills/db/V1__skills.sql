-- One row per saved version of a skill. The same schema on SQLite and PostgreSQL.
-- api:   the API the skill is for (its title, e.g. 'GitHub v3 REST API'), so a GitHub skill is never offered on Stripe
-- owner: the identity that saved it ('token:NAME' over HTTP, 'user:NAME' over stdio) or '*' when published to all
-- The primary key makes two concurrent saves of one name take distinct versions: the loser of a race retries.
CREATE TABLE skill_version (
  api          VARCHAR(200)  NOT NULL,
  owner        VARCHAR(200)  NOT NULL,
  name         VARCHAR(64)   NOT NULL,
  version      INTEGER       NOT NULL,
  description  VARCHAR(1000) NOT NULL,
  params       TEXT          NOT NULL,
  code         TEXT          NOT NULL,
  created_at   BIGINT        NOT NULL,
  created_by   VARCHAR(200)  NOT NULL,
  runs         BIGINT        NOT NULL DEFAULT 0,
  successes    BIGINT        NOT NULL DEFAULT 0,
  failures     BIGINT        NOT NULL DEFAULT 0,
  total_ms     BIGINT        NOT NULL DEFAULT 0,
  last_used    BIGINT,
  PRIMARY KEY (api, owner, name, version)
);
