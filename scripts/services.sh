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

# promtool and prometheus (Debian's prometheus package): DeployRulesTest checks and unit-tests deploy/prometheus/alerts.yml, PrometheusScrapeTest scrapes a gateway.
sluice_ensure_promtool() {
  if command -v promtool >/dev/null && command -v prometheus >/dev/null; then return 0; fi
  echo "test: installing promtool and prometheus (Debian's prometheus package)" >&2
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null; }
  fi
  command -v promtool >/dev/null && command -v prometheus >/dev/null || { echo "test: promtool and prometheus are needed (apt-get install prometheus)" >&2; return 1; }
}

# Debian's chromium and chromium-driver: the console's browser tests (ConsoleBrowserTest) drive them through Selenium.
sluice_ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return 0; fi
  echo "test: installing chromium and chromium-driver (Debian's packages)" >&2
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null; }
  fi
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || { echo "test: chromium and chromedriver are needed (apt-get install chromium chromium-driver)" >&2; return 1; }
}

# systemd-analyze (Debian's systemd package): DeploymentUnitTest verifies the systemd unit docs/deployment.md gives.
sluice_ensure_systemd_analyze() {
  if command -v systemd-analyze >/dev/null; then return 0; fi
  echo "test: installing systemd-analyze (Debian's systemd package)" >&2
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd >/dev/null; }
  fi
  command -v systemd-analyze >/dev/null || { echo "test: systemd-analyze is needed (apt-get install systemd)" >&2; return 1; }
}
