-- Hard caps: what each budget counter has spent and holds reserved for calls in flight, in exact dollars.
CREATE TABLE budget_counters (
    counter  VARCHAR(300)   NOT NULL PRIMARY KEY,
    spent    NUMERIC(20, 9) NOT NULL,
    reserved NUMERIC(20, 9) NOT NULL
);
