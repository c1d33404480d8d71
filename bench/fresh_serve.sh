#!/bin/bash
# A fresh `make serve` from a clone of this repository's committed HEAD (issue 16: a serving chat within
# 5 minutes including install): polls /readyz until 200, prints the seconds, then stops the server.
#     bench/fresh_serve.sh [PORT]     # default 7999; the clone is made in a temporary folder and removed
set -u
port=${1:-7999}
repo=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d) && git clone -q "$repo" "$d" && cd "$d" || exit 1
start=$(date +%s.%N)
setsid make serve PORT="$port" > "$d/serve.log" 2>&1 &
pid=$!
code=000
while [ $(( $(date +%s) - ${start%.*} )) -lt 900 ]; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
  [ "$code" = 200 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 1
done
end=$(date +%s.%N)
chat=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
echo "readyz $code, chat page $chat, after $(echo "$end - $start" | bc) s (clone, venv, install, index, serve)"
kill -TERM -- -$pid 2>/dev/null; sleep 3; kill -KILL -- -$pid 2>/dev/null
cd / && rm -rf "$d"
[ "$code" = 200 ]
