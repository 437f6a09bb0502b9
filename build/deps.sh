#!/usr/bin/env bash
# build/deps.sh — install, start and stop the real servers the integration tests need.
#
# Usage:
#   build/deps.sh start   [NAME...]   install what is missing, start (idempotent), provision, write build/.deps.env
#   build/deps.sh stop    [NAME...]   stop the servers this script started (already-stopped is fine)
#   build/deps.sh restart [NAME...]   stop then start
#   build/deps.sh restart-etcd        stop and start only the plain etcd instance
#   build/deps.sh status  [NAME...]   one line per server: "NAME: up" / "NAME: down" (exit 1 if any is down)
#   build/deps.sh env                 print the env file (eval "$(build/deps.sh env)")
#
# NAME is one of: postgres mysql redis rabbitmq ldap etcd etcd-auth (no NAME = all; `start` with
# no NAME also installs the tools promtool and chromium).
#
# Debian 12, run as root, no systemd needed. Every server listens on 127.0.0.1 only; data, pid
# files and logs live under $DEPHEALTH_DEPS_ROOT (default /var/tmp/dephealth-deps).
# If a server of the right kind already answers on a port (e.g. started by hand), the script
# provisions/uses it when it can; if it cannot (wrong credentials and no admin access), it stops
# that foreign instance and starts its own.
# The passwords below are test-only fixtures.
#
# Optional environment:
#   DEPHEALTH_DEPS_ROOT=/var/tmp/dephealth-deps  data, pid files and logs
#   DEPHEALTH_DEPS_ENV_FILE=build/.deps.env      where `start`/`env` write/read the env file
#   DEPHEALTH_DEPS_PORT_OFFSET=0                 add N to every port (a second, isolated set of servers)
#   DEPHEALTH_DEPS_TAKEOVER=1                    0 = fail instead of stopping a conflicting foreign server

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENV_FILE="${DEPHEALTH_DEPS_ENV_FILE:-$SCRIPT_DIR/.deps.env}"
[[ "$ENV_FILE" == /* ]] || ENV_FILE="$PWD/$ENV_FILE"
OFF="${DEPHEALTH_DEPS_PORT_OFFSET:-0}"
TAKEOVER="${DEPHEALTH_DEPS_TAKEOVER:-1}"
ROOT="${DEPHEALTH_DEPS_ROOT:-/var/tmp/dephealth-deps}"
LOGS="$ROOT/logs"
cd /   # service users must not trip over an unreadable working directory

export DEBIAN_FRONTEND=noninteractive
export ETCDCTL_API=3

ALL_SERVERS=(postgres mysql redis rabbitmq ldap etcd etcd-auth)

# ---- fixtures ---------------------------------------------------------------------------------
[[ "$OFF" =~ ^[0-9]+$ ]] && (( OFF < 30000 )) || { echo "[deps] ERROR: DEPHEALTH_DEPS_PORT_OFFSET must be 0..29999" >&2; exit 2; }
PG_PORT=$((5432+OFF)); PG_USER=dephealth;  PG_PASS=dephealth-pg-secret;     PG_DB=dephealth
MY_PORT=$((3306+OFF));    MY_USER=dephealth;  MY_PASS=dephealth-my-secret;     MY_DB=dephealth
REDIS_PORT=$((6379+OFF));   REDIS_PASS=dephealth-redis-secret; REDIS_ACL_USER=dephealth; REDIS_ACL_PASS=dephealth-acl-secret
AMQP_PORT=$((5672+OFF));    AMQP_USER=dephealth; AMQP_PASS=dephealth-amqp-secret; AMQP_VHOST=dephealth
AMQP_DIST_PORT=$((25672+OFF))
LDAP_PORT=$((389+OFF));    LDAP_SUFFIX="dc=dephealth,dc=test"
LDAP_ADMIN_DN="cn=admin,$LDAP_SUFFIX"; LDAP_ADMIN_PASS=dephealth-ldap-secret
LDAP_BIND_DN="uid=checker,ou=people,$LDAP_SUFFIX"; LDAP_BIND_PASS=dephealth-checker-secret
ETCD_PORT=$((2379+OFF)); ETCD_PEER_PORT=$((2380+OFF))
ETCDA_PORT=$((22379+OFF)); ETCDA_PEER_PORT=$((22380+OFF)); ETCDA_USER=root; ETCDA_PASS=dephealth-etcd-secret

# ---- logging / errors -------------------------------------------------------------------------
log()  { printf '[deps] %s\n' "$*" >&2; }
die()  { printf '[deps] ERROR: %s\n' "$*" >&2; exit 1; }
# fail NAME LOGFILE MESSAGE — print the server's log tail and exit non-zero
fail() {
  local name=$1 logfile=$2; shift 2
  printf '[deps] ERROR: %s: %s\n' "$name" "$*" >&2
  if [[ -n "$logfile" && -f "$logfile" ]]; then
    printf '[deps] ---- last lines of %s ----\n' "$logfile" >&2
    tail -n 40 "$logfile" >&2 || true
    printf '[deps] ---- end of %s ----\n' "$logfile" >&2
  fi
  exit 1
}

# wait_for NAME TIMEOUT LOGFILE CHECK_FN [ALIVE_FN] — poll CHECK_FN until it succeeds or the deadline passes
wait_for() {
  local name=$1 timeout=$2 logfile=$3 check=$4 alive=${5:-}
  local start=$SECONDS deadline=$((SECONDS + timeout))
  until "$check" >/dev/null 2>&1; do
    if [[ -n "$alive" ]] && (( SECONDS - start >= 2 )) && ! "$alive" >/dev/null 2>&1; then
      fail "$name" "$logfile" "process exited before becoming ready"
    fi
    if (( SECONDS >= deadline )); then
      fail "$name" "$logfile" "not ready after ${timeout}s"
    fi
    sleep 0.25
  done
}

# ---- small helpers ----------------------------------------------------------------------------
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" >/dev/null 2>&1; }

# pid_alive PID COMM_REGEX — process exists and its name matches (guards against pid reuse)
pid_alive() {
  local pid=$1 re=$2 comm
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # a killed daemon may linger as a zombie until init reaps it: that is not alive
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" =~ ^[ZX]$ ]] && return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ "$comm" =~ $re ]]
}
pidfile_pid() { [[ -s "$1" ]] && head -n1 "$1" | tr -dc '0-9' || true; }
pidfile_alive() { local p; p=$(pidfile_pid "$1"); [[ -n "$p" ]] && pid_alive "$p" "$2"; }

# port_pid PORT — pid of the process listening on 127.0.0.1:PORT (empty if unknown)
port_pid() {
  local port=$1 out=""
  if command -v ss >/dev/null 2>&1; then
    out=$(ss -ltnpH "( sport = :$port )" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)
  fi
  if [[ -z "$out" ]] && command -v lsof >/dev/null 2>&1; then
    out=$(lsof -nP -t -iTCP:"$port" -sTCP:LISTEN 2>/dev/null | head -n1 || true)
  fi
  printf '%s' "$out"
}
describe_port() {
  local pid; pid=$(port_pid "$1")
  if [[ -n "$pid" ]]; then printf 'pid %s (%s)' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | tr -s ' ' | cut -c1-100 | sed 's/ *$//')"
  else printf 'unknown process'; fi
}

# kill_and_wait PID COMM_REGEX TIMEOUT [SIGNAL] — TERM (or SIGNAL), then KILL after the deadline
kill_and_wait() {
  local pid=$1 re=$2 timeout=$3 sig=${4:-TERM}
  pid_alive "$pid" "$re" || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while pid_alive "$pid" "$re"; do
    if (( SECONDS >= deadline )); then
      log "pid $pid did not exit after ${timeout}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

# wait_port_closed NAME PORT TIMEOUT
wait_port_closed() {
  local deadline=$((SECONDS + $3))
  while port_open "$2"; do
    (( SECONDS >= deadline )) && return 1
    sleep 0.2
  done
  return 0
}

# stop_foreign_by_port NAME PORT COMM_REGEX — last resort for a conflicting instance we did not start
stop_foreign_by_port() {
  local name=$1 port=$2 re=$3 pid
  if ! port_open "$port"; then return 0; fi
  pid=$(port_pid "$port")
  if [[ -z "$pid" ]]; then
    die "$name: port $port is held by a process that cannot be identified; stop it by hand"
  fi
  if ! pid_alive "$pid" "$re"; then
    die "$name: port $port is held by $(describe_port "$port"), which is not a $name server; stop it by hand"
  fi
  log "$name: stopping conflicting foreign instance pid $pid"
  kill_and_wait "$pid" "$re" 20
  wait_port_closed "$name" "$port" 10 || die "$name: port $port still busy after stopping pid $pid"
}

# spawn LOGFILE CMD... — start a long-running process in the background, detached from us.
# stdin/stdout/stderr and our lock fd are not inherited, so callers capturing our output never hang.
spawn() {
  local logfile=$1; shift
  setsid "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  SPAWNED_PID=$!
}
# run_detached LOGFILE CMD... — run a self-daemonizing launcher in the foreground, fds detached
run_detached() {
  local logfile=$1; shift
  setsid "$@" </dev/null >>"$logfile" 2>&1 9>&-
}

mklog() { # mklog FILE OWNER — create a log file writable by the service user
  touch "$1"; [[ -n "${2:-}" ]] && chown "$2" "$1"; chmod 0644 "$1"
}

setup_root() {
  install -d -m 0755 "$ROOT" "$LOGS"
}

take_lock() {
  setup_root
  exec 9>"$ROOT/.lock"
  if ! flock -w 600 9; then die "another build/deps.sh is still running (lock $ROOT/.lock)"; fi
}

# ---- packages ---------------------------------------------------------------------------------
pkgs_for() {
  case $1 in
    postgres)  echo postgresql ;;
    mysql)     echo mariadb-server mariadb-client ;;
    redis)     echo redis-server ;;
    rabbitmq)  echo rabbitmq-server ;;
    ldap)      echo slapd ldap-utils ;;
    etcd|etcd-auth) echo etcd-server etcd-client ;;
    tools)     echo prometheus chromium ;;
  esac
}

pkg_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

POLICY_RC_CREATED=0
cleanup_policy_rc() {
  if [[ "$POLICY_RC_CREATED" == 1 ]]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
}

apt_retry() { # apt-get with waiting for other apt/dpkg runs on this machine
  local deadline=$((SECONDS + 900))
  until apt-get -o DPkg::Lock::Timeout=300 "$@"; do
    (( SECONDS >= deadline )) && return 1
    log "apt-get $1 failed, retrying in 5s"
    sleep 5
  done
}

ensure_packages() {
  local want=() missing=() p
  for p in "$@"; do want+=($(pkgs_for "$p")); done
  mapfile -t want < <(printf '%s\n' "${want[@]}" | awk 'NF && !seen[$0]++')
  for p in "${want[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if (( ${#missing[@]} == 0 )); then return 0; fi
  [[ $(id -u) == 0 ]] || die "packages missing (${missing[*]}) and not running as root"
  log "installing: ${missing[*]}"

  # slapd: preseed before installing so its own (unused by us) default config is sane.
  if [[ " ${missing[*]} " == *" slapd "* ]]; then
    debconf-set-selections <<EOF
slapd slapd/no_configuration boolean false
slapd slapd/domain string dephealth.test
slapd shared/organization string DepHealth
slapd slapd/password1 password $LDAP_ADMIN_PASS
slapd slapd/password2 password $LDAP_ADMIN_PASS
slapd slapd/purge_database boolean true
slapd slapd/move_old_database boolean true
EOF
  fi

  # Keep maintainer scripts from starting services: we start them ourselves, without systemd.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
    trap cleanup_policy_rc EXIT
  fi

  apt_retry update -q || die "apt-get update failed"
  apt_retry install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
  cleanup_policy_rc
  for p in "${missing[@]}"; do pkg_installed "$p" || die "package $p is still not installed"; done
  log "installed: ${missing[*]}"
}

# ======================================================================================
# PostgreSQL
# ======================================================================================
PG_DIR="$ROOT/postgres"; PG_DATA="$PG_DIR/data"; PG_RUN="$PG_DIR/run"; PG_LOG="$LOGS/postgres.log"
pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n "$d" && -x "$d/postgres" ]] || die "postgres: server binaries not found under /usr/lib/postgresql"
  printf '%s' "$d"
}
pg_ours()  { pidfile_alive "$PG_DATA/postmaster.pid" '^postgres$'; }
pg_check() {
  [[ "$(PGPASSWORD=$PG_PASS PGCONNECT_TIMEOUT=3 psql "host=127.0.0.1 port=$PG_PORT user=$PG_USER dbname=$PG_DB sslmode=disable" -Atqc 'select 1' 2>/dev/null)" == 1 ]]
}
pg_ready() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }
PG_ADMIN_SOCK=""
pg_admin() { # pg_admin [psql args] — superuser psql over the unix socket in $PG_ADMIN_SOCK
  runuser -u postgres -- "$(pg_bin)/psql" -h "$PG_ADMIN_SOCK" -p "$PG_PORT" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -Atq "$@"
}
pg_find_admin() {
  local s
  for s in "$PG_RUN" /var/run/postgresql /tmp; do
    PG_ADMIN_SOCK=$s
    [[ -S "$s/.s.PGSQL.$PG_PORT" ]] && pg_admin -c 'select 1' >/dev/null 2>&1 && return 0
  done
  PG_ADMIN_SOCK=""; return 1
}
pg_write_config() {
  cat >"$PG_DATA/dephealth.conf" <<EOF
# written by build/deps.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
password_encryption = 'scram-sha-256'
max_connections = 200
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
  cat >"$PG_DATA/pg_hba.conf" <<EOF
# written by build/deps.sh
local   all   all                  peer
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
EOF
  grep -q "^include_if_exists 'dephealth.conf'" "$PG_DATA/postgresql.conf" \
    || echo "include_if_exists 'dephealth.conf'" >>"$PG_DATA/postgresql.conf"
  chown postgres:postgres "$PG_DATA/dephealth.conf" "$PG_DATA/pg_hba.conf"
}
pg_launch() {
  local bin; bin=$(pg_bin)
  install -d -o postgres -g postgres -m 0755 "$PG_DIR" "$PG_RUN"
  mklog "$PG_LOG" postgres:postgres
  if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
    log "postgres: initdb $PG_DATA"
    rm -rf "$PG_DATA"; install -d -o postgres -g postgres -m 0700 "$PG_DATA"
    runuser -u postgres -- "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 || fail postgres "$PG_LOG" "initdb failed"
  fi
  pg_write_config
  log "postgres: starting ($bin/pg_ctl, data $PG_DATA)"
  run_detached "$PG_LOG" runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -W start \
    || fail postgres "$PG_LOG" "pg_ctl start failed"
}
pg_wait()  { wait_for postgres 30 "$PG_LOG" pg_ready pg_ours; }
pg_provision() {
  pg_find_admin || fail postgres "$PG_LOG" "no superuser access over a unix socket"
  pg_admin <<EOF >/dev/null || fail postgres "$PG_LOG" "provisioning role/database failed"
SET password_encryption = 'scram-sha-256';
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASS';
  ELSE
    ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASS';
  END IF;
END\$\$;
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')\gexec
ALTER DATABASE $PG_DB OWNER TO $PG_USER;
GRANT ALL PRIVILEGES ON DATABASE $PG_DB TO $PG_USER;
EOF
}
pg_adopt() {
  if pg_find_admin; then pg_provision; pg_check; return; fi
  pg_check
}
pg_stop_foreign() {
  local ver cl port status
  if command -v pg_lsclusters >/dev/null 2>&1; then
    while read -r ver cl port status _; do
      if [[ "$port" == "$PG_PORT" && "$status" == online* ]]; then
        log "postgres: stopping foreign cluster $ver/$cl"
        pg_ctlcluster "$ver" "$cl" stop -m fast >/dev/null 2>&1 || true
      fi
    done < <(pg_lsclusters -h 2>/dev/null || true)
  fi
  wait_port_closed postgres "$PG_PORT" 10 || stop_foreign_by_port postgres "$PG_PORT" '^postgres$'
}
pg_stop() {
  pg_ours || return 0
  runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -W stop >/dev/null 2>&1 || true
  local pid; pid=$(pidfile_pid "$PG_DATA/postmaster.pid")
  [[ -n "$pid" ]] && kill_and_wait "$pid" '^postgres$' 30
  return 0
}

# ======================================================================================
# MariaDB
# ======================================================================================
MY_DIR="$ROOT/mysql"; MY_DATA="$MY_DIR/data"; MY_RUN="$MY_DIR/run"; MY_CNF="$MY_DIR/my.cnf"
MY_SOCK="$MY_RUN/mysqld.sock"; MY_PID="$MY_RUN/mysqld.pid"; MY_SAFE_PID="$MY_RUN/mysqld_safe.pid"
MY_LOG="$LOGS/mysql.log"; MY_SAFE_LOG="$LOGS/mysqld_safe.log"
my_ours()  { pidfile_alive "$MY_PID" '^(mariadbd|mysqld)$'; }
my_safe_alive() { pidfile_alive "$MY_SAFE_PID" '^mysqld_safe$' || my_ours; }
my_check() {
  [[ "$(MYSQL_PWD=$MY_PASS mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MY_PORT" \
        --connect-timeout=3 -u "$MY_USER" -D "$MY_DB" -Nse 'select 1' 2>/dev/null)" == 1 ]]
}
my_ready() { mysqladmin --no-defaults -S "$MY_SOCK" -uroot --connect-timeout=2 ping >/dev/null 2>&1 && port_open "$MY_PORT"; }
MY_ADMIN_SOCK=""
my_admin() { mariadb --no-defaults -S "$MY_ADMIN_SOCK" -uroot --connect-timeout=3 "$@"; }
my_find_admin() {
  local s
  for s in "$MY_SOCK" /run/mysqld/mysqld.sock; do
    MY_ADMIN_SOCK=$s
    [[ -S "$s" ]] && my_admin -Nse 'select 1' >/dev/null 2>&1 && return 0
  done
  MY_ADMIN_SOCK=""; return 1
}
my_write_config() {
  install -d -o mysql -g mysql -m 0755 "$MY_DIR" "$MY_RUN"
  cat >"$MY_CNF" <<EOF
# written by build/deps.sh
[client]
port = $MY_PORT
socket = $MY_SOCK

[mysqld_safe]
skip-syslog
log-error = $MY_LOG
pid-file = $MY_PID
socket = $MY_SOCK

[mysqld]
user = mysql
datadir = $MY_DATA
socket = $MY_SOCK
pid-file = $MY_PID
port = $MY_PORT
bind-address = 127.0.0.1
log-error = $MY_LOG
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max_connections = 300
innodb_buffer_pool_size = 64M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
innodb_use_native_aio = 0
EOF
  chmod 0644 "$MY_CNF"
}
my_launch() {
  my_write_config
  mklog "$MY_LOG" mysql:mysql; mklog "$MY_SAFE_LOG"
  install -d -o mysql -g mysql -m 0755 /run/mysqld
  if [[ ! -d "$MY_DATA/mysql" ]]; then
    log "mysql: mariadb-install-db $MY_DATA"
    rm -rf "$MY_DATA"; install -d -o mysql -g mysql -m 0750 "$MY_DATA"
    mariadb-install-db --defaults-file="$MY_CNF" --user=mysql --auth-root-authentication-method=socket \
      --skip-test-db >>"$MY_SAFE_LOG" 2>&1 </dev/null || fail mysql "$MY_SAFE_LOG" "mariadb-install-db failed"
  fi
  rm -f "$MY_PID"
  log "mysql: starting (mysqld_safe, data $MY_DATA)"
  spawn "$MY_SAFE_LOG" mysqld_safe --defaults-file="$MY_CNF"
  echo "$SPAWNED_PID" >"$MY_SAFE_PID"
}
my_wait() { wait_for mysql 60 "$MY_LOG" my_ready my_safe_alive; }
my_provision() {
  my_find_admin || fail mysql "$MY_LOG" "no root access over a unix socket"
  local h sql="CREATE DATABASE IF NOT EXISTS \`$MY_DB\`;"
  for h in 127.0.0.1 localhost '%'; do
    sql+="CREATE USER IF NOT EXISTS '$MY_USER'@'$h' IDENTIFIED BY '$MY_PASS';"
    sql+="ALTER USER '$MY_USER'@'$h' IDENTIFIED BY '$MY_PASS';"
    sql+="GRANT ALL PRIVILEGES ON \`$MY_DB\`.* TO '$MY_USER'@'$h';"
  done
  sql+="FLUSH PRIVILEGES;"
  my_admin -e "$sql" || fail mysql "$MY_LOG" "provisioning user/database failed"
}
my_adopt() {
  if my_find_admin; then my_provision; my_check; return; fi
  my_check
}
my_stop_foreign() {
  if [[ -S /run/mysqld/mysqld.sock ]]; then
    mysqladmin --no-defaults -S /run/mysqld/mysqld.sock -uroot shutdown >/dev/null 2>&1 || true
  fi
  wait_port_closed mysql "$MY_PORT" 15 || stop_foreign_by_port mysql "$MY_PORT" '^(mariadbd|mysqld)$'
}
my_stop() {
  local pid spid
  pid=$(pidfile_pid "$MY_PID"); spid=$(pidfile_pid "$MY_SAFE_PID")
  if my_ours; then
    mysqladmin --no-defaults -S "$MY_SOCK" -uroot shutdown >/dev/null 2>&1 || true
    kill_and_wait "$pid" '^(mariadbd|mysqld)$' 30
  fi
  [[ -n "$spid" ]] && kill_and_wait "$spid" '^mysqld_safe$' 10
  rm -f "$MY_SAFE_PID"
  return 0
}

# ======================================================================================
# Redis
# ======================================================================================
REDIS_DIR="$ROOT/redis"; REDIS_CONF="$REDIS_DIR/redis.conf"; REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$LOGS/redis.log"
rcli() { timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning "$@"; }
redis_ours()  { pidfile_alive "$REDIS_PID" '^redis-server'; }
redis_auth_enforced() { [[ "$(rcli ping 2>&1)" == *NOAUTH* ]]; }
redis_check() {
  redis_auth_enforced &&
  [[ "$(rcli -a "$REDIS_PASS" ping 2>/dev/null)" == PONG ]] &&
  [[ "$(rcli --user "$REDIS_ACL_USER" --pass "$REDIS_ACL_PASS" ping 2>/dev/null)" == PONG ]]
}
redis_ready() { [[ "$(rcli -a "$REDIS_PASS" ping 2>/dev/null)" == PONG ]]; }
redis_launch() {
  local owner=root; id redis >/dev/null 2>&1 && owner=redis
  install -d -o "$owner" -g "$owner" -m 0750 "$REDIS_DIR"
  mklog "$REDIS_LOG" "$owner:$owner"
  cat >"$REDIS_CONF" <<EOF
# written by build/deps.sh
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
dir $REDIS_DIR
save ""
appendonly no
requirepass $REDIS_PASS
user $REDIS_ACL_USER on >$REDIS_ACL_PASS ~* &* +@all
EOF
  chown "$owner:$owner" "$REDIS_CONF"; chmod 0640 "$REDIS_CONF"
  rm -f "$REDIS_PID"
  log "redis: starting (redis-server $REDIS_CONF)"
  if [[ $owner == redis ]]; then
    run_detached "$REDIS_LOG" runuser -u redis -- redis-server "$REDIS_CONF" || fail redis "$REDIS_LOG" "redis-server failed to start"
  else
    run_detached "$REDIS_LOG" redis-server "$REDIS_CONF" || fail redis "$REDIS_LOG" "redis-server failed to start"
  fi
}
redis_wait() { wait_for redis 20 "$REDIS_LOG" redis_ready; }
redis_provision() {
  # config file already has the ACL user; re-apply at runtime so a reused instance matches too
  [[ "$(rcli -a "$REDIS_PASS" ACL SETUSER "$REDIS_ACL_USER" on ">$REDIS_ACL_PASS" '~*' '&*' +@all 2>&1)" == OK ]] \
    || fail redis "$REDIS_LOG" "ACL SETUSER $REDIS_ACL_USER failed"
}
redis_adopt() {
  # usable only if it enforces our password; then make sure the ACL user exists too
  redis_auth_enforced && redis_ready || return 1
  redis_provision
  redis_check
}
redis_stop_foreign() {
  # a foreign redis without our password: ask it to shut down, else stop it by pid
  rcli shutdown nosave >/dev/null 2>&1 || true
  wait_port_closed redis "$REDIS_PORT" 5 || stop_foreign_by_port redis "$REDIS_PORT" '^redis-server'
}
redis_stop() {
  redis_ours || return 0
  local pid; pid=$(pidfile_pid "$REDIS_PID")
  rcli -a "$REDIS_PASS" shutdown nosave >/dev/null 2>&1 || true
  kill_and_wait "$pid" '^redis-server' 15
  return 0
}

# ======================================================================================
# RabbitMQ
# ======================================================================================
RMQ_DIR="$ROOT/rabbitmq"; RMQ_PID="$RMQ_DIR/rabbit.pid"; RMQ_LOGDIR="$LOGS/rabbitmq"
RMQ_STARTLOG="$LOGS/rabbitmq-startup.log"
if (( OFF == 0 )); then RMQ_NODE="rabbit@localhost"; else RMQ_NODE="rabbit$OFF@localhost"; fi
RMQ_LOG="$RMQ_LOGDIR/$RMQ_NODE.log"
RMQ_CLI_NODE="$RMQ_NODE"
# rmq_cmd — the command prefix that runs RabbitMQ programs as the rabbitmq user with our environment
rmq_cmd() {
  RMQ_CMD=(runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq
    RABBITMQ_NODENAME="$RMQ_CLI_NODE"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="$AMQP_DIST_PORT"
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_LOGDIR" RABBITMQ_PID_FILE="$RMQ_PID"
    RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_EPMD_ADDRESS=127.0.0.1)
}
rmq() { # rmq TOOL ARGS... — run a RabbitMQ CLI tool against node $RMQ_CLI_NODE
  local tool=$1; shift
  rmq_cmd
  timeout 60 "${RMQ_CMD[@]}" "/usr/lib/rabbitmq/bin/$tool" "$@"
}
rmq_ours() { pidfile_alive "$RMQ_PID" '^beam'; }
# speak the AMQP 0-9-1 protocol header and expect a Connection.Start method frame back
amqp_probe() {
  timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT; printf 'AMQP\\x00\\x00\\x09\\x01' >&3; head -c 3 <&3 | od -An -tx1" \
    2>/dev/null | grep -q '01 00 00'
}
rmq_other_node() { echo "rabbit@$(hostname -s 2>/dev/null || hostname)"; }
rmq_check() {
  amqp_probe || return 1
  local n tried=" "
  for n in "$RMQ_CLI_NODE" "$RMQ_NODE" "$(rmq_other_node)"; do
    [[ "$tried" == *" $n "* ]] && continue
    tried+="$n "
    RMQ_CLI_NODE=$n
    rmq rabbitmqctl -q authenticate_user "$AMQP_USER" "$AMQP_PASS" >/dev/null 2>&1 && return 0
    rmq_ours && break   # our own node answered the port: do not ask any other node
  done
  RMQ_CLI_NODE=$RMQ_NODE
  return 1
}
rmq_launch() {
  local owner=rabbitmq
  install -d -o "$owner" -g "$owner" -m 0750 "$RMQ_DIR" "$RMQ_DIR/mnesia"
  install -d -o "$owner" -g "$owner" -m 0755 "$RMQ_LOGDIR"
  mklog "$RMQ_STARTLOG"
  cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
# written by build/deps.sh
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
loopback_users.guest = true
EOF
  echo '[].' >"$RMQ_DIR/enabled_plugins"
  chown "$owner:$owner" "$RMQ_DIR/rabbitmq.conf" "$RMQ_DIR/enabled_plugins"
  rm -f "$RMQ_PID"
  log "rabbitmq: starting (rabbitmq-server -detached, node $RMQ_NODE)"
  RMQ_CLI_NODE=$RMQ_NODE
  rmq_cmd
  run_detached "$RMQ_STARTLOG" "${RMQ_CMD[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server -detached || fail rabbitmq "$RMQ_STARTLOG" "rabbitmq-server -detached failed"
}
rmq_log() { if [[ -s "$RMQ_LOG" ]]; then echo "$RMQ_LOG"; else echo "$RMQ_STARTLOG"; fi; }
rmq_wait() {
  wait_for rabbitmq 90 "$(rmq_log)" amqp_probe
  rmq rabbitmqctl -q await_startup --timeout 50 >/dev/null 2>&1 || fail rabbitmq "$(rmq_log)" "rabbitmqctl await_startup failed"
}
rmq_provision() {
  # one CLI call (each costs ~1-2 s): users, vhosts and permissions are created or updated in place
  install -d -o rabbitmq -g rabbitmq -m 0750 "$RMQ_DIR"
  local defs="$RMQ_DIR/definitions.json"
  cat >"$defs" <<EOF
{
  "users": [ { "name": "$AMQP_USER", "password": "$AMQP_PASS", "tags": "administrator" } ],
  "vhosts": [ { "name": "$AMQP_VHOST" }, { "name": "/" } ],
  "permissions": [
    { "user": "$AMQP_USER", "vhost": "$AMQP_VHOST", "configure": ".*", "write": ".*", "read": ".*" },
    { "user": "$AMQP_USER", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*" }
  ]
}
EOF
  chown rabbitmq:rabbitmq "$defs"; chmod 0600 "$defs"
  rmq rabbitmqctl -q import_definitions "$defs" >>"$RMQ_STARTLOG" 2>&1 \
    || fail rabbitmq "$RMQ_STARTLOG" "rabbitmqctl import_definitions failed"
}
rmq_adopt() {
  local n
  for n in "$RMQ_NODE" "$(rmq_other_node)"; do
    RMQ_CLI_NODE=$n
    if rmq rabbitmqctl -q status >/dev/null 2>&1; then
      log "rabbitmq: reusing running node $n"
      rmq_provision; rmq_check; return
    fi
  done
  RMQ_CLI_NODE=$RMQ_NODE
  return 1
}
rmq_stop_foreign() { stop_foreign_by_port rabbitmq "$AMQP_PORT" '^beam'; }
rmq_stop() {
  rmq_ours || return 0
  local pid; pid=$(pidfile_pid "$RMQ_PID")
  RMQ_CLI_NODE=$RMQ_NODE
  rmq rabbitmqctl -q stop >/dev/null 2>&1 || true
  kill_and_wait "$pid" '^beam' 30
  # epmd refuses to exit while other Erlang nodes are registered, so this is safe
  epmd -kill >/dev/null 2>&1 || true
  return 0
}

# ======================================================================================
# OpenLDAP slapd
# ======================================================================================
LDAP_DIR="$ROOT/ldap"; LDAP_CONFDIR="$LDAP_DIR/slapd.d"; LDAP_DATA="$LDAP_DIR/data"
LDAP_PID="$LDAP_DIR/slapd.pid"; LDAP_LOG="$LOGS/ldap.log"; LDAP_URI="ldap://127.0.0.1:$LDAP_PORT"
ldap_ours() { pidfile_alive "$LDAP_PID" '^slapd$'; }
ldap_rootdse() { timeout 5 ldapsearch -x -LLL -H "$LDAP_URI" -b "" -s base namingContexts >/dev/null 2>&1; }
ldap_admin_ok() { timeout 5 ldapwhoami -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PASS" >/dev/null 2>&1; }
ldap_check() {
  ldap_rootdse && ldap_admin_ok && timeout 5 ldapwhoami -x -H "$LDAP_URI" -D "$LDAP_BIND_DN" -w "$LDAP_BIND_PASS" >/dev/null 2>&1
}
ldap_build_config() {
  log "ldap: creating config $LDAP_CONFDIR (suffix $LDAP_SUFFIX)"
  rm -rf "$LDAP_CONFDIR" "$LDAP_DATA"
  install -d -o openldap -g openldap -m 0750 "$LDAP_DIR" "$LDAP_CONFDIR" "$LDAP_DATA"
  local hash; hash=$(slappasswd -h '{SSHA}' -s "$LDAP_ADMIN_PASS")
  cat >"$LDAP_DIR/config.ldif" <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $LDAP_PID
olcArgsFile: $LDAP_DIR/slapd.args
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcAccess: {0}to dn.base="" by * read
olcAccess: {1}to dn.base="cn=Subschema" by * read

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth manage by * break

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $LDAP_DATA
olcSuffix: $LDAP_SUFFIX
olcRootDN: $LDAP_ADMIN_DN
olcRootPW: $hash
olcDbMaxSize: 104857600
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
EOF
  chown openldap:openldap "$LDAP_DIR/config.ldif"; chmod 0600 "$LDAP_DIR/config.ldif"
  runuser -u openldap -- slapadd -n0 -F "$LDAP_CONFDIR" -l "$LDAP_DIR/config.ldif" >>"$LDAP_LOG" 2>&1 \
    || fail ldap "$LDAP_LOG" "slapadd of cn=config failed"
}
ldap_launch() {
  install -d -o openldap -g openldap -m 0750 "$LDAP_DIR"
  mklog "$LDAP_LOG"
  [[ -f "$LDAP_CONFDIR/cn=config.ldif" ]] || ldap_build_config
  rm -f "$LDAP_PID"
  log "ldap: starting (slapd -F $LDAP_CONFDIR -h $LDAP_URI/)"
  run_detached "$LDAP_LOG" slapd -F "$LDAP_CONFDIR" -h "$LDAP_URI/" -u openldap -g openldap \
    || fail ldap "$LDAP_LOG" "slapd failed to start"
}
ldap_wait() { wait_for ldap 20 "$LDAP_LOG" ldap_rootdse; }
ldap_provision() {
  local out rc=0
  out=$(timeout 10 ldapadd -c -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PASS" 2>&1 <<EOF
dn: $LDAP_SUFFIX
objectClass: top
objectClass: dcObject
objectClass: organization
o: DepHealth
dc: dephealth

dn: ou=people,$LDAP_SUFFIX
objectClass: organizationalUnit
ou: people

dn: $LDAP_BIND_DN
objectClass: inetOrgPerson
uid: checker
cn: checker
sn: checker
userPassword: $LDAP_BIND_PASS
EOF
) || rc=$?
  # 0 = added, 68 = already exists (ldapadd -c returns the last error)
  if [[ $rc != 0 && $rc != 68 ]]; then echo "$out" >>"$LDAP_LOG"; fail ldap "$LDAP_LOG" "ldapadd failed (rc $rc): $out"; fi
  timeout 10 ldappasswd -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PASS" -s "$LDAP_BIND_PASS" "$LDAP_BIND_DN" >/dev/null 2>&1 \
    || fail ldap "$LDAP_LOG" "ldappasswd for $LDAP_BIND_DN failed"
}
ldap_adopt() {
  if ldap_admin_ok; then ldap_provision; ldap_check; return; fi
  return 1
}
ldap_stop_foreign() {
  local p
  for p in /run/slapd/slapd.pid /var/run/slapd/slapd.pid; do
    pidfile_alive "$p" '^slapd$' && kill_and_wait "$(pidfile_pid "$p")" '^slapd$' 15 INT
  done
  wait_port_closed ldap "$LDAP_PORT" 5 || stop_foreign_by_port ldap "$LDAP_PORT" '^slapd$'
}
ldap_stop() {
  ldap_ours || return 0
  kill_and_wait "$(pidfile_pid "$LDAP_PID")" '^slapd$' 15 INT
  return 0
}

# ======================================================================================
# etcd (two instances: "etcd" plain, "etcd-auth" with authentication)
# ======================================================================================
etcd_vars() { # sets E_* for instance $1
  case $1 in
    etcd)      E_NAME=dephealth-etcd;      E_PORT=$ETCD_PORT;  E_PEER=$ETCD_PEER_PORT;  E_DIR="$ROOT/etcd" ;;
    etcd-auth) E_NAME=dephealth-etcd-auth; E_PORT=$ETCDA_PORT; E_PEER=$ETCDA_PEER_PORT; E_DIR="$ROOT/etcd-auth" ;;
  esac
  E_URL="http://127.0.0.1:$E_PORT"; E_PID="$E_DIR/etcd.pid"; E_LOG="$LOGS/$1.log"
}
ectl() { timeout 15 etcdctl --endpoints="$E_URL" --dial-timeout=2s --command-timeout=5s "$@"; }
ectl_root() { ectl --user="$ETCDA_USER:$ETCDA_PASS" "$@"; }
etcd_ours() { pidfile_alive "$E_PID" '^etcd$'; }
etcd_health() { port_open "$E_PORT" && ectl endpoint health >/dev/null 2>&1; }
etcd_health_auth() { port_open "$E_PORT" || return 1; ectl_root endpoint health >/dev/null 2>&1 || ectl endpoint health >/dev/null 2>&1; }
etcd_auth_enabled() { # a plain read without credentials is refused only when auth is on
  local out; out=$(ectl get --limit=1 /dephealth-probe 2>&1) && return 1
  [[ "$out" == *"user name is empty"* || "$out" == *"permission denied"* || "$out" == *"invalid auth token"* ]]
}
etcd_plain_check() { etcd_health && ectl get --limit=1 /dephealth-probe >/dev/null 2>&1; }
etcd_auth_check()  { ectl_root endpoint health >/dev/null 2>&1 && etcd_auth_enabled && ectl_root get --limit=1 /dephealth-probe >/dev/null 2>&1; }
etcd_check() { if [[ $1 == etcd ]]; then etcd_plain_check; else etcd_auth_check; fi; }
etcd_alive() { etcd_ours; }
etcd_launch() {
  local inst=$1 owner=root
  id etcd >/dev/null 2>&1 && owner=etcd
  install -d -o "$owner" -g "$owner" -m 0700 "$E_DIR" "$E_DIR/data"
  mklog "$E_LOG"
  rm -f "$E_PID"
  log "$inst: starting (etcd $E_URL, data $E_DIR/data)"
  local cmd=(etcd --name "$E_NAME" --data-dir "$E_DIR/data"
    --listen-client-urls "$E_URL" --advertise-client-urls "$E_URL"
    --listen-peer-urls "http://127.0.0.1:$E_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$E_PEER"
    --initial-cluster "$E_NAME=http://127.0.0.1:$E_PEER" --initial-cluster-token "$E_NAME"
    --initial-cluster-state new)
  if [[ $owner == etcd ]]; then
    spawn "$E_LOG" nohup setpriv --reuid=etcd --regid=etcd --init-groups "${cmd[@]}"
  else
    spawn "$E_LOG" nohup "${cmd[@]}"
  fi
  echo "$SPAWNED_PID" >"$E_PID"
}
etcd_wait() {
  if [[ $1 == etcd ]]; then wait_for "$1" 30 "$E_LOG" etcd_health etcd_alive
  else wait_for "$1" 30 "$E_LOG" etcd_health_auth etcd_alive; fi
}
etcd_provision() {
  [[ $1 == etcd ]] && return 0
  if etcd_auth_enabled; then
    ectl_root user get "$ETCDA_USER" >/dev/null 2>&1 || return 1   # enabled, but our root password is wrong
    return 0
  fi
  if ectl user get "$ETCDA_USER" >/dev/null 2>&1; then
    printf '%s\n' "$ETCDA_PASS" | ectl user passwd "$ETCDA_USER" --interactive=false >/dev/null \
      || fail "$1" "$E_LOG" "etcdctl user passwd failed"
  else
    ectl user add "$ETCDA_USER:$ETCDA_PASS" >/dev/null || fail "$1" "$E_LOG" "etcdctl user add failed"
  fi
  ectl role get root >/dev/null 2>&1 || ectl role add root >/dev/null || fail "$1" "$E_LOG" "etcdctl role add root failed"
  ectl user grant-role "$ETCDA_USER" root >/dev/null 2>&1 || true   # already granted is fine
  ectl auth enable >/dev/null || fail "$1" "$E_LOG" "etcdctl auth enable failed"
  log "$1: authentication enabled (user $ETCDA_USER)"
}
etcd_adopt() {
  local inst=$1
  if [[ $inst == etcd ]]; then etcd_plain_check; return; fi
  ectl endpoint health >/dev/null 2>&1 || ectl_root endpoint health >/dev/null 2>&1 || return 1
  etcd_provision "$inst" && etcd_auth_check
}
etcd_stop_foreign() { stop_foreign_by_port "$1" "$E_PORT" '^etcd$'; }
etcd_stop() {
  etcd_ours || return 0
  kill_and_wait "$(pidfile_pid "$E_PID")" '^etcd$' 20
  return 0
}
etcd_grpc_health() { # optional: only when grpcurl happens to be installed (it is not installed by this script)
  command -v grpcurl >/dev/null 2>&1 || return 0
  grpcurl -plaintext "127.0.0.1:$E_PORT" grpc.health.v1.Health/Check >/dev/null 2>&1 \
    || fail "$1" "$E_LOG" "gRPC health check (grpc.health.v1.Health/Check) failed"
}

# ======================================================================================
# per-server dispatch
# ======================================================================================
prefix_of() {
  case $1 in
    postgres) echo pg ;; mysql) echo my ;; redis) echo redis ;; rabbitmq) echo rmq ;;
    ldap) echo ldap ;; etcd|etcd-auth) echo etcd ;;
  esac
}
port_of() {
  case $1 in
    postgres) echo $PG_PORT ;; mysql) echo $MY_PORT ;; redis) echo $REDIS_PORT ;; rabbitmq) echo $AMQP_PORT ;;
    ldap) echo $LDAP_PORT ;; etcd) echo $ETCD_PORT ;; etcd-auth) echo $ETCDA_PORT ;;
  esac
}
logfile_of() {
  case $1 in
    postgres) echo "$PG_LOG" ;; mysql) echo "$MY_LOG" ;; redis) echo "$REDIS_LOG" ;; rabbitmq) rmq_log ;;
    ldap) echo "$LDAP_LOG" ;; etcd|etcd-auth) echo "$LOGS/$1.log" ;;
  esac
}
# svc NAME ACTION [ARGS] — call <prefix>_<action>, passing the instance name to etcd functions
svc() {
  local name=$1 action=$2 p; shift 2
  p=$(prefix_of "$name")
  if [[ $p == etcd ]]; then etcd_vars "$name"; "etcd_$action" "$name" "$@"; else "${p}_$action" "$@"; fi
}

declare -A LAUNCHED=()
declare -A ADOPTED=()

# start_begin NAME — make sure an instance is running (ours, launched now, or a usable foreign one)
start_begin() {
  local name=$1 port; port=$(port_of "$name")
  [[ $(prefix_of "$name") == etcd ]] && etcd_vars "$name"
  if svc "$name" ours; then
    log "$name: already running (pid file), checking"
    return 0
  fi
  if port_open "$port"; then
    log "$name: port $port already in use by $(describe_port "$port"); trying to use it"
    # in a subshell: a provisioning failure there means "not usable", not "abort"
    if ( svc "$name" adopt ); then
      ADOPTED[$name]=1
      log "$name: up (foreign instance reused; 'stop' will not stop it)"
      return 0
    fi
    if [[ "$TAKEOVER" != 1 ]]; then
      fail "$name" "" "port $port is held by $(describe_port "$port"), which does not accept the test credentials (DEPHEALTH_DEPS_TAKEOVER=0, so it is left alone)"
    fi
    log "$name: foreign instance is not usable with the test credentials; replacing it"
    svc "$name" stop_foreign
  fi
  svc "$name" launch
  LAUNCHED[$name]=1
}

# start_finish NAME — wait for readiness, provision, verify with the test credentials
start_finish() {
  local name=$1
  [[ -n "${ADOPTED[$name]:-}" ]] && return 0
  svc "$name" wait
  if ! svc "$name" provision; then
    # only reachable for our own instance whose persisted auth data no longer matches: rebuild it
    log "$name: stored credentials do not match; resetting its data directory"
    svc "$name" stop
    case $name in etcd|etcd-auth) etcd_vars "$name"; rm -rf "$E_DIR/data" ;; esac
    svc "$name" launch; svc "$name" wait; svc "$name" provision || fail "$name" "$(logfile_of "$name")" "provisioning failed"
  fi
  if ! svc "$name" check; then
    if [[ $name == ldap ]] && ! ldap_admin_ok && ldap_ours; then
      log "ldap: admin bind failed; rebuilding the LDAP config and data"
      ldap_stop; ldap_build_config; ldap_launch; ldap_wait; ldap_provision
    fi
    svc "$name" check || fail "$name" "$(logfile_of "$name")" "verification with the test credentials failed"
  fi
  [[ $name == etcd || $name == etcd-auth ]] && svc "$name" grpc_health
  if [[ -n "${LAUNCHED[$name]:-}" ]]; then log "$name: up (started)"; else log "$name: up (already running)"; fi
}

normalize_names() { # prints canonical server names, one per line
  local n
  for n in "$@"; do
    case $n in
      postgres|postgresql|pg) echo postgres ;;
      mysql|mariadb) echo mysql ;;
      redis) echo redis ;;
      rabbitmq|rabbit|amqp) echo rabbitmq ;;
      ldap|slapd|openldap) echo ldap ;;
      etcd) echo etcd ;;
      etcd-auth|etcd_auth|etcdauth) echo etcd-auth ;;
      tools) echo tools ;;
      *) die "unknown server '$n' (expected: ${ALL_SERVERS[*]} tools)" ;;
    esac
  done
}

write_env() {
  local promtool chromium tmp
  promtool=$(command -v promtool || echo /usr/bin/promtool)
  chromium=/usr/bin/chromium
  tmp=$(mktemp "$ENV_FILE.XXXXXX")
  cat >"$tmp" <<EOF
export DEPHEALTH_TEST_POSTGRES_URL='postgres://$PG_USER:$PG_PASS@127.0.0.1:$PG_PORT/$PG_DB'
export DEPHEALTH_TEST_MYSQL_URL='mysql://$MY_USER:$MY_PASS@127.0.0.1:$MY_PORT/$MY_DB'
export DEPHEALTH_TEST_REDIS_URL='redis://:$REDIS_PASS@127.0.0.1:$REDIS_PORT/0'
export DEPHEALTH_TEST_REDIS_ACL_URL='redis://$REDIS_ACL_USER:$REDIS_ACL_PASS@127.0.0.1:$REDIS_PORT/0'
export DEPHEALTH_TEST_AMQP_URL='amqp://$AMQP_USER:$AMQP_PASS@127.0.0.1:$AMQP_PORT/$AMQP_VHOST'
export DEPHEALTH_TEST_LDAP_URL='ldap://127.0.0.1:$LDAP_PORT'
export DEPHEALTH_TEST_LDAP_BASE_DN='$LDAP_SUFFIX'
export DEPHEALTH_TEST_LDAP_BIND_DN='$LDAP_BIND_DN'
export DEPHEALTH_TEST_LDAP_BIND_PASSWORD='$LDAP_BIND_PASS'
export DEPHEALTH_TEST_LDAP_ADMIN_DN='$LDAP_ADMIN_DN'
export DEPHEALTH_TEST_LDAP_ADMIN_PASSWORD='$LDAP_ADMIN_PASS'
export DEPHEALTH_TEST_ETCD_URL='http://127.0.0.1:$ETCD_PORT'
export DEPHEALTH_TEST_ETCD_AUTH_URL='http://127.0.0.1:$ETCDA_PORT'
export DEPHEALTH_TEST_ETCD_USER='$ETCDA_USER'
export DEPHEALTH_TEST_ETCD_PASSWORD='$ETCDA_PASS'
export DEPHEALTH_TEST_PROMTOOL='$promtool'
export DEPHEALTH_TEST_CHROMIUM='$chromium'
EOF
  chmod 0644 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

# ======================================================================================
# commands
# ======================================================================================
cmd_start() {
  local names=() n t0=$SECONDS with_tools=0
  if (( $# == 0 )); then names=("${ALL_SERVERS[@]}"); with_tools=1
  else mapfile -t names < <(normalize_names "$@"); fi
  local servers=() pkgsel=()
  for n in "${names[@]}"; do
    if [[ $n == tools ]]; then with_tools=1; else servers+=("$n"); fi
  done
  pkgsel=("${servers[@]}"); (( with_tools )) && pkgsel+=(tools)
  [[ $(id -u) == 0 ]] || die "start must run as root"
  take_lock
  ensure_packages "${pkgsel[@]}"
  if (( with_tools )); then
    command -v promtool >/dev/null || die "tools: promtool not found after installing prometheus"
    [[ -x /usr/bin/chromium ]] || die "tools: /usr/bin/chromium not found after installing chromium"
  fi

  # RabbitMQ is the slowest to boot: launch it first, finish it last.
  local has_rmq=0
  for n in "${servers[@]}"; do [[ $n == rabbitmq ]] && has_rmq=1; done
  (( has_rmq )) && start_begin rabbitmq
  for n in "${servers[@]}"; do
    [[ $n == rabbitmq ]] && continue
    start_begin "$n"
    start_finish "$n"
  done
  (( has_rmq )) && start_finish rabbitmq

  write_env
  log "all requested servers are up (${servers[*]:-none}) in $((SECONDS - t0))s; env written to $ENV_FILE"
  cat "$ENV_FILE"
}

cmd_stop() {
  local names=() n i still=()
  if (( $# == 0 )); then names=("${ALL_SERVERS[@]}"); else mapfile -t names < <(normalize_names "$@"); fi
  take_lock
  for (( i=${#names[@]}-1; i>=0; i-- )); do
    n=${names[$i]}
    [[ $n == tools ]] && continue
    [[ $(prefix_of "$n") == etcd ]] && etcd_vars "$n"
    if svc "$n" ours; then
      svc "$n" stop
      log "$n: stopped"
    else
      svc "$n" stop   # clean up leftovers (e.g. mysqld_safe) even when the server itself is gone
      if port_open "$(port_of "$n")"; then
        log "$n: not started by deps.sh; port $(port_of "$n") still served by $(describe_port "$(port_of "$n")") (left running)"
        still+=("$n")
      else
        log "$n: already stopped"
      fi
    fi
  done
  # when servers were named explicitly (e.g. an outage test), a foreign instance still answering is an error
  if (( $# > 0 && ${#still[@]} > 0 )); then
    log "ERROR: still answering (not started by deps.sh, so not stopped): ${still[*]}"
    return 3
  fi
}

cmd_status() {
  local names=() n rc=0 extra
  if (( $# == 0 )); then names=("${ALL_SERVERS[@]}"); else mapfile -t names < <(normalize_names "$@"); fi
  for n in "${names[@]}"; do
    [[ $n == tools ]] && continue
    [[ $(prefix_of "$n") == etcd ]] && etcd_vars "$n"
    extra=""
    if port_open "$(port_of "$n")" && svc "$n" check; then
      svc "$n" ours || extra=" (not started by deps.sh: $(describe_port "$(port_of "$n")"))"
      echo "$n: up$extra"
    elif port_open "$(port_of "$n")"; then
      echo "$n: down (port $(port_of "$n") answered by $(describe_port "$(port_of "$n")"), but the test credentials do not work)"; rc=1
    else
      echo "$n: down"; rc=1
    fi
  done
  return $rc
}

cmd_env() {
  [[ -f "$ENV_FILE" ]] || write_env
  cat "$ENV_FILE"
}

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-}; (( $# )) && shift
  case $cmd in
    start)        cmd_start "$@" ;;
    stop)         cmd_stop "$@" ;;
    restart)      cmd_stop "$@"; exec 9>&-; cmd_start "$@" ;;
    restart-etcd) cmd_stop etcd; exec 9>&-; cmd_start etcd ;;
    status)       cmd_status "$@" ;;
    env)          cmd_env ;;
    -h|--help|help) usage ;;
    *)            usage >&2; exit 2 ;;
  esac
}

main "$@"
