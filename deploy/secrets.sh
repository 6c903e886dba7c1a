#!/bin/sh
# The shop's secrets in docker-compose.yml: files in $SECRETS_DIR (the `secrets` volume), named
# after the variable each one fills, which every container reads; none is in a container's
# environment and no value printed in the repository is among them.
#
#   secrets.sh generate   (service sandbox-secrets, profile `sandbox` only) makes a random value
#                         for each secret that has none yet, keeps it in generated/ (PostgreSQL
#                         and RabbitMQ store their password once), and marks this run as one
#                         that may use them.
#   secrets.sh check      (service secrets, before every other service) takes each secret from
#                         the environment (.env), or from generated/ right after `generate` ran
#                         (a later run without the sandbox profile may not), refuses to go on
#                         without one, naming the variable, and writes the addresses that carry
#                         the passwords (POSTGRES_URL, REDIS_URL, RABBITMQ_URL) and redis.conf.
set -eu

dir=${SECRETS_DIR:?SECRETS_DIR names the folder of the secret files}
generated="$dir/generated"
marker="$generated/.sandbox-run"
required='BOT_SERVICE_TOKEN POSTGRES_PASSWORD REDIS_PASSWORD RABBITMQ_DEFAULT_PASS'
optional='TELEGRAM_BOT_TOKEN TELEGRAM_PAYMENT_PROVIDER_TOKEN'
passwords='POSTGRES_PASSWORD REDIS_PASSWORD RABBITMQ_DEFAULT_PASS'

# Hex of $1 random bytes.
random_hex() { od -An -v -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Writes $2 to the file $1 in $dir all at once: a reader never sees half a value.
put() {
  printf '%s' "$2" >"$dir/.$1.new"
  mv "$dir/.$1.new" "$dir/$1"
}

value_of() { eval "printf '%s' \"\${$1:-}\""; }

umask 022
mkdir -p "$generated"

case ${1:-} in
generate)
  for name in $required; do
    [ -s "$generated/$name" ] || random_hex 32 >"$generated/$name"
  done
  # Telegram's shape, <bot id>:<secret>; only the sandbox, the bot and notification know it.
  [ -s "$generated/TELEGRAM_BOT_TOKEN" ] ||
    printf '%s:%s' "$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n')1" "$(random_hex 24)" >"$generated/TELEGRAM_BOT_TOKEN"
  # A provider's test token shape, <id>:TEST:<secret>: the sandbox takes invoices in any currency.
  [ -s "$generated/TELEGRAM_PAYMENT_PROVIDER_TOKEN" ] ||
    printf '%s:TEST:sandbox-%s' "$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n')1" "$(random_hex 12)" >"$generated/TELEGRAM_PAYMENT_PROVIDER_TOKEN"
  : >"$marker"
  ;;
check)
  sandbox=''
  if [ -e "$marker" ]; then sandbox=yes; fi
  rm -f "$marker"
  missing=''
  for name in $required $optional; do
    value=$(value_of "$name")
    if [ -z "$value" ] && [ -n "$sandbox" ] && [ -s "$generated/$name" ]; then value=$(cat "$generated/$name"); fi
    if [ -n "$value" ]; then
      put "$name" "$value"
    else
      rm -f "$dir/$name"
      case " $required " in *" $name "*) missing="$missing $name" ;; esac
    fi
  done
  for name in $missing; do
    echo "$name is required: set it in .env (a long random value, e.g. openssl rand -hex 32)," \
      "or run the local sandbox: docker compose --profile sandbox up" >&2
  done
  [ -z "$missing" ] || exit 1
  user=${RABBITMQ_DEFAULT_USER:-shop}
  for name in $passwords user; do
    if [ "$name" = user ]; then value=$user name=RABBITMQ_DEFAULT_USER; else value=$(cat "$dir/$name"); fi
    case $value in
    '' | *[!A-Za-z0-9._~-]*)
      echo "$name may hold only A-Z a-z 0-9 . _ ~ - (it goes into a URL)" >&2
      exit 1
      ;;
    esac
  done
  put POSTGRES_URL "postgres://postgres:$(cat "$dir/POSTGRES_PASSWORD")@postgres:5432/postgres"
  put REDIS_URL "redis://:$(cat "$dir/REDIS_PASSWORD")@redis:6379"
  put RABBITMQ_URL "amqp://$user:$(cat "$dir/RABBITMQ_DEFAULT_PASS")@rabbitmq:5672"
  put redis.conf "requirepass $(cat "$dir/REDIS_PASSWORD")
"
  ;;
*)
  echo "usage: secrets.sh generate|check" >&2
  exit 2
  ;;
esac
