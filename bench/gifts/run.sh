#!/usr/bin/env bash
# Gifts per second: SENDERS users send roses to one live stream, each one gift after another, for SECONDS (after
# WARMUP_SECONDS) through the Api (POST /api/streams/{id}/gifts); then pgbench runs the same money movement as one
# plain transaction (three balance updates, a transfer and its three entries) with as many clients on the same
# PostgreSQL: the database's own ceiling. Checks the ledger's invariants after NIO's run and prints gifts/s,
# latency, CPU per gift and the ratio NIO / pgbench (target: >= 0.5, with no invariant violated).
set -euo pipefail

# One benchmark at a time on this machine: the others take the same lock. -o: servers started below do not hold it.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SENDERS=${SENDERS:-100}
# SECONDS is also bash's own clock (seconds since the shell started): read the one the caller put in the environment.
SECONDS_MEASURED=$(printenv SECONDS || true)
SECONDS_MEASURED=${SECONDS_MEASURED:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
COINS_PER_SENDER=${COINS_PER_SENDER:-10000000}
PGBENCH_THREADS=${PGBENCH_THREADS:-2}
PGBENCH_MODE=${PGBENCH_MODE:-prepared} # pgbench -M: prepared is the database's best case
API_PORT=${API_PORT:-15300} PG_PORT=${PG_PORT:-15733}

work=$(mktemp -d /tmp/nio-bench-gifts.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

# pgbench comes with the PostgreSQL server package on Debian (postgresql-NN), psql with the client.
"$ROOT/nio" install "command -v curl:curl" "command -v psql:postgresql-client" "ls /usr/lib/postgresql/*/bin/pgbench:postgresql"
pgbench=$(ls -d /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n 1)
dotnet build "$ROOT/bench/gifts/GiftsBench.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bench="$ROOT/bench/gifts/bin/Release/net10.0/GiftsBench.dll"

# --- NIO -----------------------------------------------------------------------------------------
# The admin grants the coins, and the benchmark plays the Ingest reporting the stream live: credentials and the
# internal secret travel in the environment only, never on a command line or in the output.
export NIO_ADMIN_EMAIL=gifts-bench-admin@example.com
NIO_ADMIN_PASSWORD="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-1"
NIO_INGEST_TO_API_SECRET=$(head -c 32 /dev/urandom | base64)
export NIO_ADMIN_PASSWORD NIO_INGEST_TO_API_SECRET
: >"$work/nio.log" # bench_start_nio polls it before ./nio up has written a line
bench_start_nio NIO_SERVICES=Api PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" RateLimits__LoginAttemptsPerMinute=100000
api="http://127.0.0.1:$API_PORT"

# The same cluster for psql and pgbench, as `./nio db start` describes it; the password through the environment.
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=nio PGDATABASE=nio
PGPASSWORD=$(cat "$work/nio/secrets/postgres_password")
export PGPASSWORD
# The postmaster: the checkpointer's parent (a process that lives as long as the server).
pg_pid=$(ps -o ppid= -p "$(psql -tAc "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")" | tr -d ' ')
api_pid=$(cat "$work/nio/Api.pid")

echo "gifts: $SENDERS senders, one rose (10 coins: 5 beans to the streamer, 5 to the platform) after another, $SECONDS_MEASURED s after $WARMUP_SECONDS s warm-up"
NIO_API_URL="http://127.0.0.1:$((API_PORT + 10))" NIO_BENCH_API_PID=$api_pid NIO_BENCH_PG_PID=$pg_pid dotnet "$bench" "$api" "$SENDERS" "$WARMUP_SECONDS" "$SECONDS_MEASURED" \
  "$COINS_PER_SENDER" "$work/nio.result"
if grep -qE 'warn|fail' "$work/nio.log"; then grep -E -A3 'warn|fail' "$work/nio.log" | head -40 >&2; fi
field() { sed -E "s/.*(^| )$2=([^ ]+).*/\2/" "$1"; }
ok_total=$(field "$work/nio.result" ok_total)
streamer=$(field "$work/nio.result" streamer)

# --- the ledger's invariants after NIO's run ---------------------------------------------------------
# Each query counts violations; every gift answered 201 moved exactly 10 coins, 5 beans and 5 to revenue.
sql() { psql -v ON_ERROR_STOP=1 -tAc "$1"; }
violations=0
check() {
  local name=$1 count
  count=$(sql "$2")
  printf '  %-62s %s\n' "$name" "$count"
  violations=$((violations + count))
}
echo "ledger invariants (violations):"
check "sum of all balances is 0" "SELECT (sum(balance) <> 0)::int FROM ledger_accounts"
check "accounts below 0 that may not go negative" "SELECT count(*) FROM ledger_accounts WHERE balance < 0 AND NOT allow_negative"
check "accounts whose balance is not the sum of their entries" "
  SELECT count(*) FROM ledger_accounts a
  LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e ON e.account_id = a.id
  WHERE a.balance <> coalesce(e.total, 0)"
check "transfers whose entries do not sum to 0" "
  SELECT count(*) FROM (SELECT transfer_id FROM ledger_entries GROUP BY transfer_id HAVING sum(amount) <> 0) t"
check "gift transfers <> gifts answered 201 ($ok_total)" "SELECT (count(*) <> $ok_total)::int FROM ledger_transfers WHERE kind = 'gift'"
check "gifts_sent rows <> gifts answered 201" "SELECT (count(*) <> $ok_total)::int FROM gifts_sent"
check "streamer's beans <> 5 x gifts" "
  SELECT (coalesce(sum(balance), 0) <> 5 * $ok_total)::int FROM ledger_accounts WHERE kind = 'beans' AND user_id = '$streamer'"
check "platform revenue <> 5 x gifts" "SELECT (balance <> 5 * $ok_total)::int FROM ledger_accounts WHERE kind = 'platform_revenue'"
check "coins debited by gifts <> 10 x gifts" "
  SELECT (coalesce(-sum(e.amount), 0) <> 10 * $ok_total)::int FROM ledger_entries e
  JOIN ledger_transfers t ON t.id = e.transfer_id JOIN ledger_accounts a ON a.id = e.account_id
  WHERE t.kind = 'gift' AND a.kind = 'coins'"
check "senders' coins <> granted - 10 x gifts" "
  SELECT (sum(balance) <> $SENDERS::bigint * $COINS_PER_SENDER - 10 * $ok_total)::int FROM ledger_accounts WHERE kind = 'coins'"
echo "  total violations: $violations"

# --- pgbench: the same money movement as one plain transaction ----------------------------------------
# A database of its own on the same server, shaped like the ledger's tables (the same keys, unique idempotency
# key, foreign keys and indexes; no triggers): accounts 1..SENDERS are the senders, SENDERS+1 the streamer,
# SENDERS+2 the platform's revenue, SENDERS+3 the adjustments account their coins came from.
sql "CREATE DATABASE gifts_baseline" >/dev/null
PGDATABASE=gifts_baseline psql -v ON_ERROR_STOP=1 -q <<SQL
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    balance bigint NOT NULL DEFAULT 0,
    allow_negative boolean NOT NULL DEFAULT false,
    CHECK (allow_negative OR balance >= 0)
);
CREATE TABLE transfers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE entries (
    transfer_id bigint NOT NULL REFERENCES transfers (id),
    account_id bigint NOT NULL REFERENCES accounts (id),
    amount bigint NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (transfer_id, account_id)
);
CREATE INDEX entries_account ON entries (account_id, transfer_id DESC);
INSERT INTO accounts (id, balance) SELECT g, $COINS_PER_SENDER FROM generate_series(1, $SENDERS) g;
INSERT INTO accounts (id, balance, allow_negative) VALUES ($SENDERS + 1, 0, false), ($SENDERS + 2, 0, false),
    ($SENDERS + 3, -$SENDERS::bigint * $COINS_PER_SENDER, true);
SQL
# Client n is sender n+1 and sends one gift after another, like NIO's senders; the rows are locked in one order.
cat >"$work/gift.sql" <<'SQL'
\set sender :client_id + 1
\set streamer :senders + 1
\set revenue :senders + 2
BEGIN;
UPDATE accounts SET balance = balance - 10 WHERE id = :sender;
UPDATE accounts SET balance = balance + 5 WHERE id = :streamer;
UPDATE accounts SET balance = balance + 5 WHERE id = :revenue;
INSERT INTO transfers (idempotency_key, kind) VALUES (gen_random_uuid()::text, 'gift') RETURNING id AS transfer \gset
INSERT INTO entries (transfer_id, account_id, amount) VALUES (:transfer, :sender, -10), (:transfer, :streamer, 5), (:transfer, :revenue, 5);
END;
SQL
run_pgbench() {
  PGDATABASE=gifts_baseline "$pgbench" -n -M "$PGBENCH_MODE" -f "$work/gift.sql" -D senders="$SENDERS" \
    -c "$SENDERS" -j "$PGBENCH_THREADS" -T "$1"
}
echo "pgbench: the same transaction, -c $SENDERS -j $PGBENCH_THREADS -M $PGBENCH_MODE, $SECONDS_MEASURED s after $WARMUP_SECONDS s warm-up"
run_pgbench "$WARMUP_SECONDS" >"$work/pgbench-warmup.txt" 2>&1 || { cat "$work/pgbench-warmup.txt" >&2; exit 1; }
pg_before=$(dotnet "$bench" cpu "$pg_pid")
TIMEFORMAT='%U %S'
{ time run_pgbench "$SECONDS_MEASURED" >"$work/pgbench.txt" 2>&1; } 2>"$work/pgbench.time" || { cat "$work/pgbench.txt" >&2; exit 1; }
pg_after=$(dotnet "$bench" cpu "$pg_pid")
grep -E '^(number of (transactions actually processed|failed transactions)|latency average|tps)' "$work/pgbench.txt" | sed 's/^/  /'
pgbench_tps=$(awk '/^tps = / { print $3 }' "$work/pgbench.txt")
pgbench_tx=$(awk -F': ' '/^number of transactions actually processed/ { split($2, a, "/"); print a[1] }' "$work/pgbench.txt")
baseline_sum=$(PGDATABASE=gifts_baseline sql "SELECT sum(balance) FROM accounts")
[ "$baseline_sum" = 0 ] || { echo "pgbench's accounts do not sum to 0 ($baseline_sum)" >&2; exit 1; }

# --- both ----------------------------------------------------------------------------------------
read -r pgbench_user pgbench_sys <"$work/pgbench.time"
r="$work/nio.result"
awk -v ok="$(field "$r" ok)" -v errors="$(field "$r" errors)" -v secs="$(field "$r" seconds)" -v rate="$(field "$r" rate)" \
  -v p50="$(field "$r" p50)" -v p99="$(field "$r" p99)" -v api_cpu="$(field "$r" api_cpu)" -v pg_cpu="$(field "$r" pg_cpu)" \
  -v client_cpu="$(field "$r" client_cpu)" -v tps="$pgbench_tps" -v tx="$pgbench_tx" -v pg2="$(awk -v a="$pg_before" -v b="$pg_after" 'BEGIN { print b - a }')" \
  -v pgbench_cpu="$(awk -v u="$pgbench_user" -v s="$pgbench_sys" 'BEGIN { print u + s }')" -v violations="$violations" 'BEGIN {
  printf "\n%-8s %10s %9s %9s %8s   %s\n", "", "gifts/s", "p50 ms", "p99 ms", "errors", "CPU ms per gift: server / database / client"
  printf "%-8s %10.1f %9.1f %9.1f %8d   %.2f / %.2f / %.2f\n", "NIO", rate, p50, p99, errors, 1000 * api_cpu / ok, 1000 * pg_cpu / ok, 1000 * client_cpu / ok
  printf "%-8s %10.1f %9s %9s %8s   - / %.2f / %.2f\n", "pgbench", tps, "", "", "", 1000 * pg2 / tx, 1000 * pgbench_cpu / tx
  ratio = rate / tps
  printf "ratio NIO / pgbench: %.3f (target >= 0.5): %s\n", ratio, (ratio >= 0.5 ? "met" : "NOT met")
  printf "invariant violations: %d (target 0): %s\n", violations, (violations == 0 ? "met" : "NOT met")
}'
