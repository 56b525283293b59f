#!/bin/sh
# Makes a throwaway PKI for lab tests in DIR: root CA -> intermediate -> server.
#   ca.pem (trust this), chain.pem (intermediate), rtr.pem + rtr.key (server, SAN NAME and 127.0.0.1)
# Keys live only in DIR, which the caller deletes; nothing here is committed.
set -eu
dir=$1
name=${2:-lab-rtr.test}
cd "$dir"
q() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -sha256 \
  -subj "/O=vantage test/CN=vantage test root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
q openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/O=vantage test/CN=vantage test intermediate"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > int.ext
q openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out chain.pem -days 2 -sha256 -extfile int.ext
q openssl req -newkey rsa:2048 -nodes -keyout rtr.key -out rtr.csr -subj "/O=vantage test/CN=$name"
printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' "$name" > rtr.ext
q openssl x509 -req -in rtr.csr -CA chain.pem -CAkey int.key -CAcreateserial -out rtr.pem -days 2 -sha256 -extfile rtr.ext
rm -f ca.key int.key ./*.csr ./*.ext ./*.srl
