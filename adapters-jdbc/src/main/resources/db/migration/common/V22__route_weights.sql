-- Canary weights set at runtime, one row per route: every deployment's weight as "name=weight" lines, the change's
-- number (one more with each change of the route), when and by whom. Replicas read it to apply the weights over the
-- configured ones; it outlives restarts.
CREATE TABLE route_weights (
    route       VARCHAR(200)  NOT NULL PRIMARY KEY,
    weights     VARCHAR(4000) NOT NULL,
    version     BIGINT        NOT NULL,
    changed_at  TIMESTAMP     NOT NULL,
    changed_by  VARCHAR(64)   NOT NULL
);
