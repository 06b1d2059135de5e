# Sourced by the bench scripts: each runs on a scratch database of its own on the local PostgreSQL, dropped and created
# afresh before a run (FORCE: a gateway of a run that was cut short may still hold connections to it).
drop_database() { # name
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >&2
}
fresh_database() { # name
  drop_database "$1" && psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $1" >&2
}
