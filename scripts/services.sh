# Sourced by scripts/test: makes sure the PostgreSQL and Redis the tests talk to are up, starting them when they
# are installed but stopped. Fails with a clear message when one cannot be reached.
sluice_wait_for() { # name, check command...
  local name="$1"; shift
  for _ in $(seq 1 30); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "test: $name did not come up" >&2
  return 1
}

sluice_ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "test: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  sluice_wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432 || {
    echo "test: PostgreSQL is needed on 127.0.0.1:5432 (database 'test', user 'postgres'); install it or set SLUICE_TEST_PG_URL" >&2
    return 1
  }
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" 2>/dev/null | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null
}

sluice_ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return 0; fi
  if command -v redis-server >/dev/null; then
    echo "test: starting Redis" >&2
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  fi
  sluice_wait_for Redis sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG' || {
    echo "test: Redis is needed on 127.0.0.1:6379; install it" >&2
    return 1
  }
}

# Installs Debian packages ($1, space-separated) unless every command in the rest is already there; as root only.
sluice_ensure_debian() {
  local packages="$1"; shift
  local missing=0 c
  for c in "$@"; do command -v "$c" >/dev/null || missing=1; done
  [ "$missing" = 0 ] && return 0
  echo "test: installing $packages (Debian's packages)" >&2
  if [ "$(id -u)" = 0 ]; then
    # shellcheck disable=SC2086 # the packages are words
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages >/dev/null; }
  fi
  for c in "$@"; do command -v "$c" >/dev/null || { echo "test: $c is needed (apt-get install $packages)" >&2; return 1; }; done
}

# promtool and prometheus: DeployRulesTest checks and unit-tests deploy/prometheus/alerts.yml, PrometheusScrapeTest scrapes a gateway.
sluice_ensure_promtool() { sluice_ensure_debian prometheus promtool prometheus; }

# chromium and chromium-driver: the console's browser tests (ConsoleBrowserTest) drive them through Selenium.
sluice_ensure_chromium() { sluice_ensure_debian "chromium chromium-driver" chromium chromedriver; }

# systemd-analyze (the systemd package): DeploymentUnitTest verifies the systemd unit docs/deployment.md gives.
sluice_ensure_systemd_analyze() { sluice_ensure_debian systemd systemd-analyze; }
