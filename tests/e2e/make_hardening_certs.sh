#!/bin/sh
# Throwaway PKI for the hardening matrix, in DIR (deleted by the caller):
#   ca.pem               the CA the scenario trusts
#   good.{pem,key}       core-rtr-1.example.net + IP 192.0.2.1, RSA 2048, SHA-256, 365 days
#   wrongname.{pem,key}  other-rtr.example.net
#   rsa1024.{pem,key}    right name, RSA 1024
#   expired.{pem,key}    right name, expired in 2020
#   short.{pem,key}      right name, 10 days left (min_days_left is 30)
set -eu
dir=$1
cd "$dir"
q() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -sha256 \
  -subj "/O=vantage test/CN=vantage matrix CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
mkdir -p db && : > db/index && echo 1000 > db/serial
cat > ca.cnf <<CNF
[ca]
default_ca = c
[c]
database = db/index
serial = db/serial
new_certs_dir = db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
CNF
leaf() {  # name bits dns [ca options...]
  out=$1 bits=$2 dns=$3; shift 3
  q openssl req -newkey rsa:"$bits" -nodes -keyout "$out.key" -out "$out.csr" -subj "/CN=$dns" \
    -addext "subjectAltName=DNS:$dns,IP:192.0.2.1" -addext "extendedKeyUsage=serverAuth" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment"
  q openssl ca -batch -config ca.cnf -in "$out.csr" -out "$out.pem" -notext "$@"
}
leaf good 2048 core-rtr-1.example.net -days 365
leaf wrongname 2048 other-rtr.example.net -days 365
leaf rsa1024 1024 core-rtr-1.example.net -days 365
leaf expired 2048 core-rtr-1.example.net -startdate 20200101000000Z -enddate 20200201000000Z
leaf short 2048 core-rtr-1.example.net -days 10
rm -rf db ca.key ca.cnf ./*.csr
