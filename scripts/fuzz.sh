#!/usr/bin/env bash
# libFuzzer campaigns over vantage's parsers of untrusted bytes (fuzz/README.md).
#
#   scripts/fuzz.sh TARGET [SECONDS]   one campaign (default 600 s, or FUZZ_MAX_RUNS
#                                      executions if that comes first); new inputs go
#                                      to build-fuzz/corpus/TARGET, crashes to
#                                      build-fuzz/findings/TARGET/
#   scripts/fuzz.sh --ci [RUNS]        every target for RUNS executions (default 20000)
#                                      from the seeds; exit 1 on any crash. A fixed
#                                      libFuzzer seed (FUZZ_SEED, default 1): a CI run
#                                      explores the same inputs each time, replayably
#   scripts/fuzz.sh --list             the targets
#
# Builds the 'fuzz' CMake preset (clang-14, ASan + UBSan) into build-fuzz/ first.
# Environment: JOBS (build parallelism, default nproc), FUZZ_RSS_MB (default 2048).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(routeros_decoder routeros_roundtrip lab_api_session tls_server_flight tls_scanner_hello
         capture_pcap capture_pcapng rest_http_response scenario_loader config_policy config_lab
         json_locate redact_agreement fleet_inventory)
dict_of() {
  case $1 in
    routeros_* | lab_api_session | redact_agreement) echo fuzz/dict/routeros.dict ;;
    tls_*) echo fuzz/dict/tls.dict ;;
    capture_*) echo fuzz/dict/capture.dict ;;
    rest_*) echo fuzz/dict/http.dict ;;
    *) echo fuzz/dict/json.dict ;;
  esac
}
# Inputs large enough for a small capture or a full scenario; small enough to stay fast.
maxlen_of() {
  case $1 in
    capture_* | scenario_loader | config_* | json_locate | fleet_inventory) echo 16384 ;;
    tls_*) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

build() {
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  if ! command -v clang++-14 >/dev/null || [[ ! -d /usr/lib/llvm-14/lib/clang ]]; then
    echo "fuzz: clang-14 and libFuzzer are missing; install them with: SETUP_SET=fuzz scripts/setup.sh" >&2
    exit 1
  fi
  [[ -f build-fuzz/CMakeCache.txt ]] || cmake --preset fuzz >/dev/null
  cmake --build build-fuzz -j "${JOBS:-$(nproc)}" --target "$@"
}

# run TARGET OUTCORPUS [libFuzzer flags...]: prints the final stats line.
run() {
  local t=$1 out=$2
  shift 2
  mkdir -p "$out" "build-fuzz/findings/$t"
  build-fuzz/fuzz/fuzz_"$t" "$out" "fuzz/corpus/$t" -dict="$(dict_of "$t")" \
    -max_len="$(maxlen_of "$t")" -timeout=10 -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
    -artifact_prefix="build-fuzz/findings/$t/" -print_final_stats=1 "$@"
}

summary() {  # the last status line and the final stats of a libFuzzer log
  local log=$1
  grep -E '^#[0-9]+' "$log" | tail -1 || true
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" || true
}

case ${1:-} in
  "" | -h | --help)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
    ;;
  --list) printf '%s\n' "${TARGETS[@]}" ;;
  --ci)
    runs=${2:-20000}
    start=$(date +%s)
    build fuzzers
    built=$(date +%s)
    failed=()
    for t in "${TARGETS[@]}"; do
      tmp=$(mktemp -d)
      log=$tmp/log
      if run "$t" "$tmp/corpus" -runs="$runs" -seed="${FUZZ_SEED:-1}" >"$log" 2>&1; then
        echo "fuzz: $t ok: $(grep -E '^#[0-9]+' "$log" | tail -1)"
      else
        echo "fuzz: $t FAILED (artifacts in build-fuzz/findings/$t/):" >&2
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 >&2
        failed+=("$t")
      fi
      rm -rf "$tmp"
    done
    echo "fuzz: build $((built - start)) s, runs $(($(date +%s) - built)) s ($runs executions per target)"
    ((${#failed[@]} == 0)) || {
      echo "fuzz: crashes in: ${failed[*]}" >&2
      exit 1
    }
    ;;
  *)
    t=$1
    secs=${2:-600}
    printf '%s\n' "${TARGETS[@]}" | grep -qx "$t" || {
      echo "fuzz: unknown target '$t'; one of: ${TARGETS[*]}" >&2
      exit 64
    }
    build "fuzz_$t"
    log=build-fuzz/findings/$t.log
    mkdir -p build-fuzz/findings
    set +e
    run "$t" "build-fuzz/corpus/$t" -max_total_time="$secs" ${FUZZ_MAX_RUNS:+-runs="$FUZZ_MAX_RUNS"} 2>&1 | tee "$log" |
      grep --line-buffered -E 'pulse|DONE|ERROR|SUMMARY'
    rc=${PIPESTATUS[0]}
    set -e
    echo "fuzz: $t: $(summary "$log" | tr '\n' ' ')"
    if ((rc != 0)); then
      echo "fuzz: $t: crash or leak; the input is in build-fuzz/findings/$t/ (log $log)" >&2
      exit 1
    fi
    ;;
esac
