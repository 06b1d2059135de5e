# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Prefers an existing JAVA_HOME when it is new enough, then the JDKs under /usr/lib/jvm.
sluice_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

sluice_pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(sluice_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "sluice: no JDK 21 or newer found. Install one (e.g. Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}

sluice_pick_jdk || exit 1
