#!/usr/bin/env bash
# A real, stock Flink 1.19 standalone session cluster on this machine, assembled from Maven
# Central: the distribution's configuration and class loading, nothing of sluice on its classpath.
#
#   runner-configs/flink-cluster.sh start [--taskmanagers=N]   # JobManager + N TaskManagers (default 2)
#   runner-configs/flink-cluster.sh status                     # REST overview: TaskManagers, slots, jobs
#   runner-configs/flink-cluster.sh stop                       # stops every process it started
#   runner-configs/flink-cluster.sh kill-taskmanager [I]       # SIGKILL TaskManager I (default 1), for tests
#   runner-configs/flink-cluster.sh start-taskmanager          # one more TaskManager
#
# State lives in $SLUICE_FLINK_HOME (default .sluice/flink): conf/, log/, pids, checkpoints/,
# savepoints/. The web UI and REST API listen on http://127.0.0.1:$SLUICE_FLINK_REST_PORT (8081),
# the JobManager's RPC on $SLUICE_FLINK_RPC_PORT (6123).
# SLUICE_FLINK_TASKMANAGER_CPUS=0,1 pins TaskManager I to the I-th CPU of the list (taskset), with
# the processes it starts, to measure what one more TaskManager buys on one machine.
# JVM memory flags come from Flink's BashJavaUtils and the JVM options from env.java.opts.all, as
# Flink's own scripts do it; without the memory flags the TaskManager refuses to start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="$(mkdir -p "${SLUICE_FLINK_HOME:-$root/.sluice/flink}" && cd "${SLUICE_FLINK_HOME:-$root/.sluice/flink}" && pwd)"
rest_port="${SLUICE_FLINK_REST_PORT:-8081}"
rpc_port="${SLUICE_FLINK_RPC_PORT:-6123}"
conf="$home/conf"
logs="$home/log"
pids="$home/pids"

classpath() {
  local file="$home/classpath.txt"
  if [[ ! -s "$file" || "$root/runner-configs/flink-cluster/pom.xml" -nt "$file" ]]; then
    mvn -B -q -f "$root/runner-configs/flink-cluster/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$file" >&2
  fi
  cat "$file"
}

configure() {
  mkdir -p "$conf" "$logs" "$pids" "$home/checkpoints" "$home/savepoints" "$home/tmp"
  sed -e "s|@FLINK_HOME@|$home|g" -e "s|@REST_PORT@|$rest_port|g" -e "s|@RPC_PORT@|$rpc_port|g" \
    "$root/runner-configs/flink-cluster/config.yaml" > "$conf/config.yaml"
  cp "$root/runner-configs/flink-cluster/log4j2.properties" "$conf/log4j2.properties"
}

# Prints the lines BashJavaUtils marks as results: JVM flags, then dynamic configuration.
resource_params() {
  local command="$1"
  java -cp "$(classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$command" \
    --configDir "$conf" 2>&1 | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# env.java.opts.all of config.yaml, which flink-daemon.sh passes to every Flink JVM.
java_options() {
  sed -n 's/^      all: //p' "$conf/config.yaml"
}

launch() {
  local name="$1" main="$2" params="$3" pin="${4:-}" more="${5:-}"
  local jvm dynamic
  jvm="$(echo "$params" | head -n1)"
  dynamic="$(echo "$params" | tail -n1) $more"
  # shellcheck disable=SC2086 # the flags are word lists by design
  nohup $pin java $jvm $(java_options) -Dlog.file="$logs/$name.log" \
    -Dlog4j.configurationFile="file:$conf/log4j2.properties" \
    -cp "$(classpath)" "$main" --configDir "$conf" $dynamic \
    > "$logs/$name.out" 2>&1 < /dev/null &
  echo $! > "$pids/$name.pid"
}

rest() {
  curl -fsS --max-time 5 "http://127.0.0.1:$rest_port$1"
}

start_taskmanager() {
  local index=1
  while [[ -f "$pids/taskmanager-$index.pid" ]] && kill -0 "$(cat "$pids/taskmanager-$index.pid")" 2>/dev/null; do
    index=$((index + 1))
  done
  local pin="" cpus
  if [[ -n "${SLUICE_FLINK_TASKMANAGER_CPUS:-}" ]]; then
    IFS=, read -r -a cpus <<< "$SLUICE_FLINK_TASKMANAGER_CPUS"
    pin="taskset -c ${cpus[$(( (index - 1) % ${#cpus[@]} ))]}"
  fi
  # A resource id of its own, never reused: a killed TaskManager stays registered until its
  # heartbeat times out, so counting TaskManagers cannot tell whether the new one has joined.
  local id="taskmanager-$index-$(date +%s%N)"
  echo "$id" > "$pids/taskmanager-$index.id"
  launch "taskmanager-$index" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    "$(resource_params GET_TM_RESOURCE_PARAMS)" "$pin" "-D taskmanager.resource-id=$id"
  started+=("$id")
}

# Waits until the JobManager lists every TaskManager this call started.
wait_for_started() {
  local id missing
  for _ in $(seq 1 120); do
    missing=0
    for id in "${started[@]}"; do
      if ! rest /taskmanagers 2>/dev/null | grep -qF "\"id\":\"$id\""; then
        missing=1
      fi
    done
    [[ $missing == 0 ]] && return 0
    sleep 0.5
  done
  echo "flink-cluster: TaskManagers ${started[*]} did not register within 60 s; see $logs" >&2
  return 1
}

stop_all() {
  local pid_file
  for pid_file in "$pids"/*.pid; do
    [[ -e "$pid_file" ]] || continue
    kill "$(cat "$pid_file")" 2>/dev/null || true
  done
  for _ in $(seq 1 40); do
    local alive=0
    for pid_file in "$pids"/*.pid; do
      [[ -e "$pid_file" ]] || continue
      if kill -0 "$(cat "$pid_file")" 2>/dev/null; then alive=1; fi
    done
    [[ $alive == 0 ]] && break
    sleep 0.5
  done
  for pid_file in "$pids"/*.pid; do
    [[ -e "$pid_file" ]] || continue
    kill -9 "$(cat "$pid_file")" 2>/dev/null || true
    rm -f "$pid_file" "${pid_file%.pid}.id"
  done
}

command="${1:-status}"
shift || true
taskmanagers=2
started=()
for arg in "$@"; do
  case "$arg" in
    --taskmanagers=*) taskmanagers="${arg#--taskmanagers=}" ;;
  esac
done

case "$command" in
  start)
    if rest /overview > /dev/null 2>&1; then
      echo "flink-cluster: something already answers on port $rest_port" >&2
      exit 1
    fi
    configure
    launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      "$(resource_params GET_JM_RESOURCE_PARAMS)"
    for _ in $(seq 1 "$taskmanagers"); do
      start_taskmanager
    done
    wait_for_started
    echo "flink-cluster: JobManager and $taskmanagers TaskManagers up; web UI http://127.0.0.1:$rest_port"
    ;;
  start-taskmanager)
    start_taskmanager
    wait_for_started
    ;;
  kill-taskmanager)
    index="${1:-1}"
    kill -9 "$(cat "$pids/taskmanager-$index.pid")"
    rm -f "$pids/taskmanager-$index.pid" "$pids/taskmanager-$index.id"
    echo "flink-cluster: TaskManager $index killed"
    ;;
  status)
    rest /overview && echo
    ;;
  stop)
    stop_all
    echo "flink-cluster: stopped"
    ;;
  *)
    echo "usage: flink-cluster.sh start [--taskmanagers=N] | status | stop | kill-taskmanager [I] | start-taskmanager" >&2
    exit 2
    ;;
esac
