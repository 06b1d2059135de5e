# Sourced by the bench scripts: cleanup stops every process they started (PIDS, each the leader of a session of its
# own, so its children stop with it) and removes WORK. A JVM deep in garbage collection may never act on SIGTERM (a
# bench gateway once outlived its run so, and took both cores from what ran next): SIGKILL after 10 s.
cleanup() {
  local p alive
  for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  for _ in $(seq 1 10); do
    alive=0
    for p in "${PIDS[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 1
  done
  for p in "${PIDS[@]}"; do kill -9 -- "-$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
